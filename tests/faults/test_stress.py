"""Many processes, many commands, the same few cases (issue 15, "Load and concurrency"), on
SQLite and PostgreSQL: nothing lost, nothing doubled, every case's balance holds, the chain
verifies and the read models equal a rebuild. The figures are printed (pytest -s shows them;
README quotes them). The bigger setting: bench/stress.py.
"""

from __future__ import annotations

from decimal import Decimal

from application.bootstrap import build
from application.evidence.verify import verify_store
from domain import events as ev
from domain.case import case_id_for
from tests.faults.stress import CREDITOR, PRINCIPAL, invoice, stress
from tests.integration.test_projections import snapshot

PROCESSES, COMMANDS, CASES = 4, 60, 3


def total(events: list, kind: type, attr: str = "amount") -> Decimal:
    return sum((getattr(e, attr).amount for e in events if isinstance(e, kind)), Decimal(0))


def test_every_command_lands_or_gets_a_clear_conflict(database_url, capsys, monkeypatch):
    monkeypatch.setenv("ARREARS_DB_CONNECT_TIMEOUT", "30")
    tally = stress(database_url, PROCESSES, COMMANDS, CASES)
    assert tally.commands == PROCESSES * COMMANDS
    assert (tally.accepted + tally.refused + tally.busy + sum(tally.conflicts.values())
            == tally.commands)
    assert tally.conflicts["already open"] >= CASES  # every process but one found it open
    assert tally.conflicts["bare concurrent write on opening"] == 0
    app = build(database_url, creditor=CREDITOR)
    try:
        stored = 0
        for number in range(CASES):
            case_id = case_id_for(CREDITOR, invoice(number))
            events = list(app.service.case_events(case_id))
            stored += len(events)
            case = app.service.load(case_id)
            outstanding = (Decimal(PRINCIPAL) + total(events, ev.PenaltyApplied)
                           - total(events, ev.PaymentReceived) - total(events, ev.PenaltyWaived)
                           - total(events, ev.CaseSettled, "released")
                           - total(events, ev.WrittenOff))
            assert case.outstanding.amount == outstanding >= 0
            assert sum(isinstance(e, ev.CaseOpened) for e in events) == 1
        assert stored == tally.events  # events = accepted commands' events: none lost or doubled
        report = verify_store(app.service.chain_recorder, app.service.chain_recorder.canonical,
                              snapshots=app.service.snapshot_check())
        assert report.ok and report.events == stored
        app.projector.catch_up()
        followed = snapshot(app)
        app.projector.rebuild()
        assert snapshot(app) == followed
    finally:
        app.close()
    with capsys.disabled():
        print(f"\nstress {database_url.split(':')[0]}: {PROCESSES} processes x {COMMANDS} "
              f"commands on {CASES} cases: {tally.line()}")
