"""The statutory demand: served for what is outstanding with its 21 days, refused with the
reason on a disputed debt, below the thresholds and outside England and Wales."""

from __future__ import annotations

from datetime import date

import pytest

from domain.case import DebtCase
from domain.errors import RuleBroken
from domain.money import Money
from domain.values import Debtor
from tests.builders import given, names, random_name, random_ref, refused, stamp, step, when

DUE = date(2025, 1, 31)
SERVED = date(2025, 3, 1)


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def owing(amount: str, kind: str = "business", jurisdiction: str = "england-wales",
          currency: str = "GBP", *steps: tuple) -> DebtCase:
    case = DebtCase.open(creditor=random_name("Creditor"), invoice_number=random_ref(),
                         debtor=Debtor(random_name(), kind=kind),
                         amount=Money.of(amount, currency), issue_date=date(2025, 1, 1),
                         due_date=DUE, jurisdiction=jurisdiction,
                         stamp=stamp(date(2025, 1, 1)))
    return given(case, *steps)


class TestThresholds:
    # Insolvency Act 1986 s.123: a company must owe MORE than £750 — £750.00 is not enough.
    def test_a_business_owing_exactly_750_is_refused(self):
        case = owing("750.00")
        with refused(case, RuleBroken, "case", match="more than GBP 750.00 owed by a "
                     "business debtor .Insolvency Act 1986 s.123.; GBP 750.00 is owed"):
            when(case, "serve_statutory_demand", SERVED)

    def test_a_business_owing_750_01_may_be_served(self):
        [served] = when(owing("750.01"), "serve_statutory_demand", SERVED)
        assert served.amount == gbp("750.01")

    # s.267(4), bankruptcy level £5,000 since 2015: AT LEAST £5,000 — £4,999.99 is not.
    def test_an_individual_owing_4999_99_is_refused(self):
        case = owing("4999.99", "individual")
        with refused(case, RuleBroken, "case", match="at least GBP 5,000.00 owed by an "
                     "individual .Insolvency Act 1986 s.267.*GBP 4,999.99 is owed"):
            when(case, "serve_statutory_demand", SERVED)

    def test_an_individual_owing_5000_may_be_served(self):
        [served] = when(owing("5000.00", "individual"), "serve_statutory_demand", SERVED)
        assert served.amount == gbp("5000.00")

    def test_what_counts_is_the_outstanding_balance_not_the_invoice(self):
        # GBP 800.00 less 50.00 paid = 750.00 outstanding: refused; less 49.99 = 750.01: served.
        short = owing("800.00", "business", "england-wales", "GBP",
                      step("record_payment", date(2025, 2, 10), amount=gbp("50"),
                           method="card"))
        with refused(short, RuleBroken, "case", match="GBP 750.00 is owed"):
            when(short, "serve_statutory_demand", SERVED)
        enough = owing("800.00", "business", "england-wales", "GBP",
                       step("record_payment", date(2025, 2, 10), amount=gbp("49.99"),
                            method="card"))
        assert names(when(enough, "serve_statutory_demand", SERVED)) == [
            "StatutoryDemandServed"]


class TestTheDemand:
    def test_records_its_21_days_and_the_basis(self):
        # Served 1 Mar 2025 + 21 days = 22 Mar 2025.
        case = owing("1200.00")
        [served] = when(case, "serve_statutory_demand", SERVED)
        assert (served.served_on, served.period_days, served.deadline) == (
            SERVED, 21, date(2025, 3, 22))
        assert served.basis == (
            "A statutory demand may be served: it needs more than GBP 750.00 owed by a "
            "business debtor (Insolvency Act 1986 s.123), and GBP 1,200.00 is owed; the "
            "debtor has 21 days to pay, until 22 March 2025.")
        assert case.statutory_demand_deadline == date(2025, 3, 22)

    def test_a_second_is_refused_while_the_first_period_runs(self):
        case = owing("1200.00", "business", "england-wales", "GBP",
                     step("serve_statutory_demand", SERVED))
        with refused(case, RuleBroken, "case",
                     match="a statutory demand is already running until 22 March 2025"):
            when(case, "serve_statutory_demand", date(2025, 3, 22))
        assert names(when(case, "serve_statutory_demand", date(2025, 3, 23))) == [
            "StatutoryDemandServed"]


class TestRefusals:
    def test_a_disputed_debt_is_refused(self):
        case = owing("9000.00", "business", "england-wales", "GBP",
                     step("raise_dispute", date(2025, 2, 5), reason="goods damaged"))
        with refused(case, RuleBroken, "case", match="no statutory demand on a disputed debt"):
            when(case, "serve_statutory_demand", SERVED)

    @pytest.mark.parametrize(("jurisdiction", "name"), [
        ("scotland", "Scotland"), ("northern-ireland", "Northern Ireland"),
        ("germany", "Germany")])
    def test_another_jurisdiction_is_refused(self, jurisdiction, name):
        case = owing("9000.00", "business", jurisdiction)
        with refused(case, RuleBroken, "case", match="thresholds are known for England and "
                     f"Wales only, not for {name}"):
            when(case, "serve_statutory_demand", SERVED)

    def test_a_debt_in_another_currency_is_refused(self):
        case = owing("9000.00", "business", "england-wales", "EUR")
        with refused(case, RuleBroken, "case", match="thresholds are in GBP; this debt is in EUR"):
            when(case, "serve_statutory_demand", SERVED)

    def test_a_case_on_hold_is_refused(self):
        case = owing("9000.00", "business", "england-wales", "GBP",
                     step("place_hold", date(2025, 2, 5), reason="talking"))
        with refused(case, RuleBroken, "case", match="lift the hold before serving a "
                     "statutory demand"):
            when(case, "serve_statutory_demand", SERVED)
