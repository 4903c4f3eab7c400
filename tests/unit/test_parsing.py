"""The one parser: amounts, currencies, dates, rates, words and texts as people type them."""

from datetime import date
from decimal import Decimal

import pytest

from application.parsing import (
    parse_amount,
    parse_count,
    parse_currency,
    parse_date,
    parse_rate,
    parse_text,
    parse_word,
)
from domain.errors import InvalidValue
from domain.values import PaymentMethod

TODAY = date(2026, 12, 1)


def refused(parse, *args, field="amount", match=None, **kwargs) -> InvalidValue:
    with pytest.raises(InvalidValue, match=match) as caught:
        parse(*args, **kwargs)
    assert caught.value.field == field
    return caught.value


class TestAmounts:
    @pytest.mark.parametrize(("text", "expected"), [
        ("1200", "1200"), ("1200.50", "1200.50"), ("1,200.50", "1200.50"),
        ("1,000", "1000"), ("12,345,678.9", "12345678.9"), (" 42 ", "42"), ("-5", "-5"),
    ])
    def test_a_plain_or_correctly_grouped_amount_is_read_exactly(self, text, expected):
        assert parse_amount(text) == Decimal(expected)

    @pytest.mark.parametrize("text", ["800,50", "1.000,50", "5,50", "1,00,000", "1,0000",
                                      "1.000.000"])
    def test_an_ambiguous_separator_is_refused_with_a_hint(self, text):
        error = refused(parse_amount, text, match="is ambiguous")
        assert "1,000.50" in error.message

    @pytest.mark.parametrize("text", ["1e3", "3.3e233", "1e400", "1E+3", "2.5e-1"])
    def test_exponent_notation_is_refused(self, text):
        refused(parse_amount, text, match="exponent notation")

    @pytest.mark.parametrize(("text", "currency"), [("100.555", "EUR"), ("800.50", "JPY"),
                                                    ("1.2345", "KWD")])
    def test_more_decimals_than_the_currency_has_are_refused_not_rounded(self, text, currency):
        refused(parse_amount, text, currency=currency, match="more decimals than")

    def test_the_currencys_minor_units_are_allowed(self):
        assert parse_amount("800", currency="JPY") == Decimal(800)
        assert parse_amount("1.234", currency="KWD") == Decimal("1.234")
        assert parse_amount("1.234", currency="BHD") == Decimal("1.234")

    @pytest.mark.parametrize("text", ["999999999999999999999", "1,000,000,000,000"])
    def test_an_amount_above_the_bound_is_refused(self, text):
        refused(parse_amount, text, match="at most 999,999,999,999.99")

    def test_the_bound_itself_is_taken(self):
        assert parse_amount("999,999,999,999.99") == Decimal("999999999999.99")

    @pytest.mark.parametrize("text", ["", "abc", "NaN", "Infinity", "12 345", "£12", None, True])
    def test_anything_else_is_refused_naming_the_field(self, text):
        refused(parse_amount, text, "late_fee", field="late_fee")

    def test_a_declared_locale_reads_its_own_notation(self):
        assert parse_amount("1.000,50", locale="de") == Decimal("1000.50")
        assert parse_amount("800,50", locale="de") == Decimal("800.50")
        refused(parse_amount, "1.00,50", locale="de", match="not an amount in locale de")

    def test_a_json_number_is_read_like_text(self):
        assert parse_amount(800.5) == Decimal("800.5")
        assert parse_amount(12) == Decimal(12)
        refused(parse_amount, 3.3e233, match="exponent notation")


class TestOtherValues:
    def test_a_currency_must_be_an_iso_4217_currency_in_use(self):
        assert parse_currency(" eur ") == "EUR"
        refused(parse_currency, "XYZ", field="currency", match="not an ISO 4217")

    @pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "26-01-01", "20260101",
                                      "2026-1-1", "01/02/2026"])
    def test_a_date_must_be_a_real_calendar_date_written_yyyy_mm_dd(self, text):
        refused(parse_date, text, "due_date", TODAY, field="due_date")

    @pytest.mark.parametrize(("text", "ok"), [("1900-01-01", True), ("1899-12-31", False),
                                              ("2126-12-31", True), ("2127-01-01", False),
                                              ("9999-12-31", False)])
    def test_dates_run_from_1900_to_100_years_ahead(self, text, ok):
        if ok:
            assert parse_date(text, "due_date", TODAY) == date.fromisoformat(text)
        else:
            refused(parse_date, text, "due_date", TODAY, field="due_date", match="outside")

    def test_a_rate_is_percent_a_year_up_to_100(self):
        assert parse_rate("8.15") == Decimal("8.15")
        refused(parse_rate, "101", field="rate")
        refused(parse_rate, "1e2", field="rate")

    def test_a_word_is_one_of_its_vocabulary(self):
        assert parse_word(PaymentMethod, "Card", "method") is PaymentMethod.CARD
        refused(parse_word, PaymentMethod, "bitcoin", "method", field="method",
                match="bank_transfer, card")

    def test_page_numbers_are_bounded(self):
        assert parse_count("3", "page", 1000) == 3
        refused(parse_count, "1152921504606846977", "page", 1000, field="page")
        refused(parse_count, "0", "page", 1000, field="page")


class TestTexts:
    def test_each_field_has_one_length_limit(self):
        assert parse_text("x" * 5000, "text") == "x" * 5000
        refused(parse_text, "x" * 5001, "text", field="text", match="at most 5,000 characters")
        refused(parse_text, "x" * 101, "invoice_number", field="invoice_number",
                match="at most 100")
        refused(parse_text, "x" * 201, "debtor.name", field="debtor.name", match="at most 200")

    def test_a_note_keeps_newlines_and_tabs_but_no_other_control_character(self):
        assert parse_text("line one\r\n\tline two", "text") == "line one\n\tline two"
        refused(parse_text, "a\u0000b", "text", field="text", match="U\\+0000")
        refused(parse_text, "a\u0007b", "text", field="text", match="U\\+0007")

    def test_a_single_line_field_refuses_newlines(self):
        refused(parse_text, "INV\n1", "invoice_number", field="invoice_number",
                match="U\\+000A")

    @pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068",
                                      "\u2069", "\u200f"])
    def test_bidirectional_overrides_are_refused_everywhere(self, char):
        refused(parse_text, f"pay {char}evil", "text", field="text", match="U\\+")

    def test_a_required_text_must_not_be_blank(self):
        refused(parse_text, "   ", "reason", field="reason", required_text=True,
                match="must not be blank")
