"""The statutory demand (England and Wales): thresholds, disputes, the 21 days."""

from datetime import date

import pytest

from domain.errors import RuleBroken
from domain.law import check_statutory_demand
from tests.unit.law.helpers import eur, gbp


class TestThresholds:
    @pytest.mark.parametrize(("owed", "allowed"), [("750.00", False), ("750.01", True)])
    def test_a_business_must_owe_more_than_750(self, owed, allowed):
        check = check_statutory_demand("england-wales", "business", gbp(owed))
        assert check.allowed is allowed
        assert "more than GBP 750.00 owed by a business debtor (Insolvency Act 1986 s.123)" \
            in check.reason

    def test_the_refusal_says_what_is_needed_and_what_is_owed(self):
        check = check_statutory_demand("england-wales", "business", gbp("750.00"))
        assert check.reason == ("a statutory demand needs more than GBP 750.00 owed by a "
                                "business debtor (Insolvency Act 1986 s.123); GBP 750.00 is owed")

    @pytest.mark.parametrize(("owed", "allowed"), [("4999.99", False), ("5000.00", True)])
    def test_an_individual_must_owe_at_least_5000(self, owed, allowed):
        check = check_statutory_demand("england-wales", "individual", gbp(owed))
        assert check.allowed is allowed
        assert "at least GBP 5,000.00 owed by an individual (Insolvency Act 1986 s.267" \
            in check.reason


class TestRefusals:
    def test_not_on_a_disputed_debt(self):
        check = check_statutory_demand("england-wales", "business", gbp("9000.00"),
                                       disputed=True)
        assert (check.allowed, check.reason) == (False, "no statutory demand on a disputed debt")

    def test_checked_raises_the_reason(self):
        check = check_statutory_demand("england-wales", "business", gbp("100.00"))
        with pytest.raises(RuleBroken, match="needs more than GBP 750.00") as refusal:
            check.checked()
        assert refusal.value.field == "statutory_demand"

    def test_the_thresholds_are_in_pounds(self):
        check = check_statutory_demand("england-wales", "business", eur("9000.00"))
        assert check.reason == "the statutory demand thresholds are in GBP; this debt is in EUR"

    @pytest.mark.parametrize(("where", "name"), [("scotland", "Scotland"),
                                                 ("northern-ireland", "Northern Ireland"),
                                                 ("germany", "Germany")])
    def test_known_for_england_and_wales_only(self, where, name):
        check = check_statutory_demand(where, "business", gbp("9000.00"))
        assert (check.allowed, check.days) == (False, None)
        assert check.reason.endswith(f"England and Wales only, not for {name}")


class TestPeriod:
    def test_the_debtor_has_21_days(self):
        check = check_statutory_demand("england-wales", "business", gbp("750.01")).checked()
        assert check.days == 21
        assert check.deadline(date(2026, 3, 2)) == date(2026, 3, 23)
        assert check.reason.endswith("the debtor has 21 days to pay")
