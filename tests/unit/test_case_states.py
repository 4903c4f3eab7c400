"""The projector's `rm_case_state` rows, written and read by orjson: the library's bytes, and
the library's objects back (ADR 42)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import StoredEvent

from application.readmodels.state import CaseStates, OrjsonTranscoder
from application.service import CaseService
from bench import dataset
from domain.case import DebtCase
from domain.law import Allocation, Bucket, PrincipalPayment
from domain.money import Money
from domain.offers import Offer
from domain.tasks import Task
from domain.values import Debtor, Instalment, PaymentTerms, PromiseShare, Stage
from tests.unit.test_stored_events import STORED, mapper

CASE = UUID("2d4c71ee-d4ae-54ed-8f07-510b53fa99f7")


def cases_stored_before() -> list[DebtCase]:
    """Every stored fixture as a case: streams replayed, snapshots restored (and upcast)."""
    found = []
    for file in sorted(STORED.glob("*.tsv")):
        case = None
        for line in file.read_text(encoding="utf-8").splitlines():
            version, topic, body = line.split("\t")
            event = mapper().to_domain_event(StoredEvent(CASE, int(version), topic,
                                                         body.encode("utf-8")))
            case = event.mutate(case)
        found.append(case)
    return found


def uuids_and_floats_in(value: Any) -> list[UUID | float]:
    """What orjson writes otherwise than the library (a case's state must hold none)."""
    if isinstance(value, UUID | float):
        return [value]
    if isinstance(value, dict):
        return [u for item in value.values() for u in uuids_and_floats_in(item)]
    if isinstance(value, list | tuple):
        return [u for item in value for u in uuids_and_floats_in(item)]
    return []


def assert_same_as_the_library(case: DebtCase) -> None:
    states, snapshot = CaseStates(mapper()), Snapshot.take(case)
    assert states.mapper.to_stored_event(snapshot) == mapper().to_stored_event(snapshot)
    row = states.row(case)
    assert uuids_and_floats_in(Snapshot.take(case).state) == []
    back = states.case(row["case_id"], row["version"], row["topic"], row["state"])
    assert Snapshot.take(back).state == Snapshot.take(case).state


@pytest.mark.parametrize("case", cases_stored_before(), ids=lambda c: c.invoice_number)
def test_a_case_stored_by_older_code_is_written_and_read_as_the_library_does(case):
    assert_same_as_the_library(case)


def test_every_case_of_a_worked_book_is_written_and_read_as_the_library_does(tmp_path: Path):
    service = CaseService(f"sqlite:///{tmp_path}/events.db")
    try:
        assert dataset.generate(service, 60, events_per_case=12, seed=3) > 500
        for case_id in service.chain_recorder.case_ids():
            assert_same_as_the_library(service.repository.get(case_id))
    finally:
        service.close()


def every_type() -> dict[str, Any]:
    """One value of every type Arrears transcodes, nested as a case's state nests them."""
    eur = Money(Decimal("12.50"), "EUR")
    on = date(2026, 3, 1)
    return {
        "money": eur, "on": on, "at": datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        "rate": Decimal("8.125"), "stage": Stage.DEMANDED, "by_stage": {Stage.OPEN: [eur]},
        "debtor": Debtor("Ltd", "business", "ap@example.com", "", "", ""),
        "terms": PaymentTerms(Decimal("8"), eur, ("card", "bank")),
        "plan": (Instalment(on, eur),), "share": [PromiseShare(on, eur, "kept")],
        "task": Task("demand", "Send the demand", on, ("issue_demand",), on,
                     {"deadline": on}, None, ""),
        "allocation": Allocation((Bucket("costs"), Bucket("principal")), eur, eur, eur, eur),
        "paid": [PrincipalPayment(on, eur)],
        "offer": Offer("settlement", eur, on, eur, Decimal("10")),
        "text": 'quotes " \\ control \x1f \x7f line\u2028 accents é non-BMP \U0001f600',
        "nothing": None, "flag": True, "count": 3, "tuple": (1, "a"),
    }


def test_every_type_arrears_transcodes_gives_the_library_bytes_and_objects():
    library = mapper().transcoder
    fast = OrjsonTranscoder(library)
    value = every_type()
    written = fast.encode(value)
    assert written == library.encode(value)
    names = {name for name in library.names if name != "uuid_hex"}  # none in a case's state
    assert {n for n in names if f'"_type_":"{n}"'.encode() in written} == names
    assert fast.decode(written) == library.decode(written)


def test_an_integer_beyond_64_bits_is_written_and_read_the_library_way():
    library = mapper().transcoder
    fast = OrjsonTranscoder(library)
    value = {"big": [2 ** 70]}
    written = fast.encode(value)
    assert written == library.encode(value)
    assert fast.decode(written) == {"big": [2 ** 70]}  # orjson alone: 1.1805916207174113e+21


def test_a_lone_surrogate_is_refused_as_the_library_refuses_it():
    with pytest.raises(UnicodeEncodeError):
        mapper().transcoder.encode({"bad": "\ud800"})
    with pytest.raises(UnicodeEncodeError):
        OrjsonTranscoder(mapper().transcoder).encode({"bad": "\ud800"})


def test_every_value_read_from_text_alone_is_immutable_so_one_copy_serves_every_case():
    """The reader makes a value from the same text once and hands the same object out."""
    immutable = (str, int, Decimal, date, datetime, UUID)
    for transcoding in mapper().transcoder.names.values():
        kind = transcoding.type
        assert issubclass(kind, immutable) or kind.__dataclass_params__.frozen, kind


def test_values_read_from_the_same_text_are_one_object_and_equal_to_the_librarys():
    library = mapper().transcoder
    fast = OrjsonTranscoder(library)
    written = library.encode({"a": Money(Decimal("1.50"), "EUR"), "b": date(2026, 1, 2)})
    first, second = fast.decode(written), fast.decode(written)
    assert first == second == library.decode(written)
    assert first["a"] is second["a"] and first["b"] is second["b"]
