"""An auditor finds every action a collector took last month
(features/access/auditor_finds_a_collectors_actions.feature)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from flask import Flask
from pytest_bdd import given, scenarios, then, when

from application.clock import FixedClock
from domain.money import Money
from features.conftest import Person, case_id_of, parse_date, step

scenarios("access/auditor_finds_a_collectors_actions.feature")

# What a collector does on the case page: the form and what it sends besides the date.
FORMS = {"send a reminder": ("send_reminder", {"channel": "email"}),
         "add a note": ("add_note", {"text": "spoke to accounts"}),
         "log a call": ("log_call", {"direction": "outbound", "outcome": "no_answer"})}


@given(step('"{name}" opened invoice {number} of {debtor} for {amount:Money} issued on '
            '{issued:Date}'))
def opened_on_the_web(site: Flask, name: str, number: str, debtor: str, amount: Money,
                      issued: date) -> None:
    """The collector opens the case on the "Open a case" page."""
    person = Person(site, name).sign_in()
    response = person.send("/cases/new", {
        "invoice_number": number, "debtor_name": debtor, "amount": str(amount.amount),
        "currency": amount.currency, "issue_date": issued.isoformat(),
        "due_date": (issued + timedelta(days=30)).isoformat()}, "/cases/new")
    assert response.status_code == 303, response.get_data(as_text=True)


@given(step('"{name}" signed in and recorded'))
def recorded_on_the_web(site: Flask, name: str, datatable: list[list[str]]) -> None:
    """Each row sent from the case page's form by the signed-in collector."""
    person = Person(site, name).sign_in()
    for number, action, on in datatable[1:]:
        command, fields = FORMS[action]
        case_id = case_id_of(site, number)
        day = parse_date(on).isoformat()
        response = person.send(f"/cases/{case_id}/{command}", {**fields, "occurred_on": day},
                               f"/cases/{case_id}")
        assert response.status_code == 303, response.get_data(as_text=True)


@when(step('"{name}" signs in and looks up the audit trail of "{actor}" for last month'),
      target_fixture="person")
def looks_up_last_month(site: Flask, clock: FixedClock, name: str, actor: str) -> Person:
    last = clock.today().replace(day=1) - timedelta(days=1)
    person = Person(site, name).sign_in()
    person.filters = f"actor={actor}&date_from={last.replace(day=1)}&date_to={last}"
    person.open(f"/audit?{person.filters}")
    return person


@when(step('"{name}" signs in and adds the note "{text}" to invoice {number}'),
      target_fixture="person")
def signs_in_and_adds_a_note(site: Flask, name: str, text: str, number: str) -> Person:
    person = Person(site, name).sign_in()
    person.send(f"/cases/{case_id_of(site, number)}/add_note", {"text": text}, "/cases")
    return person


def found_rows(html: str) -> list[list[str]]:
    """(invoice, event, occurred on) of each row of the audit table."""
    body = html[html.index('<table class="data audit'):]
    body = body[:body.index("</table>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]:
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                      row, re.S)]
        invoice = next(c for c in cells if c.startswith("INV-"))
        event = next(c for c in cells if re.fullmatch(r"[A-Z][A-Za-z]+", c))
        day = next(c for c in cells if re.fullmatch(r"\d{4}-\d{2}-\d{2}", c))
        rows.append([invoice, event, day])
    return rows


@then("he finds")
def he_finds(person: Person, datatable: list[list[str]]) -> None:
    assert person.last.status_code == 200
    person.found = found_rows(person.last.get_data(as_text=True))
    assert person.found == datatable[1:]


@then("the export of the same filters lists the same events")
def the_export_agrees(person: Person) -> None:
    lines = list(csv.DictReader(io.StringIO(
        person.client.get(f"/audit.csv?{person.filters}").get_data(as_text=True))))
    assert [[r["invoice_number"], r["event_type"], r["occurred_on"]] for r in lines] == \
        person.found
    assert {r["actor"] for r in lines} == {"priya.shah"}
