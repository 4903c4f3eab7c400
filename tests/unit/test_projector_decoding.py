"""The projector decodes the events it applies with orjson (ADR 45): every event gives the
library's object, of the same type with the same fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventsourcing.persistence import StoredEvent

from application.readmodels.state import CaseStates
from application.service import CaseService
from bench import dataset
from tests.unit.test_case_states import CASE
from tests.unit.test_stored_events import STORED, mapper


def assert_decoded_as_the_library_does(stored: StoredEvent, library: Any) -> None:
    ours = CaseStates(library).mapper.to_domain_event(stored)
    theirs = library.to_domain_event(stored)
    assert type(ours) is type(theirs)
    assert vars(ours) == vars(theirs)


def test_every_event_stored_by_older_code_is_decoded_as_the_library_does():
    library, seen = mapper(), 0
    for file in sorted(STORED.glob("*.tsv")):
        for line in file.read_text(encoding="utf-8").splitlines():
            version, topic, body = line.split("\t")
            assert_decoded_as_the_library_does(
                StoredEvent(CASE, int(version), topic, body.encode("utf-8")), library)
            seen += 1
    assert seen > 20


def test_every_event_of_a_worked_book_is_decoded_as_the_library_does(tmp_path: Path):
    service = CaseService(f"sqlite:///{tmp_path}/events.db")
    try:
        events = dataset.generate(service, 60, events_per_case=12, seed=3)
        page = service.recorder.select_notifications(start=1, limit=events + 100)
        assert len(page) >= events > 500
        for notification in page:
            assert_decoded_as_the_library_does(notification, service.mapper)
    finally:
        service.close()
