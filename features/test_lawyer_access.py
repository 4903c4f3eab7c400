"""A lawyer sees only the cases referred to her (features/access/lawyer_sees_only_her_cases)."""

from __future__ import annotations

from datetime import date

from flask import Flask
from pytest_bdd import given, scenarios, then, when

from domain.money import Money
from domain.values import Debtor
from features.conftest import ACTOR, Person, case_id_of, step
from tests.commands import execute, open_case

scenarios("access/lawyer_sees_only_her_cases.feature")


@given(step('{debtor} owes us {amount:Money} on invoice {number}, referred to counsel '
            '"{counsel}" naming the user "{user}"'))
def referred_naming_a_user(site: Flask, debtor: str, amount: Money, number: str,
                           counsel: str, user: str) -> None:
    """A demanded case referred to counsel, the referral naming the counsel user."""
    _referred(site, debtor, amount, number, counsel, user)


@given(step('{debtor} owes us {amount:Money} on invoice {number}, referred to counsel '
            '"{counsel}" naming no user'))
def referred_naming_no_user(site: Flask, debtor: str, amount: Money, number: str,
                            counsel: str) -> None:
    _referred(site, debtor, amount, number, counsel, "")


def _referred(site: Flask, debtor: str, amount: Money, number: str, counsel: str,
              user: str) -> None:
    arrears = site.extensions["arrears"]
    case_id = open_case(arrears.service, occurred_on=date(2025, 10, 1),
                        invoice_number=number, debtor=Debtor(debtor, "business"), amount=amount,
                        issue_date=date(2025, 10, 1), due_date=date(2025, 10, 31))
    execute(arrears.service, case_id, "issue_demand", actor=ACTOR, occurred_on=date(2025, 11, 5),
            deadline=date(2025, 11, 19), consequences="Referral to counsel")
    execute(arrears.service, case_id, "refer_to_counsel", actor=ACTOR,
            occurred_on=date(2025, 12, 1), counsel=counsel, user=user)
    arrears.projector.catch_up()


@when(step('"{name}" signs in and opens invoice {number}'), target_fixture="person")
def signs_in_and_opens(site: Flask, name: str, number: str) -> Person:
    person = Person(site, name).sign_in()
    person.open(f"/cases/{case_id_of(site, number)}")
    return person


@when(step('"{name}" signs in and adds the note "{text}" to invoice {number}'),
      target_fixture="person")
def signs_in_and_adds_a_note(site: Flask, name: str, text: str, number: str) -> Person:
    person = Person(site, name).sign_in()
    person.send(f"/cases/{case_id_of(site, number)}/add_note", {"text": text}, "/cases")
    return person


@then(step("she sees the case of {debtor}"))
def she_sees_the_case(person: Person, debtor: str) -> None:
    assert person.last.status_code == 200
    assert debtor in person.last.get_data(as_text=True)


@then("she is offered nothing to record")
def nothing_to_record(person: Person) -> None:
    html = person.last.get_data(as_text=True)
    assert 'id="record-h"' not in html and "/add_note" not in html


@then("the page is not found, as for a case that does not exist")
def not_found(person: Person) -> None:
    assert person.last.status_code == 404
    assert person.open("/cases/00000000-0000-4000-8000-000000000000").status_code == 404


@then(step("nothing of {debtor} is on her case list, her dashboard or its debtor's page"))
def nothing_of_the_debtor(person: Person, debtor: str) -> None:
    for path in ("/cases", "/dashboard", f"/cases?q={debtor.split()[0]}"):
        assert debtor not in person.open(path).get_data(as_text=True), path
    assert person.open(f"/debtors/{debtor.lower()}").status_code == 404


@then(step("invoice {number} has no note"))
def has_no_note(site: Flask, number: str) -> None:
    events = site.extensions["arrears"].service.history(
        site.extensions["arrears"].service.resolve(number))
    assert "NoteAdded" not in [e["type"] for e in events]
