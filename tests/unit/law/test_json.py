"""The JSON the CLI will print: exactly these keys, ISO dates, decimal strings."""

from datetime import date

from tests.unit.law.helpers import gbp, interest


def test_the_calculation_as_json_has_exactly_the_agreed_shape():
    calc = interest("england-wales", "business", gbp("1000.00"), date(2024, 6, 14),
                    date(2024, 9, 30))
    assert calc.as_json() == {
        "currency": "GBP",
        "lines": [{"from": "2024-06-15", "to": "2024-09-30", "days": 108,
                   "principal": "1000.00", "rate": "13.25", "amount": "39.21"}],
        "interest": "39.21",
        "compensation": "70.00",
        "basis": calc.basis,
    }


def test_a_whole_rate_has_two_decimals_and_no_exponent():
    calc = interest("england-wales", "business", gbp("1000.00"), date(2024, 6, 14),
                    date(2024, 6, 15), contract_rate="10")
    assert calc.as_json()["lines"][0]["rate"] == "10.00"
    calc = interest("england-wales", "business", gbp("1000.00"), date(2024, 6, 14),
                    date(2024, 6, 15), contract_rate="7.125")
    assert calc.as_json()["lines"][0]["rate"] == "7.125"
