"""Working debtor by debtor (features/debtors/one_reminder.feature): the schedule, wired as
`arrears schedule run` wires it, sends to a real SMTP server on loopback."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pytest_bdd import given, parsers, scenarios, then, when

from application.service import CaseService
from domain.money import Money
from domain.values import Debtor
from features.conftest import ACTOR, CREDITOR, step
from features.test_schedule import Runs, events_of, runs  # noqa: F401  (its fixture)
from tests.commands import open_case
from tests.mail.conftest import Server

scenarios("debtors/one_reminder.feature")


@given(step("{debtor}, whose accounts email is {email}, owes us {amount:Money} on invoice "
            "{number} issued on {issued:Date} and due on {due:Date}"), target_fixture="case_id")
def an_unpaid_invoice_by_email(service: CaseService, debtor: str, email: str, amount: Money,
                               number: str, issued: date, due: date) -> UUID:
    open_case(service, actor=ACTOR, occurred_on=issued, creditor=CREDITOR,
              invoice_number=number, debtor=Debtor(debtor, email=email), amount=amount,
              issue_date=issued, due_date=due)
    return service.resolve(number)


@given(step("they also owe us {amount:Money} on invoice {number} issued on {issued:Date} and "
            "due on {due:Date}"))
def another_invoice(service: CaseService, case_id: UUID, amount: Money, number: str,
                    issued: date, due: date) -> None:
    """Another invoice of the same debtor, at the same address."""
    debtor = service.load(case_id).debtor
    open_case(service, actor=ACTOR, occurred_on=issued, creditor=CREDITOR,
              invoice_number=number, debtor=Debtor(debtor.name, email=debtor.email),
              amount=amount, issue_date=issued, due_date=due)


@when(step("the schedule runs on {day:Date}"))
def the_schedule_runs(runs: Runs, day: date) -> None:  # noqa: F811 (the fixture)
    runs.on(day)


@then(step("{count:d} email arrived at {email}"))
def emails_arrived(smtp_server: Server, count: int, email: str) -> None:
    assert [m["To"] for m in smtp_server.messages] == [email] * count


def body(smtp_server: Server) -> str:
    [message] = smtp_server.messages
    return message.get_body(("plain",)).get_content()


@then(parsers.re(r"it lists the invoices (?P<numbers>.+)"))
def it_lists(smtp_server: Server, numbers: str) -> None:
    for number in numbers.replace(" and ", ", ").split(", "):
        assert f"Invoice {number}," in body(smtp_server)


@then("it is the second reminder, the firmest step among them")
def the_firmest(smtp_server: Server) -> None:
    """INV-6001 is 7 days overdue (the policy's firm reminder); the others 4 and 2 days
    (their on-due reminder, taken late). The firm one sets the message's level."""
    assert smtp_server.messages[0]["Subject"].startswith("Second reminder")
    assert "Please pay by 14 February 2026." in body(smtp_server)


@then(step("it states {total:Money} outstanding in total"))
def the_total(smtp_server: Server, total: Money) -> None:
    # 1,200.00 + 300.00 + 450.00 = 1,950.00
    assert f"Outstanding in total: {total}" in body(smtp_server)


@then(step("each of the {count:d} cases recorded a reminder pointing at that email"))
def each_recorded(service: CaseService, smtp_server: Server, count: int) -> None:
    message_id = smtp_server.messages[0]["Message-ID"]
    cases = [service.resolve(n, CREDITOR) for n in ("INV-6001", "INV-6002", "INV-6003")]
    references = [e["data"]["message_reference"] for c in cases
                  for e in events_of(service, c, "ReminderSent")]
    assert references == [message_id] * count
