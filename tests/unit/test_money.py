from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis.strategies import decimals, sampled_from

from domain.errors import CurrencyMismatch, InvalidValue
from domain.money import Money, minor_units


class TestParsingMoney:
    def test_an_amount_is_kept_as_a_decimal_in_minor_units(self):
        money = Money.of("1234.5", "eur")
        assert money == Money(Decimal("1234.50"), "EUR")
        assert isinstance(money.amount, Decimal)
        assert str(money.amount) == "1234.50"

    @pytest.mark.parametrize(("currency", "text"), [
        ("EUR", "100.555"), ("JPY", "800.50"), ("KWD", "1.2345"), ("GBP", "1.005"),
    ])
    def test_more_decimals_than_the_currency_has_are_refused_never_rounded(self, currency,
                                                                           text):
        with pytest.raises(InvalidValue, match="more decimals than"):
            Money.of(text, currency)

    @pytest.mark.parametrize(("text", "expected"), [
        ("2.345", "2.35"),
        ("2.344", "2.34"),
        ("0.005", "0.01"),
        ("-2.345", "-2.35"),
        ("2.3450001", "2.35"),
    ])
    def test_rounding_of_a_computed_amount_is_half_up(self, text, expected):
        assert Money(Decimal(text), "EUR").rounded().amount == Decimal(expected)

    @pytest.mark.parametrize(("currency", "text", "expected"), [
        ("JPY", "1234.5", "1235"),
        ("KWD", "1.2345", "1.235"),
        ("GBP", "1.005", "1.01"),
        ("CHF", "7", "7.00"),
    ])
    def test_rounding_follows_the_minor_units_of_the_currency(self, currency, text, expected):
        assert str(Money(Decimal(text), currency).rounded().amount) == expected

    @pytest.mark.parametrize(("currency", "text", "expected"), [
        ("EUR", "12.34", 1234), ("EUR", "2.345", 235), ("EUR", "-2.345", -235),
        ("EUR", "0.004", 0), ("JPY", "1234.5", 1235), ("KWD", "1.2345", 1235),
        ("EUR", "999999999999.99", 99999999999999),
    ])
    def test_minor_units_of_an_amount_are_those_of_its_rounded_amount(self, currency, text,
                                                                      expected):
        money = Money(Decimal(text), currency)
        assert money.in_minor_units() == expected
        assert Decimal(expected).scaleb(-minor_units(currency)) == money.rounded().amount

    @settings(max_examples=500)
    @given(amount=decimals(min_value=-10**12, max_value=10**12, allow_nan=False, places=6),
           currency=sampled_from(["EUR", "JPY", "KWD", "CLF"]))
    def test_any_amount_in_minor_units_is_its_rounded_amount(self, amount, currency):
        rounded = Money(amount, currency).rounded().amount
        assert Money(amount, currency).in_minor_units() == int(
            rounded.scaleb(minor_units(currency)))

    def test_minor_units_come_from_the_iso_list(self):
        assert minor_units("EUR") == 2
        assert minor_units("JPY") == 0
        assert minor_units("BHD") == 3
        assert minor_units("KWD") == 3

    def test_an_amount_above_the_bound_every_store_can_hold_is_refused(self):
        assert Money.of("999999999999.99", "EUR").amount == Decimal("999999999999.99")
        with pytest.raises(InvalidValue, match="at most 999,999,999,999.99"):
            Money.of("1000000000000", "EUR")

    @pytest.mark.parametrize("code", ["XYZ", "DEM", "ABC"])
    def test_a_code_that_is_no_iso_currency_in_use_is_refused(self, code):
        with pytest.raises(InvalidValue, match="not an ISO 4217 currency in use"):
            Money.of("1", code)

    @pytest.mark.parametrize("text", ["abc", "", "1.2.3", "NaN", "Infinity", "-inf"])
    def test_anything_but_a_finite_number_is_refused(self, text):
        with pytest.raises(InvalidValue) as caught:
            Money.of(text, "EUR", field="amount")
        assert caught.value.field == "amount"

    @pytest.mark.parametrize("code", ["EU", "EURO", "E1R", ""])
    def test_a_currency_must_be_a_three_letter_code(self, code):
        with pytest.raises(InvalidValue) as caught:
            Money.of("1", code)
        assert caught.value.field == "currency"

    def test_the_zero_of_a_currency_has_its_minor_units(self):
        assert str(Money.zero("EUR").amount) == "0.00"
        assert str(Money.zero("JPY").amount) == "0"


class TestMoneyArithmetic:
    def test_decimal_arithmetic_is_exact_where_floats_are_not(self):
        assert Money.of("0.10", "EUR") + Money.of("0.20", "EUR") == Money.of("0.30", "EUR")
        assert Money.of("1.10", "EUR") - Money.of("1.00", "EUR") == Money.of("0.10", "EUR")

    def test_multiplying_keeps_every_digit_until_rounded_once(self):
        interest = Money.of("1000.00", "EUR") * Decimal("0.0815")
        assert interest.amount == Decimal("81.500000")
        assert (Money.of("10.00", "EUR") * Decimal("0.2675")).rounded().amount \
            == Decimal("2.68")

    def test_multiplying_by_a_float_is_refused(self):
        # 2.675 as a float is 2.67499999..., which would round to 2.67 instead of 2.68.
        with pytest.raises(TypeError):
            Money.of("1.00", "EUR") * 2.675

    @pytest.mark.parametrize("combine", [
        lambda a, b: a + b,
        lambda a, b: a - b,
    ])
    def test_two_currencies_cannot_be_combined(self, combine):
        with pytest.raises(CurrencyMismatch) as caught:
            combine(Money.of("1", "EUR"), Money.of("1", "USD"))
        assert caught.value.field == "currency"
        assert caught.value.message == "USD cannot be combined with EUR"

    def test_zero_and_positive_are_told_apart(self):
        assert Money.zero("EUR").is_zero
        assert not Money.zero("EUR").is_positive
        assert Money.of("0.01", "EUR").is_positive
        assert not Money.of("-0.01", "EUR").is_positive

    def test_money_reads_with_its_currency_and_thousands_separator(self):
        assert str(Money.of("1234567.8", "EUR")) == "EUR 1,234,567.80"
        assert str(Money(Decimal("2.345"), "GBP")) == "GBP 2.35"


def test_a_huge_amount_with_decimals_is_refused_by_its_size_not_an_overflow():
    from domain.money import check_amount

    with pytest.raises(InvalidValue, match="at most 999,999,999,999.99"):
        check_amount(Decimal("100000000000000000000000000.0001"), "EUR")
