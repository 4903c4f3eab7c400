"""The case page's "send a reminder email now" form: it sends, records once, says where the
mail went, and shows a refusal in the form with nothing sent or stored."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask

from application.clock import FixedClock
from domain.money import Money
from domain.values import Debtor
from tests.access import install
from tests.commands import execute, open_case
from tests.mail.conftest import (  # noqa: F401 (smtp_server: a fixture)
    LOOPBACK,
    free_port,
    mailer_at,
    smtp_server,
)
from tests.web.pages_html import section, text
from web import create_app

FORM = "form-send_reminder_email"


def make_app(tmp_path: Path, mailer=None) -> Flask:
    """The app, every test client signed in as the collector web-test."""
    app = create_app({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'events.db'}",
        "READMODEL_URL": f"sqlite:///{tmp_path / 'readmodels.db'}",
        "CLOCK": FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)), "FOLLOW": False,
        "TESTING": True, "SECRET_KEY": "test", "MAILER": mailer})
    return install(app, {"web-test": "collector"}, "web-test")


def opened(app: Flask) -> str:
    """EUR 2,000.00 due 2026-01-31, 30 days overdue on 2026-03-02."""
    service = app.extensions["arrears"].service
    case_id = open_case(service, occurred_on=date(2026, 1, 1), invoice_number="INV-MAIL",
                        debtor=Debtor("Gamma Supplies Ltd", "business",
                                      "ap@gamma.example"),
                        amount=Money.of("2000.00", "EUR"), issue_date=date(2026, 1, 1),
                        due_date=date(2026, 1, 31))
    app.extensions["arrears"].projector.catch_up()
    return str(case_id)


def reminders(app: Flask, case_id: str) -> list[dict]:
    return [e for e in app.extensions["arrears"].service.history(UUID(case_id))
            if e["type"] == "ReminderSent"]


@pytest.fixture
def outbox_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """No SMTP host: mail is written under var/outbox/ (in tmp_path)."""
    monkeypatch.chdir(tmp_path)
    for name in ("ARREARS_SMTP_HOST", "ARREARS_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    return make_app(tmp_path)


class TestSendingFromTheCasePage:
    def test_the_form_is_on_an_open_case_and_posts_to_its_own_address(self, outbox_app):
        case_id = opened(outbox_app)
        form = section(text(outbox_app.test_client().get(f"/cases/{case_id}")), FORM)
        assert f'action="/cases/{case_id}/reminders/send"' in form
        assert '<option value="final"' in form and 'name="recipient"' in form

    def test_without_an_smtp_host_it_is_written_to_the_outbox_and_the_page_says_so(
            self, outbox_app, tmp_path):
        case_id = opened(outbox_app)
        client = outbox_app.test_client()
        response = client.post(f"/cases/{case_id}/reminders/send", data={"level": "firm"},
                               follow_redirects=True)
        page = unescape(text(response))
        assert response.status_code == 200
        assert ("Sent: firm reminder for invoice INV-MAIL to ap@gamma.example, written to "
                "var/outbox/20260302.firm.") in page
        assert "no SMTP host configured." in page
        assert len(list((tmp_path / "var" / "outbox").glob("*.eml"))) == 1
        [event] = reminders(outbox_app, case_id)
        assert event["actor"] == "web-test"

    def test_sent_twice_it_is_recorded_once(self, outbox_app):
        case_id = opened(outbox_app)
        client = outbox_app.test_client()
        client.post(f"/cases/{case_id}/reminders/send", data={})
        again = client.post(f"/cases/{case_id}/reminders/send", data={},
                            follow_redirects=True)
        assert "Already sent today: after_due reminder" in unescape(text(again))
        assert len(reminders(outbox_app, case_id)) == 1

    def test_a_refused_level_is_shown_in_the_form_and_nothing_is_sent(self, outbox_app,
                                                                      tmp_path):
        case_id = opened(outbox_app)
        response = outbox_app.test_client().post(f"/cases/{case_id}/reminders/send",
                                                 data={"level": "before_due"})
        assert response.status_code == 422
        form = unescape(section(text(response), FORM))
        assert "a before_due reminder is sent before the due date (2026-01-31)" in form
        assert reminders(outbox_app, case_id) == [] and not (tmp_path / "var").exists()

    def test_a_recipient_that_is_not_an_address_is_bad_input(self, outbox_app):
        case_id = opened(outbox_app)
        response = outbox_app.test_client().post(f"/cases/{case_id}/reminders/send",
                                                 data={"recipient": "nobody"})
        assert response.status_code == 400
        assert "'nobody' is not an email address" in unescape(section(text(response), FORM))
        assert 'value="nobody"' in section(text(response), FORM)  # the input is kept

    def test_a_closed_case_has_no_send_form(self, outbox_app):
        case_id = opened(outbox_app)
        execute(outbox_app.extensions["arrears"].service, UUID(case_id), "record_payment",
                occurred_on=date(2026, 1, 31), amount=Money.of("2000.00", "EUR"),
                method="bank_transfer")  # on its due date: no interest, so it closes
        outbox_app.extensions["arrears"].projector.catch_up()
        assert FORM not in text(outbox_app.test_client().get(f"/cases/{case_id}"))


class TestOverSmtp:
    def test_the_reminder_arrives(self, tmp_path, smtp_server):  # noqa: F811
        app = make_app(tmp_path, smtp_server.mailer())
        case_id = opened(app)
        response = app.test_client().post(f"/cases/{case_id}/reminders/send",
                                          data={"recipient": "boss@gamma.example"},
                                          follow_redirects=True)
        assert f"sent via SMTP to {LOOPBACK}:{smtp_server.port}" in unescape(text(response))
        [message] = smtp_server.messages
        assert message["To"] == "boss@gamma.example"
        assert reminders(app, case_id)[0]["data"]["message_reference"] == \
            message["Message-ID"]

    def test_an_unreachable_server_is_a_502_with_nothing_stored(self, tmp_path):
        app = make_app(tmp_path, mailer_at(free_port(), connect_timeout=2))
        case_id = opened(app)
        response = app.test_client().post(f"/cases/{case_id}/reminders/send", data={})
        assert response.status_code == 502
        assert "nothing was sent or recorded" in unescape(section(text(response), FORM))
        assert reminders(app, case_id) == []
