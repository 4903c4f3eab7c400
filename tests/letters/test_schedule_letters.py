"""The schedule's letters, wired at the composition root (`bootstrap.build`,
`build_schedule`): its demand gets its PDF (with the interest it claimed as items of the
account), and a reminder step by letter gets a reminder letter."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.commands import OpenCase
from application.schedule import build_schedule
from application.schedule.policies import Policies
from domain.money import Money
from domain.values import Debtor
from tests.letters.reading import text_of

DUE = date(2026, 1, 31)
BY_POST = """name = "by-post"

[[step]]
name = "reminder-by-post"
kind = "reminder"
day = 7
channel = "letter"
"""


@pytest.fixture
def app(tmp_path: Path, pdf_ready: None):
    clock = FixedClock(datetime(2026, 1, 1, 9, tzinfo=UTC))
    found = build(f"sqlite:///{tmp_path}/events.db", clock=clock, blobs=tmp_path / "blobs",
                  creditor="Acme Supplies Ltd")
    yield found
    found.close()


def opened(app: Arrears, debtor: Debtor) -> UUID:
    return app.service.handle(OpenCase(
        actor="ann", occurred_on=date(2026, 1, 1), creditor="", invoice_number="INV-8001",
        debtor=debtor, amount=Money.of("1200.00", "GBP"), issue_date=date(2026, 1, 1),
        due_date=DUE)).case_id


def run(app: Arrears, policies: Policies, days: int) -> None:
    schedule = build_schedule(app, policies)
    for offset in range(days + 1):
        today = DUE + timedelta(days=offset)
        app.clock.current = datetime(today.year, today.month, today.day, 9, tzinfo=UTC)
        app.projector.catch_up()
        assert schedule.run(today).errors == []


def of_type(app: Arrears, case_id, kind: str) -> list[dict]:
    return [e for e in app.service.history(case_id) if e["type"] == kind]


class TestTheSchedulesLetters:
    def test_the_demand_step_renders_its_letter_with_the_interest_claimed(self, app):
        case_id = opened(app, Debtor("Harbour Lights Cafe Ltd"))
        run(app, Policies(), 21)
        [demand] = of_type(app, case_id, "DemandIssued")
        assert demand["actor"] == "schedule"
        record, pdf = app.letters.letter(case_id, demand["version"])
        assert hashlib.sha256(pdf).hexdigest() == demand["data"]["letter_sha256"]
        assert demand["data"]["letter_reference"] == "INV-8001/FD/2026-02-21"
        text = text_of(pdf)
        # Claimed on day 14 (2026-02-14): 1 Feb to 14 Feb, 14 days at 11.75% on 1,200.00:
        # 1200 x 11.75% x 14 / 365 = 1974 / 365 = 5.4082 -> 5.41; and GBP 70.00.
        assert "Statutory interest, 2026-02-01 to 2026-02-14 (14 days at 11.75% a year) " \
               "GBP 5.41" in text
        assert "Compensation for late payment (fixed sum) GBP 70.00" in text
        assert "Balance outstanding GBP 1,275.41" in text
        assert "The deadline for payment is 7 March 2026." in text

    def test_a_reminder_step_by_letter_renders_a_reminder(self, app, tmp_path):
        (tmp_path / "policies").mkdir()
        (tmp_path / "policies" / "default.toml").write_text(BY_POST, encoding="utf-8")
        case_id = opened(app, Debtor("Harbour Lights Cafe Ltd", address="4 Quay Street"))
        run(app, Policies(tmp_path / "policies"), 7)
        [reminder] = of_type(app, case_id, "ReminderSent")
        assert reminder["data"]["channel"] == "letter"
        _, pdf = app.letters.letter(case_id, reminder["version"])
        assert hashlib.sha256(pdf).hexdigest() == reminder["data"]["letter_sha256"]
        assert "is still unpaid: it is now 7 days overdue" in text_of(pdf)
