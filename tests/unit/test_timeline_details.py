"""A timeline row's `details`: the event's plain fields as JSON with sorted keys, written by
orjson; read back, the same data the standard library's encoder wrote before."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from application.demo import load_demo
from application.readmodels.rows import details_json, timeline_row
from application.records import event_fields, plain
from application.service import CaseService
from bench import dataset
from domain.events import CaseEvent
from tests.unit.test_case_states import every_type


def compact(plain_data: dict) -> str:  # type: ignore[type-arg]
    """The standard library's JSON of plain data, every object's keys sorted, without spaces:
    the text the timeline stored before, but for its spacing."""
    return json.dumps(plain_data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_every_event_of_a_worked_book_has_the_details_the_standard_encoder_wrote(tmp_path: Path):
    service = CaseService(f"sqlite:///{tmp_path}/events.db")
    try:
        assert dataset.generate(service, 40, events_per_case=12, seed=5) > 300
        load_demo(service, dataset.TODAY)
        events = [e for case_id in service.chain_recorder.case_ids()
                  for e in service.case_events(case_id) if isinstance(e, CaseEvent)]
        kinds = {type(e).__name__ for e in events}
        assert len(kinds) > 20, kinds
        for event in events:
            written = timeline_row(event)["details"]
            assert written == compact(event_fields(event)), type(event).__name__
            assert '": ' not in written  # orjson's way, not the fallback
    finally:
        service.close()


def test_every_type_arrears_transcodes_is_written_as_its_plain_data():
    fields = {k: v for k, v in every_type().items() if k != "by_stage"}  # enum keys: below
    written = details_json(fields)
    assert '": ' not in written  # written by orjson, not by the standard library's encoder
    assert written == compact({key: plain(value) for key, value in fields.items()})
    assert "é" in json.loads(written)["text"] and "\U0001f600" in json.loads(written)["text"]
    assert written.index('"at"') < written.index('"count"') < written.index('"text"')


def test_what_orjson_cannot_write_goes_the_way_of_plain_and_the_standard_encoder():
    for fields in ({"size": 2**70, "name": "x"}, {"by_count": {3: Decimal("1.50")}},
                   {"by_stage": every_type()["by_stage"]}):
        assert details_json(fields) == json.dumps({k: plain(v) for k, v in fields.items()},
                                                  sort_keys=True)
