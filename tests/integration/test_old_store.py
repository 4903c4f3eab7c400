"""A store written before the chain (the bytes of tests/unit/stored/, by the code of 4e7db15).

Written with the library's own recorders, as that Arrears did: events and a snapshot, no
hashes, no seal. Today's CaseService refuses its case as not sealed until `chain init`;
the seal then hashes the events as stored (their version 1 shapes, before upcasting), the
unsealed snapshot is passed over, and the case loads, verifies and takes new events.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
)
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteApplicationRecorder, SQLiteDatastore

from application.commands import AddNote
from application.errors import ChainUnsealed
from application.evidence.sealing import seal_history
from application.evidence.verify import verify_store
from domain.case import case_id_for

STORED = Path(__file__).parents[1] / "unit" / "stored"
CASE = case_id_for("C", "INV-1")


def rows(file: str) -> list[StoredEvent]:
    found = []
    for line in (STORED / file).read_text(encoding="utf-8").splitlines():
        version, topic, body = line.split("\t")
        found.append(StoredEvent(CASE, int(version), topic, body.encode("utf-8")))
    return found


def write_old_store(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        datastore = SQLiteDatastore(parts.path[1:])
        events = SQLiteApplicationRecorder(datastore)
        snapshots = SQLiteAggregateRecorder(datastore, "stored_snapshots")
    else:
        datastore = PostgresDatastore(parts.path[1:], parts.hostname, str(parts.port),
                                      parts.username, "",
                                      schema=parse_qs(parts.query)["schema"][0])
        events = PostgresApplicationRecorder(datastore, events_table_name="arrears_events")
        snapshots = PostgresAggregateRecorder(datastore, events_table_name="arrears_snapshots")
    for recorder in (events, snapshots):
        recorder.create_table()
    events.insert_events(rows("case_to_insolvency_v1.tsv"))
    snapshots.insert_events(rows("case_to_insolvency_snapshot_v1.tsv"))
    datastore.close()


def test_an_old_store_is_sealed_once_then_loads_and_verifies(database_url, make_service):
    write_old_store(database_url)
    service = make_service()
    with pytest.raises(ChainUnsealed):
        service.load(CASE)
    recorder = service.chain_recorder

    sealing = seal_history(recorder, recorder.canonical, service.clock.now(), "ops.lead")

    assert (sealing.seal.cases, sealing.gaps) == (1, [])
    case = make_service().load(CASE)
    assert case.version == sealing.seal.events and case.stage == "in_insolvency"
    assert verify_store(recorder, recorder.canonical).ok
    first_payment = next(e for e in service.case_chain(CASE) if b"PaymentReceived" in e.canonical)
    assert b'"promises"' not in first_payment.canonical  # hashed as stored: version 1
    service.handle(AddNote(case_id=CASE, actor="priya", occurred_on=date(2025, 6, 1),
                           text="after the seal"))
    assert verify_store(recorder, recorder.canonical).ok
