"""Who a debtor is across cases (domain.debtors), the tax id a case may give, a debtor hold's
rules (domain.debtor_holds), and a CaseOpened stored before the tax id still decoding."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.debtor_holds import lifted, placed
from domain.debtors import debtor_key, name_key
from domain.errors import InvalidValues, RuleBroken
from domain.values import Debtor
from tests.builders import replayed
from tests.unit.test_stored_events import decoded

CASE_ID = UUID("692366df-d75a-597d-a012-705ebe90c3be")  # case_id_for("C", "INV-5")


class TestTheKey:
    def test_a_tax_id_wins_whatever_the_name_or_address(self):
        one = Debtor("Harbour Ltd", email="ap@harbour.example", tax_id="GB 123 4567 89")
        other = Debtor("HARBOUR LIMITED", email="", tax_id="gb123-4567.89")
        assert debtor_key(one) == debtor_key(other) == "tax:GB123456789"

    def test_else_the_email_address_folded(self):
        assert debtor_key(Debtor("Harbour", email=" AP@Harbour.example ")) == \
            "email:ap@harbour.example"

    def test_else_the_name_normalised(self):
        assert debtor_key(Debtor("ACME  Trading Ltd.")) == "name:acme trading ltd"
        assert debtor_key(Debtor("Nordic A/S")) == debtor_key(Debtor("nordic as"))
        assert name_key("Smith, Jones & Co.") == "smith jones & co"

    def test_a_name_never_passes_for_an_address(self):
        assert debtor_key(Debtor("email:ap@harbour.example")) != \
            debtor_key(Debtor("x", email="ap@harbour.example"))


class TestTheTaxId:
    def test_is_checked_with_the_debtor(self):
        with pytest.raises(InvalidValues) as refused:
            Debtor("Harbour", tax_id="GB<123>").checked()
        assert list(refused.value.errors) == ["debtor.tax_id"]

    def test_is_kept_as_given(self):
        assert Debtor("Harbour", tax_id=" DE 123 456 789 ").checked().tax_id == "DE 123 456 789"


class TestAHold:
    def test_needs_a_reason_and_an_end_not_past(self):
        with pytest.raises(InvalidValues) as refused:
            placed("tax:GB1", " ", date(2026, 1, 1), "ann", date(2026, 2, 1))
        assert set(refused.value.errors) == {"reason", "until"}

    def test_holds_through_its_last_day(self):
        hold = placed("tax:GB1", "insolvency", date(2026, 2, 10), "ann", date(2026, 2, 1))
        assert hold.holds_on(date(2026, 2, 10)) and not hold.holds_on(date(2026, 2, 11))

    def test_cannot_be_lifted_when_there_is_none(self):
        with pytest.raises(RuleBroken, match="not on hold"):
            lifted(None, "tax:GB1", date(2026, 2, 1))


class TestACaseOpenedBeforeTheTaxId:
    def test_decodes_with_no_tax_id_and_replays(self):
        [opened] = decoded("case_opened_v2.tsv", CASE_ID)
        assert opened.debtor == Debtor("Harbour Ltd.", "business", "ap@harbour.example")
        assert opened.debtor.tax_id == ""
        case = replayed([opened])
        assert (case.jurisdiction, case.debtor.tax_id) == ("germany", "")
        assert debtor_key(case.debtor) == "email:ap@harbour.example"
