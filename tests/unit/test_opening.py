from datetime import date
from decimal import Decimal

import pytest

from domain.case import DebtCase, case_id_for
from domain.errors import DomainError, InvalidValue
from domain.money import Money
from domain.values import Debtor, PaymentTerms, Stage
from tests.builders import (
    DUE,
    ISSUED,
    RECORDED_AT,
    eur,
    names,
    open_case,
    random_name,
    random_ref,
    stamp,
)


def opening(**changes):
    fields = dict(creditor=random_name("Creditor"), invoice_number=random_ref(),
                  debtor=Debtor(random_name()), amount=eur("1200.00"), issue_date=ISSUED,
                  due_date=DUE, stamp=stamp(ISSUED))
    fields.update(changes)
    return fields


def refused_opening(error: type[DomainError], field: str, **changes) -> DomainError:
    with pytest.raises(error) as caught:
        DebtCase.open(**opening(**changes))
    assert caught.value.field == field
    return caught.value


class TestOpeningACase:
    def test_an_unpaid_invoice_opens_a_case_with_its_whole_amount_outstanding(self):
        debtor = Debtor("Brick Ltd", "business", "ap@brick.example")
        case = DebtCase.open(**opening(creditor="Acme", invoice_number="INV-7", debtor=debtor,
                                       contract_reference=" MSA-2 "))
        [event] = case.collect_events()
        assert names([event]) == ["CaseOpened"]
        assert (event.creditor, event.invoice_number, event.debtor) == ("Acme", "INV-7", debtor)
        assert (event.amount, event.issue_date, event.due_date) == (eur("1200.00"), ISSUED, DUE)
        assert event.contract_reference == "MSA-2"
        assert (event.actor, event.occurred_on, event.timestamp) == ("ann", ISSUED, RECORDED_AT)
        assert case.stage == Stage.OPEN
        assert case.outstanding == eur("1200.00")
        assert case.version == 1

    def test_the_terms_are_checked_and_kept(self):
        terms = PaymentTerms(Decimal("8.15"), eur("40"), ("Card", "bank_transfer"))
        case = DebtCase.open(**opening(terms=terms))
        assert case.terms == PaymentTerms(Decimal("8.15"), eur("40.00"),
                                          ("card", "bank_transfer"))

    @pytest.mark.parametrize("amount", ["0", "-10.00", "0.00"])
    def test_the_invoice_amount_must_be_more_than_zero(self, amount):
        refused_opening(InvalidValue, "amount", amount=Money.of(amount, "EUR"))

    def test_the_due_date_cannot_be_before_the_issue_date(self):
        refused_opening(InvalidValue, "due_date", due_date=date(2024, 12, 31))

    def test_a_case_cannot_be_opened_before_the_invoice_was_issued(self):
        refused_opening(InvalidValue, "occurred_on", stamp=stamp(date(2024, 12, 31)))

    def test_a_case_cannot_be_opened_in_the_future(self):
        error = refused_opening(InvalidValue, "occurred_on", stamp=stamp(date(2026, 1, 2)))
        assert "in the future" in error.message

    @pytest.mark.parametrize(("changes", "field"), [
        ({"creditor": "  "}, "creditor"),
        ({"invoice_number": ""}, "invoice_number"),
        ({"debtor": Debtor(" ")}, "debtor.name"),
        ({"debtor": Debtor("Brick", kind="robot")}, "debtor.kind"),
        ({"debtor": Debtor("Brick", email="nobody")}, "debtor.email"),
        ({"terms": PaymentTerms(interest_rate=Decimal("101"))}, "terms.interest_rate"),
        ({"terms": PaymentTerms(late_fee=Money.of("40", "USD"))}, "terms.late_fee"),
        ({"terms": PaymentTerms(late_fee=eur("0"))}, "terms.late_fee"),
        ({"terms": PaymentTerms(payment_methods=("barter",))}, "terms.payment_methods"),
        ({"stamp": stamp(ISSUED, actor=" ")}, "actor"),
    ])
    def test_malformed_fields_are_refused_naming_the_field(self, changes, field):
        refused_opening(InvalidValue, field, **changes)


class TestTheCaseId:
    def test_the_same_creditor_and_invoice_number_give_the_same_case_id(self):
        number = random_ref()
        first = open_case(creditor="Acme Ltd", invoice_number=number)
        second = open_case(creditor="Acme Ltd", invoice_number=number)
        assert first.id == second.id == case_id_for("Acme Ltd", number)

    def test_the_creditor_is_matched_ignoring_case_and_surrounding_spaces(self):
        assert case_id_for(" ACME ltd ", "INV-1") == case_id_for("Acme Ltd", " INV-1")

    def test_another_invoice_or_another_creditor_is_another_case(self):
        assert case_id_for("Acme", "INV-1") != case_id_for("Acme", "INV-2")
        assert case_id_for("Acme", "INV-1") != case_id_for("Brick", "INV-1")

    def test_the_case_id_does_not_change_between_runs(self):
        assert str(case_id_for("Acme", "INV-1")) == "89b0723e-bf46-5d74-8fce-ae0d8a74574d"
