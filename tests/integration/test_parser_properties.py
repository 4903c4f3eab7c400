"""The one parser (`application.parsing`), fed anything a person could type.

Every function either refuses the text with an `InvalidValue` naming the field it was given
(with a message), or returns a value that comes back unchanged from the store and from
every read model: the case itself (`service.load`, `service.case`), its summary, its
timeline and the audit trail. Any other exception is a bug.

The texts: anything (control characters, bidirectional marks, surrogates), plus texts built
from the parts of numbers and dates (digits of other scripts, separators, signs, exponents,
huge digit strings). One SQLite store for the module, a new case per example.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from application import parsing
from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.commands import AddNote, OpenCase, PromisePayment, RecordPayment
from application.readmodels.queries import AuditFilter
from domain.currencies import currencies_in_use
from domain.errors import DomainError, InvalidValue
from domain.limits import BIDI_CONTROLS, EARLIEST_DATE, latest_date, text_limit
from domain.money import MAX_AMOUNT, Money
from domain.values import Debtor, DebtorKind, PaymentMethod, PaymentTerms
from tests.builders import random_name, random_ref

T = TypeVar("T")
TODAY = date(2026, 1, 1)
PARSE_ONLY = settings(max_examples=300, deadline=None, database=None)
STORED = settings(max_examples=50, deadline=None, database=None)
CURRENCIES = sorted(currencies_in_use())

# The pieces hostile input is made of: digits of other scripts, separators, signs,
# exponents, spaces of every kind, bidirectional marks, control characters, a surrogate.
PIECES = list("0123456789,.eE+-_ '") + ["١", "٫", "０", "߀", "\u00a0", "\u2009", "\u202e",
                                       "\u200f", "\u2066", "\u061c", "\x00", "\x1b", "\t",
                                       "\n", "\r", "\u2028", "\ufeff", "\ud800", "Inf", "NaN"]
ANYTHING = st.text(st.characters(exclude_categories=()), max_size=60)
PIECEWORK = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
HUGE = st.integers(10**15, 10**80).map(str)
EXPONENTS = st.builds(lambda m, e: f"{m}e{e}", st.integers(-99, 99), st.integers(-400, 400))


def hostile(*shaped: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Anything, pieces of numbers, huge digit strings, exponents and the field's own shape."""
    return st.one_of(ANYTHING, PIECEWORK, HUGE, EXPONENTS, *shaped)


PLAIN_AMOUNTS = st.one_of(
    st.from_regex(parsing.PLAIN_AMOUNT, fullmatch=True),
    st.builds(lambda d, places: f"{round(d, places):,}", st.decimals(
        Decimal("0.001"), MAX_AMOUNT, places=3), st.integers(0, 3)))
DAYS = st.builds(lambda d, pad: f"{pad}{d.isoformat()}{pad}",
                 st.dates(EARLIEST_DATE, latest_date(TODAY)), st.sampled_from(["", " ", "\t"]))
WORDS = st.text(st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=300)
# Parse-only tests: mostly hostile. Stored tests: half of the texts shaped like the field,
# so that most examples reach the store.
AMOUNTS = hostile(PLAIN_AMOUNTS)
DATES = hostile(DAYS, st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True))
RATES = hostile(st.from_regex(r"\d{1,3}(\.\d{1,6})?", fullmatch=True))
TEXTS = hostile(st.text(max_size=300), WORDS)


def half(shaped: st.SearchStrategy[str], others: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """As often one as the other (st.one_of would weigh each of the others' branches)."""
    return st.booleans().flatmap(lambda yes: shaped if yes else others)


STORABLE_AMOUNTS = half(PLAIN_AMOUNTS, AMOUNTS)
STORABLE_DATES = half(DAYS, DATES)
STORABLE_TEXTS = half(st.one_of(WORDS, st.text(max_size=300)), TEXTS)


@pytest.fixture(scope="module")
def arrears(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Arrears]:
    path = tmp_path_factory.mktemp("parser")
    app = build(f"sqlite:///{path / 'events.db'}", clock=FixedClock.on(TODAY),
                readmodels=f"sqlite:///{path / 'readmodels.db'}")
    yield app
    app.close()


def parsed(parse: Callable[..., T], text: object, field: str, *args: Any, **kwargs: Any) -> T:
    """The parsed value; a refusal must be an InvalidValue naming `field`, with a message."""
    try:
        return parse(text, field, *args, **kwargs)
    except InvalidValue as error:
        assert error.field == field, (text, error.field, error.message)
        assert error.message.strip(), text
        raise


def refused(parse: Callable[..., Any], text: object, field: str, *args: Any,
            **kwargs: Any) -> Any:
    """parsed(), or None when refused (properly)."""
    try:
        value = parsed(parse, text, field, *args, **kwargs)
    except InvalidValue:
        event(f"{field}: refused")
        return None
    event(f"{field}: parsed")
    return value


def open_case(arrears: Arrears, *, amount: Money | None = None, debtor: str = "",
              invoice: str = "", actor: str = "ann", due: date = date(2025, 12, 1)) -> UUID:
    """A case for a creditor of its own (so any invoice number is new), projected."""
    recorded = arrears.service.handle(OpenCase(
        actor=actor, creditor=random_name("Creditor"), invoice_number=invoice or random_ref(),
        debtor=Debtor(debtor or random_name(), DebtorKind.BUSINESS, "", "", ""),
        amount=amount or Money(Decimal(100), "EUR"), issue_date=min(due, TODAY),
        due_date=due, terms=PaymentTerms()))
    arrears.projector.catch_up()
    return recorded.case_id


def run(arrears: Arrears, command: Any) -> None:
    arrears.service.handle(command)
    arrears.projector.catch_up()


def timeline(arrears: Arrears, case_id: UUID) -> list[dict[str, Any]]:
    return [{**entry, "details": json.loads(entry["details"])}
            for entry in arrears.views.timeline(str(case_id))]


def audit(arrears: Arrears, case_id: UUID) -> list[dict[str, Any]]:
    return arrears.views.audit(AuditFilter(case=str(case_id)), per_page=200).rows


class TestAmounts:
    @PARSE_ONLY
    @given(text=AMOUNTS, currency=st.sampled_from(CURRENCIES))
    @example(text="100000000000000000000000000.0001", currency="EUR")  # once InvalidOperation
    @example(text="1" * 40, currency="AED")
    def test_an_amount_is_refused_naming_its_field_or_is_exact_and_bounded(self, text,
                                                                          currency):
        value = refused(parsing.parse_amount, text, "late_fee")
        if value is None:
            return
        assert value.is_finite() and abs(value) <= MAX_AMOUNT
        assert value == Decimal(text.strip().replace(",", ""))  # never rounded
        in_currency = refused(parsing.parse_amount, text, "late_fee", currency=currency)
        assert in_currency in (None, value)

    @STORED
    @given(text=STORABLE_AMOUNTS, currency=st.sampled_from(CURRENCIES))
    @example(text="100000000000000000000000000.000", currency="AED")  # once InvalidOperation
    @example(text="999,999,999,999.99", currency="EUR")
    @example(text="0.001", currency="KWD")
    def test_an_amount_comes_back_from_the_store_and_every_read_model(self, arrears, text,
                                                                      currency):
        value = refused(parsing.parse_amount, text, "amount", currency=currency)
        if value is None or value <= 0:
            return
        case_id = open_case(arrears, amount=Money(value, currency))
        run(arrears, RecordPayment(actor="ann", case_id=case_id, amount=value,
                                   method=PaymentMethod.BANK_TRANSFER))
        case = arrears.service.load(case_id)
        assert (case.invoice_amount, case.paid) == (Money(value, currency),) * 2
        assert Decimal(arrears.service.case(case_id)["balance"]["paid"]) == value
        row = arrears.views.case(str(case_id))
        assert (row["currency"], row["principal"], row["paid"]) == (currency, value, value)
        opened, paid = timeline(arrears, case_id)[:2]
        assert Decimal(opened["details"]["amount"]["amount"]) == value
        assert Decimal(paid["details"]["amount"]["amount"]) == value
        assert [r["event_type"] for r in audit(arrears, case_id)][-2:] == [
            "PaymentReceived", "CaseOpened"] or row["is_closed"]


class TestCurrencies:
    @PARSE_ONLY
    @given(text=hostile(st.sampled_from(CURRENCIES), st.sampled_from(CURRENCIES).map(str.lower),
                        st.from_regex(r"[A-Za-z]{3}", fullmatch=True)))
    def test_a_currency_is_refused_naming_its_field_or_is_one_in_use(self, text):
        code = refused(parsing.parse_currency, text, "currency")
        assert code is None or code in currencies_in_use()

    @STORED
    @given(code=st.sampled_from(CURRENCIES))
    def test_a_currency_comes_back_from_the_store_and_the_case_list(self, arrears, code):
        case_id = open_case(arrears, amount=Money(Decimal(5), parsing.parse_currency(code)))
        assert arrears.service.load(case_id).currency == code
        assert arrears.views.case(str(case_id))["currency"] == code


class TestDates:
    @PARSE_ONLY
    @given(text=DATES)
    def test_a_date_is_refused_naming_its_field_or_is_within_bounds(self, text):
        day = refused(parsing.parse_date, text, "due_date", TODAY)
        if day is not None:
            assert EARLIEST_DATE <= day <= latest_date(TODAY)
            assert day.isoformat() == text.strip()

    @STORED
    @given(text=STORABLE_DATES)
    def test_a_due_date_comes_back_from_the_store_and_every_read_model(self, arrears, text):
        day = refused(parsing.parse_date, text, "due_date", TODAY)
        if day is None:
            return
        case_id = open_case(arrears, due=day)
        assert arrears.service.load(case_id).due_date == day
        assert arrears.service.case(case_id)["due_date"] == day.isoformat()
        assert arrears.views.case(str(case_id))["due_date"] == day
        assert timeline(arrears, case_id)[0]["details"]["due_date"] == day.isoformat()
        assert audit(arrears, case_id)[0]["occurred_on"] == min(day, TODAY)

    @STORED
    @given(text=STORABLE_DATES)
    def test_a_promised_date_comes_back_or_the_case_refuses_it(self, arrears, text):
        day = refused(parsing.parse_date, text, "promised_on", TODAY)
        if day is None:
            return
        case_id = open_case(arrears)
        try:
            run(arrears, PromisePayment(actor="ann", case_id=case_id, amount=Decimal(10),
                                        promised_on=day))
        except DomainError as error:  # a rule of promises, not of the parser
            assert error.field == "promised_on" and error.message
            return
        assert arrears.service.load(case_id).next_promised_date == day
        assert arrears.views.case(str(case_id))["next_promised_date"] == day
        assert timeline(arrears, case_id)[-1]["details"]["promised_on"] == day.isoformat()


class TestRates:
    @PARSE_ONLY
    @given(text=RATES)
    def test_a_rate_is_refused_naming_its_field_or_is_a_percentage(self, text):
        rate = refused(parsing.parse_rate, text, "interest_rate")
        if rate is not None:
            assert 0 <= rate <= 100 and rate == Decimal(text.strip())


class TestCounts:
    @PARSE_ONLY
    @given(text=hostile(st.integers(-5, 2_000_000).map(str)), maximum=st.integers(1, 10**6))
    def test_a_count_is_refused_naming_its_field_or_is_within_bounds(self, text, maximum):
        count = refused(parsing.parse_count, text, "page", maximum)
        if count is not None:
            assert 1 <= count <= maximum and count == int(text.strip())


class TestWords:
    @PARSE_ONLY
    @given(text=hostile(st.sampled_from([m.value for m in PaymentMethod]),
                        st.sampled_from([m.value.upper() for m in PaymentMethod])))
    def test_a_word_is_refused_naming_its_field_or_is_of_the_vocabulary(self, text):
        try:
            word = parsing.parse_word(PaymentMethod, text, "method")
        except InvalidValue as error:
            assert error.field == "method" and error.message
            return
        assert word in PaymentMethod and word.value == text.strip().lower()


class TestTexts:
    @PARSE_ONLY
    @given(text=TEXTS, field=st.sampled_from(["text", "debtor.name", "actor", "reason"]))
    def test_a_text_is_refused_naming_its_field_or_is_clean_and_within_its_limit(self, text,
                                                                                field):
        value = refused(parsing.parse_text, text, field, required_text=True)
        if value is None:
            return
        limit, multiline = text_limit(field)
        assert value and value == value.strip() and len(value) <= limit
        allowed = "\n\t" if multiline else ""
        assert not [c for c in value if c not in allowed and (
            c in BIDI_CONTROLS or unicodedata.category(c) in ("Cc", "Cs"))]

    @STORED
    @given(text=STORABLE_TEXTS)
    def test_a_note_comes_back_from_the_store_and_every_read_model(self, arrears, text):
        note = refused(parsing.parse_text, text, "text", required_text=True)
        if note is None:
            return
        case_id = open_case(arrears)
        run(arrears, AddNote(actor="ann", case_id=case_id, text=note))
        assert arrears.service.history(case_id)[-1]["data"]["text"] == note
        entry = timeline(arrears, case_id)[-1]
        assert entry["details"]["text"] == note and entry["summary"] == f"Note: {note}"
        assert audit(arrears, case_id)[0]["summary"] == f"Note: {note}"

    @STORED
    @given(name=STORABLE_TEXTS, invoice=STORABLE_TEXTS, actor=STORABLE_TEXTS)
    def test_names_invoice_numbers_and_actors_come_back(self, arrears, name, invoice, actor):
        values = [refused(parsing.parse_text, text, field, required_text=True)
                  for text, field in ((name, "debtor.name"), (invoice, "invoice_number"),
                                      (actor, "actor"))]
        if None in values:
            return
        name, invoice, actor = values
        case_id = open_case(arrears, debtor=name, invoice=invoice, actor=actor)
        case = arrears.service.load(case_id)
        assert (case.debtor.name, case.invoice_number) == (name, invoice)
        row = arrears.views.case(str(case_id))
        assert (row["debtor_name"], row["invoice_number"]) == (name, invoice)
        assert timeline(arrears, case_id)[0]["actor"] == actor
        (entry,) = audit(arrears, case_id)
        assert (entry["actor"], entry["invoice_number"]) == (actor, invoice)
