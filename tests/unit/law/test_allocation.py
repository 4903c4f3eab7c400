"""Payment allocation: costs, then interest, then principal (§ 367 BGB), or as configured."""

import pytest

from domain.errors import CurrencyMismatch, InvalidValue
from domain.law import Bucket, Jurisdiction, Owed, allocate_payment, allocation_order
from tests.unit.law.helpers import eur, gbp

OWED = Owed(costs=eur("40.00"), interest=eur("12.50"), principal=eur("1000.00"))


class TestDefaultOrder:
    @pytest.mark.parametrize("where", list(Jurisdiction))
    def test_every_jurisdiction_defaults_to_costs_interest_principal(self, where):
        assert allocation_order(where) == (Bucket.COSTS, Bucket.INTEREST, Bucket.PRINCIPAL)

    def test_a_small_payment_pays_the_costs_first(self):
        split = allocate_payment(eur("30.00"), OWED, jurisdiction="germany")
        assert (split.costs, split.interest, split.principal, split.unallocated) == \
            (eur("30.00"), eur("0"), eur("0"), eur("0"))

    def test_a_larger_payment_pays_costs_then_interest_then_principal(self):
        # 100.00 - 40.00 costs - 12.50 interest = 47.50 of principal
        split = allocate_payment(eur("100.00"), OWED, jurisdiction="germany")
        assert (split.costs, split.interest, split.principal, split.unallocated) == \
            (eur("40.00"), eur("12.50"), eur("47.50"), eur("0"))

    def test_what_exceeds_everything_owed_is_left_unallocated(self):
        # 1,100.00 - 1,052.50 owed = 47.50 over
        split = allocate_payment(eur("1100.00"), OWED, jurisdiction="germany")
        assert (split.principal, split.unallocated) == (eur("1000.00"), eur("47.50"))


class TestConfiguredOrder:
    def test_principal_first_when_configured(self):
        split = allocate_payment(eur("1010.00"), OWED, jurisdiction="england-wales",
                                 order=["principal", "interest", "costs"])
        assert (split.principal, split.interest, split.costs) == \
            (eur("1000.00"), eur("10.00"), eur("0"))
        assert split.order == (Bucket.PRINCIPAL, Bucket.INTEREST, Bucket.COSTS)

    def test_an_order_must_name_each_part_once(self):
        with pytest.raises(InvalidValue, match="costs, interest and principal, each once"):
            allocate_payment(eur("10.00"), OWED, jurisdiction="germany",
                             order=["interest", "interest", "principal"])


class TestRefusals:
    def test_a_payment_in_another_currency(self):
        with pytest.raises(CurrencyMismatch, match="is in EUR, but the payment is in GBP"):
            allocate_payment(gbp("10.00"), OWED, jurisdiction="england-wales")

    def test_a_payment_of_nothing(self):
        with pytest.raises(InvalidValue, match="must be more than zero"):
            allocate_payment(eur("0"), OWED, jurisdiction="germany")
