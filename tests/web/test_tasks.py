"""Tasks on the case page and the dashboard: buttons that open the right form, filled in."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from application.schedule.commands import SetTask
from tests.web.conftest import TODAY
from tests.web.pages_html import input_value, invoices, section, text


def set_task(app: Flask, case_id: str, step: str, actions: tuple[str, ...], due_on: date,
             prefill: dict[str, str] | None = None, what: str = "Call the debtor",
             set_on: date = TODAY) -> None:
    arrears = app.extensions["arrears"]
    arrears.service.handle(SetTask(case_id=UUID(case_id), actor="schedule", occurred_on=set_on,
                                   step=step, what=what, due_on=due_on, actions=actions,
                                   prefill=tuple(sorted((prefill or {}).items()))))
    arrears.projector.catch_up()


@pytest.fixture
def tasks(app: Flask, seeded: dict[str, str]) -> dict[str, str]:
    set_task(app, seeded["INV-1007"], "call", ("log_call",), TODAY,
             {"direction": "outbound"})
    set_task(app, seeded["INV-1001"], "formal-demand", ("issue_demand",), date(2026, 3, 5),
             {"deadline": "2026-03-16", "consequences": "Court proceedings"},
             what="Issue the formal demand")
    set_task(app, seeded["INV-1003"], "consider-referral",
             ("refer_to_mediation", "assign_agency", "refer_to_counsel"), date(2026, 3, 1),
             what="Consider a referral", set_on=date(2026, 2, 25))
    return seeded


def selected(html: str, field_id: str) -> str | None:
    found = re.search(rf'<select[^>]*id="{field_id}".*?</select>', html, re.S)
    chosen = re.search(r'<option value="([^"]*)" selected>', found.group(0)) if found else None
    return chosen.group(1) if chosen else None


def opened(html: str) -> list[str]:
    return re.findall(r'<details class="command" id="form-(\w+)" open>', html)


class TestTheCasePage:
    def test_shows_each_open_task_with_a_button_per_form(self, client: FlaskClient, tasks):
        found = section(text(client.get(f"/cases/{tasks['INV-1003']}")), "tasks")
        assert "Consider a referral" in found and "overdue" in found
        links = re.findall(r'href="([^"]+)">([^<]+)</a>', found)
        assert [label for _, label in links] == ["Refer to mediation",
                                                 "Assign a collection agency",
                                                 "Refer to counsel"]
        assert links[0][0] == (f"/cases/{tasks['INV-1003']}?task=consider-referral"
                               "&amp;form=refer_to_mediation#form-refer_to_mediation")

    def test_the_button_opens_its_form_filled_in(self, client: FlaskClient, tasks):
        html = text(client.get(f"/cases/{tasks['INV-1001']}?task=formal-demand"
                               "&form=issue_demand"))
        assert opened(html) == ["issue_demand"]
        assert input_value(html, "issue_demand-deadline") == "2026-03-16"
        assert input_value(html, "issue_demand-consequences") == "Court proceedings"
        assert input_value(html, "issue_demand-occurred_on") == TODAY.isoformat()

    def test_a_call_task_opens_the_call_form_outbound(self, client: FlaskClient, tasks):
        html = text(client.get(f"/cases/{tasks['INV-1007']}?task=call&form=log_call"))
        assert opened(html) == ["log_call"]
        assert selected(html, "log_call-direction") == "outbound"

    def test_a_form_the_task_does_not_name_opens_as_usual(self, client: FlaskClient, tasks):
        html = text(client.get(f"/cases/{tasks['INV-1001']}?task=formal-demand"
                               "&form=write_off"))
        assert opened(html) == ["log_call", "record_payment", "promise_payment"]

    def test_recording_the_call_does_the_task(self, client: FlaskClient, tasks):
        case_id = tasks["INV-1007"]
        response = client.post(f"/cases/{case_id}/log_call",
                               data={"direction": "outbound", "outcome": "no_answer"})
        assert response.status_code == 303
        html = text(client.get(f"/cases/{case_id}"))
        assert 'id="tasks"' not in html
        assert "Task call done (call logged)" in section(html, "timeline")

    def test_no_block_without_tasks(self, client: FlaskClient, seeded):
        assert 'id="tasks"' not in text(client.get(f"/cases/{seeded['INV-1004']}"))


class TestTheDashboard:
    def test_lists_the_tasks_due_today_or_earlier(self, client: FlaskClient, tasks):
        found = section(text(client.get("/dashboard")), "tasks")
        assert invoices(found) == ["INV-1003", "INV-1007"]  # INV-1001's is due 5 March
        assert '<span class="total">2</span>' in found
        assert (f'href="/cases/{tasks["INV-1007"]}?task=call&amp;form=log_call'
                '#form-log_call">Log a call</a>') in found

    def test_none_today(self, client: FlaskClient, seeded):
        assert "None today." in section(text(client.get("/dashboard")), "tasks")
