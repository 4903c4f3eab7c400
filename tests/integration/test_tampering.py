"""Tampering by hand is detected and named, on SQLite and on PostgreSQL (triggers dropped).

Each case below has five events: opened (1), a payment of 100.00 (2), three notes (3-5).
Every tampering is found by `verify` at the first broken version, and the case refuses to
load (a fresh CaseService reads it from the store); the other case still loads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest

from application.commands import AddNote
from application.errors import ChainBroken
from application.evidence.verify import Break, verify_store
from application.service import CaseService
from tests.commands import execute
from tests.integration.test_case_service import open_one
from tests.tampering import RawStore

ON = date(2025, 2, 1)


def five_events(service: CaseService) -> UUID:
    case_id = open_one(service)
    execute(service, case_id, "record_payment", actor="priya", occurred_on=ON,
            amount="100.00", method="bank_transfer", reference="BACS-1")
    for n in range(3):
        execute(service, case_id, "add_note", actor="priya", occurred_on=ON, text=f"note {n}")
    return case_id


def change_amount(raw: RawStore, case_id: UUID) -> None:
    state = raw.state(case_id, 2)
    state["amount"]["_data_"]["amount"] = "1.00"
    raw.set_state(case_id, 2, state)


def forge_next(raw: RawStore, case_id: UUID) -> None:
    version, topic, state = raw.rows(case_id)[-1]
    forged = json.loads(state)
    forged["text"] = "the debtor agreed to pay nothing"
    raw.insert(case_id, version + 1, topic, json.dumps(forged).encode())


TAMPERINGS: dict[str, tuple[Callable[[RawStore, UUID], None], int, str]] = {
    "an amount changed": (change_amount, 2, "the event does not match its stored hash"),
    "the 3rd event deleted": (lambda raw, c: raw.delete(c, 3), 3, "the event is missing"),
    "two versions swapped": (lambda raw, c: raw.swap(c, 3, 4), 3,
                             "the event does not match its stored hash"),
    "a forged next event": (forge_next, 6, "no hash is stored for the event"),
    "truncated, re-inserted but the 4th": (
        lambda raw, c: raw.truncate_and_reinsert_except(c, 4), 4, "the event is missing"),
    "truncated, re-inserted but the last": (
        lambda raw, c: raw.truncate_and_reinsert_except(c, 5), 5, "the event is missing"),
}


@pytest.fixture
def raw(database_url: str) -> RawStore:
    store = RawStore(database_url)
    return store


def verified(service: CaseService) -> list[Break]:
    recorder = service.chain_recorder
    return verify_store(recorder, recorder.canonical).broken


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_a_tampering_is_named_and_the_case_refuses_to_load(tampering, service, make_service,
                                                            raw):
    tamper, version, reason = TAMPERINGS[tampering]
    case_id, other = five_events(service), five_events(service)
    assert verified(service) == []
    raw.drop_protection()

    tamper(raw, case_id)

    assert verified(service) == [Break(case_id, version, reason)]
    fresh = make_service()
    with pytest.raises(ChainBroken) as refused:
        fresh.load(case_id)
    assert (refused.value.case_id, refused.value.version) == (case_id, version)
    assert str(refused.value) == (f"case: case {case_id}: the chain breaks at version "
                                  f"{version} ({reason})")
    with pytest.raises(ChainBroken):
        fresh.handle(AddNote(case_id=case_id, actor="priya", occurred_on=ON, text="more"))
    with pytest.raises(ChainBroken):
        fresh.history(case_id)
    assert fresh.load(other).version == 5
    assert fresh.handle(AddNote(case_id=other, actor="priya", occurred_on=ON,
                                text="still works")).version == 6


def test_a_process_holding_the_case_sees_its_head_row_changed(service, raw):
    case_id = five_events(service)
    assert service.load(case_id).version == 5  # cached, verified at version 5
    raw.drop_protection()
    raw.delete(case_id, 5)
    with pytest.raises(ChainBroken) as refused:
        service.load(case_id)
    assert refused.value.version == 5


def test_the_triggers_refuse_update_delete_and_truncate(service, raw):
    case_id = five_events(service)
    for statement in ("UPDATE EVENTS SET topic = 'x'", "DELETE FROM EVENTS",
                      "UPDATE event_hashes SET hash = hash", "DELETE FROM event_hashes",
                      *(["TRUNCATE EVENTS", "TRUNCATE event_hashes"] if raw.postgres else [])):
        with pytest.raises(Exception, match="append-only") as refused:
            raw.run(statement)
        assert statement.split()[0].upper() in str(refused.value).upper() or \
            not raw.postgres
    assert len(raw.rows(case_id)) == 5


@pytest.mark.parametrize("changed", [False, True], ids=["same text", "changed text"])
def test_a_state_rewritten_as_text_is_a_break_not_a_crash(changed, tmp_path):
    """SQLite keeps what an UPDATE gives it: `replace(state, ...)` in the sqlite3 shell makes
    the BLOB a TEXT. `verify` names the break and a fresh process refuses the case, whether
    the text still reads the same or not (the events are stored as bytes, nothing else)."""
    url = f"sqlite:///{tmp_path}/events.db"
    service = CaseService(url, clock=None)
    case_id, other = five_events(service), five_events(service)
    raw = RawStore(url)
    raw.drop_protection()
    raw.run("UPDATE EVENTS SET state = replace(state, ?, ?) WHERE originator_id = ? "
            "AND originator_version = 2", ("100.00", "1.00" if changed else "100.00",
                                           raw.key(case_id)))
    assert raw.run("SELECT typeof(state) FROM EVENTS WHERE originator_id = ? "
                   "AND originator_version = 2", (raw.key(case_id),)) == [("text",)]
    reason = "the event cannot be read: its state is stored as text, not bytes"
    assert verified(service) == [Break(case_id, 2, reason)]
    fresh = CaseService(url, clock=None)
    with pytest.raises(ChainBroken) as refused:
        fresh.load(case_id)
    assert (refused.value.version, refused.value.reason) == (2, reason)
    assert fresh.load(other).version == 5
    service.close()
    fresh.close()
