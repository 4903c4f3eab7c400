"""Shared steps for the collection features, in the credit controller's words.

Every step goes through `CaseService` on a temporary SQLite file, its clock fixed at
2026-01-01 09:00 UTC (the evidence bundle's steps go through the web app on that same file).
Given steps must succeed (they set the scene); a When step is the action under test and
hands its refusal, if any, to the Then steps as `refusal`.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import Flask
from flask.testing import FlaskClient
from parse import with_pattern
from pypdf import PdfReader
from pytest_bdd import given, parsers, then, when

from application.bundles.standins import FileSigner
from application.bundles.verify import verify_bundle
from application.bundles.wiring import chain_rules
from application.clock import FixedClock
from application.parsing import parse_amount
from application.service import CaseService
from application.wording import money
from domain.errors import DomainError
from domain.money import Money
from domain.values import Debtor, Stage
from tests.access import CHEAP_HASHER, PASSWORD, install
from tests.commands import execute, open_case
from tests.mail.conftest import smtp_server  # noqa: F401  (a real SMTP server on loopback)
from tests.pdf import require_pdf
from web import create_app

ACTOR = "priya.shah"
CREDITOR = "Acme Supplies Ltd"

# -- typed parsers -------------------------------------------------------------------------

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


@with_pattern(rf"\d{{1,2}} (?:{MONTHS}) \d{{4}}")
def parse_date(text: str) -> date:
    """A date as people write it: 31 January 2025."""
    return datetime.strptime(text, "%d %B %Y").date()


@with_pattern(r"[A-Z]{3} -?\d[\d,]*(?:\.\d+)?")
def parse_money(text: str) -> Money:
    """An amount with its currency first: EUR 1,200.00."""
    currency, amount = text.split(" ")
    return Money(parse_amount(amount, currency=currency), currency)


@with_pattern(r"\d+(?:\.\d+)?")
def parse_rate(text: str) -> Decimal:
    return Decimal(text)


STAGE_WORDS = {stage.value.replace("_", " "): stage for stage in Stage}


@with_pattern("|".join(sorted(STAGE_WORDS, key=len, reverse=True)))
def parse_stage(text: str) -> Stage:
    """A stage in plain words: in mediation, with counsel, written off..."""
    return STAGE_WORDS[text]


PENALTIES = {"statutory interest": "statutory_interest",
             "contractual interest": "contractual_interest",
             "compensation": "compensation", "late fee": "late_fee"}


@with_pattern(rf"(?:a |the )?(?:{'|'.join(PENALTIES)})")
def parse_penalty(text: str) -> str:
    """A kind of penalty: statutory interest, the compensation, a late fee..."""
    return PENALTIES[text.removeprefix("a ").removeprefix("the ")]


WRITE_OFF_REASONS = {"the debtor has vanished": "debtor_vanished",
                     "of the insolvency": "insolvency",
                     "it is uncollectable": "uncollectable"}


@with_pattern("|".join(WRITE_OFF_REASONS))
def parse_write_off_reason(text: str) -> str:
    return WRITE_OFF_REASONS[text]


TYPES = {"Date": parse_date, "Money": parse_money, "Rate": parse_rate, "Stage": parse_stage,
         "Penalty": parse_penalty, "WriteOffReason": parse_write_off_reason}


def step(text: str) -> parsers.parse:
    return parsers.parse(text, extra_types=TYPES)


# -- fixtures ------------------------------------------------------------------------------

@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 1, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def service(tmp_path, clock: FixedClock) -> Iterator[CaseService]:
    """The case service on an empty SQLite file of this scenario's own."""
    service = CaseService(f"sqlite:///{tmp_path}/arrears.db", clock=clock, creditor=CREDITOR)
    yield service
    service.close()


@pytest.fixture
def refusal() -> DomainError | None:
    """No refusal until a When step is refused."""
    return None


def record(service: CaseService, case_id: UUID, command: str, on: date, **fields: Any) -> None:
    """Run a command that sets the scene; it must be accepted."""
    execute(service, case_id, command, actor=ACTOR, occurred_on=on, **fields)


def attempt(service: CaseService, case_id: UUID, command: str, on: date,
            **fields: Any) -> DomainError | None:
    """Run the command under test; return its refusal, if any."""
    try:
        record(service, case_id, command, on, **fields)
    except DomainError as error:
        return error
    return None


def accepted(refusal: DomainError | None) -> None:
    assert refusal is None, f"the command was refused: {refusal}"


def timeline(service: CaseService, case_id: UUID) -> list[dict[str, Any]]:
    return service.history(case_id)


# -- Given ---------------------------------------------------------------------------------

@given(step("{debtor} owes us {amount:Money} on invoice {number} issued on {issued:Date} "
            "and due on {due:Date}"), target_fixture="case_id")
def an_unpaid_invoice(service: CaseService, debtor: str, amount: Money, number: str,
                      issued: date, due: date) -> UUID:
    """Open the case for an unpaid invoice, on the day it was issued."""
    open_case(service, actor=ACTOR, occurred_on=issued, creditor=CREDITOR,
              invoice_number=number, debtor=Debtor(debtor), amount=amount,
              issue_date=issued, due_date=due)
    return service.resolve(number)


@given(step("I sent a reminder by {channel} on {day:Date}"))
def a_reminder_was_sent(service: CaseService, case_id: UUID, channel: str, day: date) -> None:
    """A reminder already went out."""
    record(service, case_id, "send_reminder", day, channel=channel)


@given(step("I issued a demand on {day:Date} with a deadline of {deadline:Date}"))
def a_demand_was_issued(service: CaseService, case_id: UUID, day: date, deadline: date) -> None:
    """The formal demand already went out."""
    record(service, case_id, "issue_demand", day, deadline=deadline,
           consequences="court proceedings")


@given(step('the debtor disputed the invoice on {day:Date} saying "{reason}"'))
def the_invoice_was_disputed(service: CaseService, case_id: UUID, day: date,
                             reason: str) -> None:
    """The debtor raised a dispute: the case is on hold."""
    record(service, case_id, "raise_dispute", day, reason=reason)


@given(step("the debtor promised on {day:Date} to pay {amount:Money} by {by:Date}"))
def a_payment_was_promised(service: CaseService, case_id: UUID, day: date, amount: Money,
                           by: date) -> None:
    """The debtor gave their word to pay."""
    record(service, case_id, "promise_payment", day, amount=amount, promised_on=by)


@given(step("the debtor paid {amount:Money} on {day:Date}"))
def a_payment_came_in(service: CaseService, case_id: UUID, amount: Money, day: date) -> None:
    """Money already received."""
    record(service, case_id, "record_payment", day, amount=amount, method="bank_transfer")


@given(step("I charged {kind:Penalty} of {amount:Money} on {day:Date}"))
def a_penalty_was_charged(service: CaseService, case_id: UUID, kind: str, amount: Money,
                          day: date) -> None:
    """A penalty already added."""
    record(service, case_id, "apply_penalty", day, kind=kind, amount=amount)


@given(step('I referred the case to mediation with "{mediator}" on {day:Date}'))
def the_case_went_to_mediation(service: CaseService, case_id: UUID, mediator: str,
                               day: date) -> None:
    """The case is with a mediator."""
    record(service, case_id, "refer_to_mediation", day, mediator=mediator)


@given(step('I referred the case to counsel "{counsel}" on {day:Date} because "{reason}", '
            "keeping the mediation open"))
def counsel_beside_mediation(service: CaseService, case_id: UUID, counsel: str, day: date,
                             reason: str) -> None:
    """Counsel took the case while the mediation goes on."""
    record(service, case_id, "refer_to_counsel", day, counsel=counsel, override_reason=reason,
           mediation="keep_open")


@given(step('I referred the case to counsel "{counsel}", account "{user}", on {day:Date}'))
def counsel_with_an_account_took_the_case(service: CaseService, case_id: UUID, counsel: str,
                                          user: str, day: date) -> None:
    """A lawyer with a counsel's account here has the case: she may read it, and only it."""
    if service.users.get(user) is None:
        service.users.add(user, "counsel", PASSWORD, actor=ACTOR)
    record(service, case_id, "refer_to_counsel", day, counsel=counsel, user=user)


@given(step('I referred the case to counsel "{counsel}" on {day:Date}'))
def counsel_took_the_case(service: CaseService, case_id: UUID, counsel: str, day: date) -> None:
    """A lawyer has the case (after the demand)."""
    record(service, case_id, "refer_to_counsel", day, counsel=counsel)


@given(step('I added the note "{text}" on {day:Date}'))
def a_note_was_added(service: CaseService, case_id: UUID, text: str, day: date) -> None:
    """A note already on the case."""
    record(service, case_id, "add_note", day, text=text)


@given(step('I filed a proof of claim with "{court}" in insolvency case "{number}" '
            "on {day:Date}"))
def a_claim_was_filed(service: CaseService, case_id: UUID, court: str, number: str,
                      day: date) -> None:
    """Our claim is already filed in the debtor's insolvency."""
    record(service, case_id, "file_bankruptcy_claim", day, court=court,
           insolvency_case_number=number)


@given(step("I wrote off the outstanding balance on {day:Date} because "
            "{reason:WriteOffReason}"))
def the_balance_was_written_off(service: CaseService, case_id: UUID, day: date,
                                reason: str) -> None:
    """The case is closed as written off."""
    record(service, case_id, "write_off", day, reason=reason)


# -- When ----------------------------------------------------------------------------------

@when(step("I send a reminder by {channel} on {day:Date}"), target_fixture="refusal")
def send_a_reminder(service: CaseService, case_id: UUID, channel: str, day: date):
    """Send a reminder; its timing follows from the date."""
    return attempt(service, case_id, "send_reminder", day, channel=channel)


@when(step("I log an {direction} call with {person} on {day:Date} who promises to pay "
           "{amount:Money} by {by:Date}"), target_fixture="refusal")
def log_a_call_with_a_promise(service: CaseService, case_id: UUID, direction: str,
                              person: str, day: date, amount: Money, by: date):
    """Log the call, then the promise made in it."""
    record(service, case_id, "log_call", day, direction=direction, person=person,
           outcome="promised_to_pay")
    return attempt(service, case_id, "promise_payment", day, amount=amount, promised_on=by)


@when(step("the debtor pays {amount:Money} on {day:Date}"), target_fixture="refusal")
def the_debtor_pays(service: CaseService, case_id: UUID, amount: Money, day: date):
    """Record money received by bank transfer."""
    return attempt(service, case_id, "record_payment", day, amount=amount,
                   method="bank_transfer")


@when(step("I charge {kind:Penalty} of {amount:Money} at {rate:Rate}% a year "
           "for {start:Date} to {end:Date} on {day:Date}"), target_fixture="refusal")
def charge_interest(service: CaseService, case_id: UUID, kind: str, amount: Money,
                    rate: Decimal, start: date, end: date, day: date):
    """Add interest for a period, at an annual rate."""
    return attempt(service, case_id, "apply_penalty", day, kind=kind, amount=amount,
                   rate=rate, period_start=start, period_end=end)


@when(step('I waive {amount:Money} of {kind:Penalty} on {day:Date} because "{reason}"'),
      target_fixture="refusal")
def waive_a_penalty(service: CaseService, case_id: UUID, amount: Money, kind: str, day: date,
                    reason: str):
    """Give up part of a penalty already charged."""
    return attempt(service, case_id, "waive_penalty", day, kind=kind, amount=amount,
                   reason=reason)


@when(step("I issue a demand on {day:Date} with a deadline of {deadline:Date} "
           'warning of "{consequences}"'), target_fixture="refusal")
def issue_a_demand(service: CaseService, case_id: UUID, day: date, deadline: date,
                   consequences: str):
    """Send the formal demand for what is outstanding."""
    return attempt(service, case_id, "issue_demand", day, deadline=deadline,
                   consequences=consequences)


@when(step('I refer the case to mediation with "{mediator}" on {day:Date}'),
      target_fixture="refusal")
def refer_to_mediation(service: CaseService, case_id: UUID, mediator: str, day: date):
    """Hand the case to a mediator."""
    return attempt(service, case_id, "refer_to_mediation", day, mediator=mediator)


@when(step('I refer the case to mediation with "{mediator}" on {day:Date} '
           'because "{reason}"'), target_fixture="refusal")
def refer_to_mediation_for_a_reason(service: CaseService, case_id: UUID, mediator: str,
                                    day: date, reason: str):
    """Hand the case to a mediator without a demand first, saying why."""
    return attempt(service, case_id, "refer_to_mediation", day, mediator=mediator,
                   override_reason=reason)


@when(step("the mediator reports that mediation {outcome} on {day:Date}"),
      target_fixture="refusal")
def mediation_ends(service: CaseService, case_id: UUID, outcome: str, day: date):
    """Record how the mediation ended: agreed, failed or withdrawn."""
    return attempt(service, case_id, "conclude_mediation", day, outcome=outcome)


@when(step('I refer the case to counsel "{counsel}" on {day:Date}'),
      target_fixture="refusal")
def refer_to_counsel(service: CaseService, case_id: UUID, counsel: str, day: date):
    """Hand the case to a lawyer."""
    return attempt(service, case_id, "refer_to_counsel", day, counsel=counsel)


@when(step('I refer the case to counsel "{counsel}" on {day:Date} because "{reason}", '
           "concluding the mediation as {outcome}"), target_fixture="refusal")
def refer_to_counsel_ending_mediation(service: CaseService, case_id: UUID, counsel: str,
                                      day: date, reason: str, outcome: str):
    """Hand the case to a lawyer during mediation, recording how the mediation ended."""
    return attempt(service, case_id, "refer_to_counsel", day, counsel=counsel,
                   override_reason=reason, mediation="conclude", mediation_outcome=outcome)


@when(step('I file a proof of claim with "{court}" in insolvency case "{number}" '
           "on {day:Date}"), target_fixture="refusal")
def file_a_proof_of_claim(service: CaseService, case_id: UUID, court: str, number: str,
                          day: date):
    """Claim what is outstanding in the debtor's insolvency."""
    return attempt(service, case_id, "file_bankruptcy_claim", day, court=court,
                   insolvency_case_number=number)


@when(step("I write off the outstanding balance on {day:Date} because "
           "{reason:WriteOffReason}"), target_fixture="refusal")
def write_off(service: CaseService, case_id: UUID, day: date, reason: str):
    """Give up what is outstanding."""
    return attempt(service, case_id, "write_off", day, reason=reason)


@when(step('I add the note "{text}" on {day:Date}'), target_fixture="refusal")
def add_a_note(service: CaseService, case_id: UUID, text: str, day: date):
    """Write a note on the case."""
    return attempt(service, case_id, "add_note", day, text=text)


# -- Then ----------------------------------------------------------------------------------

@then(step('the case records "{summary}"'))
def the_latest_event_reads(service: CaseService, case_id: UUID, refusal, summary: str) -> None:
    """The newest entry of the case's timeline, as the timeline shows it."""
    accepted(refusal)
    assert timeline(service, case_id)[-1]["summary"] == summary


@then(step('the last two entries read "{first}" and "{second}"'))
def the_latest_events_read(service: CaseService, case_id: UUID, refusal, first: str,
                           second: str) -> None:
    """The two newest entries of the case's timeline, in the order recorded."""
    accepted(refusal)
    assert [e["summary"] for e in timeline(service, case_id)[-2:]] == [first, second]


@then(step('the mediator\'s report on {day:Date} is refused: "{message}"'))
def concluding_is_refused(service: CaseService, case_id: UUID, day: date,
                          message: str) -> None:
    """No mediation is left to conclude."""
    refused = attempt(service, case_id, "conclude_mediation", day, outcome="agreed")
    assert refused is not None and refused.message == message


@then(step('it is refused: "{message}"'))
def it_is_refused(refusal: DomainError | None, message: str) -> None:
    """The command was refused with this message."""
    assert refusal is not None, "the command was accepted"
    assert refusal.message == message


@then(step("the case timeline has {count:d} entries"))
@then(step("the case timeline has {count:d} entry"))
def the_timeline_has(service: CaseService, case_id: UUID, count: int) -> None:
    """How many events the case has: a refused command adds none."""
    assert len(timeline(service, case_id)) == count


@then(step("on {day:Date} the case is {stage:Stage}"))
def the_stage_on(service: CaseService, case_id: UUID, day: date, stage: Stage) -> None:
    """The stage the case stands at, as seen on a day."""
    assert service.case(case_id, on=day)["stage"] == stage.value


@then(step("on {day:Date} the case is {days:d} days overdue"))
def days_overdue_on(service: CaseService, case_id: UUID, day: date, days: int) -> None:
    """Calendar days after the due date."""
    assert service.case(case_id, on=day)["days_overdue"] == days


@then(step("the outstanding balance is {amount:Money}"))
def the_outstanding_balance(service: CaseService, case_id: UUID, amount: Money) -> None:
    """Principal and penalties, less what was paid, waived and written off."""
    record_ = service.case(case_id)
    assert (record_["balance"]["outstanding"], record_["currency"]) == \
        (str(amount.amount), amount.currency)


@then(step("the next promised date is {day:Date}"))
def the_next_promised_date(service: CaseService, case_id: UUID, refusal, day: date) -> None:
    """The earliest promise not yet kept."""
    accepted(refusal)
    assert service.case(case_id)["next_promised_date"] == day.isoformat()


@then(step("on {day:Date} no promise is broken"))
def no_promise_broken(service: CaseService, case_id: UUID, day: date) -> None:
    """Every promise due by then was kept, or its date has not passed."""
    assert service.case(case_id, on=day)["broken_promises"] == 0


@then(step("on {day:Date} the promise counts as broken"))
def the_promise_is_broken(service: CaseService, case_id: UUID, day: date) -> None:
    """The promised date passed without the promised amount paid."""
    assert service.case(case_id, on=day)["broken_promises"] == 1


@then(step("the demand deadline is {day:Date}"))
def the_demand_deadline(service: CaseService, case_id: UUID, day: date) -> None:
    """When the demand runs out."""
    assert service.case(case_id)["demand_deadline"] == day.isoformat()


# -- evidence bundles ------------------------------------------------------------------------
# Over the web app on the scenario's own store. Until sign-in arrives, the person downloading
# is the app's ACTOR; `case_page` is the one place that says who is at the browser.

@dataclass(frozen=True)
class Download:
    """What the browser received: the file's name and bytes, saved to `path`."""

    filename: str
    content: bytes
    path: Path


@pytest.fixture
def case_page(service: CaseService, clock: FixedClock,
              tmp_path: Path) -> Iterator[Callable[[str], FlaskClient]]:
    """A browser on the case pages, as `who`: client = case_page("wendy.wright")."""
    apps: list[Flask] = []

    def as_person(who: str) -> FlaskClient:
        app = create_app({"DATABASE_URL": service.url, "CLOCK": clock, "FOLLOW": False,
                          "READMODEL_URL": f"sqlite:///{tmp_path}/readmodels.db",
                          "TESTING": True, "SECRET_KEY": "test",
                          "CREDITOR": CREDITOR, "SIGNING_KEY": str(tmp_path / "key.pem")})
        install(app, {who: "collector"}, who)
        apps.append(app)
        return app.test_client()

    yield as_person
    for app in apps:
        app.extensions["arrears"].close()


def installation_key(tmp_path: Path) -> Ed25519PublicKey:
    """The public half of the key the scenario's app signs with."""
    return load_pem_public_key(FileSigner(tmp_path / "key.pem").public_key_pem())


@given(step('"{who}" downloaded the evidence bundle from the case page'),
       target_fixture="download")
@when(step('"{who}" downloads the evidence bundle from the case page'),
      target_fixture="download")
def download_the_bundle(pytestconfig: pytest.Config, case_page, case_id: UUID, who: str,
                        tmp_path: Path) -> Download:
    """The case page's "Download evidence bundle"."""
    require_pdf(pytestconfig)
    response = case_page(who).get(f"/cases/{case_id}/evidence.zip", buffered=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    filename = response.headers["Content-Disposition"].split("filename=", 1)[1]
    path = tmp_path / "downloads" / filename
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(response.data)
    return Download(filename, response.data, path)


@when("one byte of its chronology PDF is changed")
def change_one_byte_of_the_pdf(download: Download) -> None:
    """What a careless (or dishonest) hand does to the bundle's chronology."""
    with zipfile.ZipFile(download.path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    pdf = bytearray(files["chronology.pdf"])
    pdf[len(pdf) // 2] ^= 0x01
    files["chronology.pdf"] = bytes(pdf)
    with zipfile.ZipFile(download.path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


@then(step('the download is the zip "{filename}"'))
def the_download_is(download: Download, filename: str) -> None:
    assert download.filename == filename
    assert zipfile.is_zipfile(download.path)


@then("the bundle verifies offline against the installation's public key")
def the_bundle_verifies(download: Download, tmp_path: Path) -> None:
    """Only the zip and the key: what `arrears verify-bundle FILE --key PEM` checks."""
    verdict = verify_bundle(download.path, chain_rules(), installation_key(tmp_path))
    assert verdict.verified, [p.line() for p in verdict.problems]


@then(step('the bundle is rejected, naming "{name}"'))
def the_bundle_is_rejected(download: Download, tmp_path: Path, name: str) -> None:
    verdict = verify_bundle(download.path, chain_rules(), installation_key(tmp_path))
    assert not verdict.verified
    assert name in {p.file for p in verdict.problems}


def chronology_text(download: Download) -> str:
    with zipfile.ZipFile(download.path) as archive:
        reader = PdfReader(io.BytesIO(archive.read("chronology.pdf")))
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@then("its chronology lists every event of the case with the time it was recorded and its hash")
def the_chronology_lists_every_event(download: Download) -> None:
    text = chronology_text(download)
    squeezed = "".join(text.split())
    with zipfile.ZipFile(download.path) as archive:
        lines = [json.loads(line) for line in archive.read("events.jsonl").splitlines()]
    assert lines
    for line in lines:
        event_type = line["event"]["topic"].rsplit(":", 1)[-1]
        assert f"Event {line['version']} ({event_type}), recorded " in text
        assert f"hash{line['hash']}" in squeezed


@then(step("its statement of account shows a balance outstanding of {amount:Money}"))
def the_statement_shows(download: Download, amount: Money) -> None:
    text = chronology_text(download)
    assert f"Balance outstanding = {money(amount.amount, amount.currency)}" in text


@then(step('the audit trail records that "{who}" downloaded the evidence bundle from the '
           "case page"))
def the_download_is_recorded(service: CaseService, case_id: UUID, download: Download,
                             who: str) -> None:
    last = timeline(service, case_id)[-1]
    assert (last["type"], last["actor"], last["data"]["interface"]) == \
        ("EvidenceBundleProduced", who, "web")
    assert last["data"]["sha256"] == hashlib.sha256(download.content).hexdigest()


# -- the web app, as people reach it (features/access) -------------------------------------

@pytest.fixture
def site(tmp_path, clock: FixedClock) -> Iterator[Flask]:
    """The web app on this scenario's own SQLite files, on the scenario's clock."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/site.db",
                      "READMODEL_URL": f"sqlite:///{tmp_path}/site-readmodels.db",
                      "CLOCK": clock, "FOLLOW": False, "TESTING": True,
                      "SECRET_KEY": "features", "CREDITOR": CREDITOR,
                      "PASSWORD_HASHER": CHEAP_HASHER})
    yield app
    app.extensions["arrears"].close()


class Person:
    """Someone at a browser: signs in on the sign-in page, sends the forms the pages carry."""

    def __init__(self, site: Flask, name: str) -> None:
        self.site = site
        self.name = name
        self.client = site.test_client()
        self.last: Any = None
        self.filters = ""  # the query string of the last audit look-up
        self.found: list[list[str]] = []  # what it found

    def token(self, path: str) -> str:
        html = self.client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def sign_in(self) -> Person:
        response = self.client.post("/login", data={
            "name": self.name, "password": PASSWORD, "csrf_token": self.token("/login")})
        assert response.status_code == 303, f"{self.name} could not sign in"
        return self

    def open(self, path: str) -> Any:
        self.last = self.client.get(path)
        return self.last

    def send(self, path: str, data: dict[str, str], form_on: str = "/login") -> Any:
        """Post a form with the CSRF token of the page it is on (any page's will do)."""
        self.last = self.client.post(path, data={**data, "csrf_token": self.token(form_on)})
        return self.last


def case_id_of(site: Flask, invoice: str) -> str:
    return str(site.extensions["arrears"].service.resolve(invoice))


@given(step("today is {day:Date}"))
def today_is(clock: FixedClock, day: date) -> None:
    """Move the scenario's clock to 09:00 UTC that day."""
    clock.advance(days=(day - clock.today()).days)


@given("the users")
def the_users(site: Flask, datatable: list[list[str]]) -> None:
    """Users by name and role, each with the test password."""
    users = site.extensions["arrears"].service.users
    for name, role in datatable[1:]:
        users.add(name, role, PASSWORD, actor="operator")


@then("it is forbidden")
def it_is_forbidden(person: Person) -> None:
    assert person.last.status_code == 403


# -- interest left when the principal is paid (ADR 25) --------------------------------------

@when(step('I waive the interest not claimed on {day:Date} because "{reason}"'),
      target_fixture="refusal")
def waive_unclaimed_interest(service: CaseService, case_id: UUID, day: date, reason: str):
    """Give up, explicitly, the interest accrued to the day the principal was paid."""
    return attempt(service, case_id, "waive_interest", day, reason=reason)


@then(step("{amount:Money} of interest to {day:Date} is not claimed"))
def interest_not_claimed(service: CaseService, case_id: UUID, refusal, amount: Money,
                         day: date) -> None:
    """The case stays open: the interest accrued is claimed or waived first."""
    accepted(refusal)
    pending = service.case(case_id)["unclaimed_interest"]
    assert pending is not None, "no interest is left unclaimed"
    assert (pending["amount"], pending["to"]) == (str(amount.amount), day.isoformat())
