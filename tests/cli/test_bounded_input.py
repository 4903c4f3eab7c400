"""One way in: the CLI refuses what the web and the API refuse, with the same messages."""

from __future__ import annotations

import pytest

from tests.cli.conftest import DUE, ISSUED, invoice


def opening(number: str, *extra: str, amount: str = "100") -> list[str]:
    return ["open", number, "--debtor", "X Ltd", "--amount", amount, "--issue-date", ISSUED,
            "--due-date", DUE, *extra]


class TestRefusedAndNothingStored:
    @pytest.mark.parametrize(("args", "line"), [
        (("--amount", "999999999999999999999"),
         "error: --amount: must be at most 999,999,999,999.99"),
        (("--amount", "800,50"), "error: --amount: '800,50' is ambiguous"),
        (("--amount", "1e3"), "error: --amount: '1e3' uses exponent notation"),
        (("--amount", "100.555"), "error: --amount: 100.555 has more decimals than GBP"),
        (("--amount", "800.50", "--currency", "JPY"),
         "error: --amount: 800.50 has more decimals than JPY allows (no minor unit)"),
        (("--currency", "XYZ"), "error: --currency: 'XYZ' is not an ISO 4217 currency"),
        (("--due-date", "9999-12-31"), "error: --due-date: 9999-12-31 is outside"),
        (("--debtor-email", "a@b\u0000"), "error: --debtor-email: must not contain U+0000"),
    ])
    def test_an_opening_is_refused_with_one_line_and_exit_2(self, arrears, args, line):
        number = invoice()
        result = arrears(*opening(number), *args)
        assert result.exit_code == 2, result.stdout
        assert result.stderr.startswith(line), result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert arrears("show", number).exit_code == 2  # no such case

    @pytest.mark.parametrize(("field", "args"), [
        ("invoice_number", ()),
        ("--debtor", ("--debtor", "d" * 10_000)),
    ])
    def test_texts_have_the_limits_they_have_on_the_web(self, arrears, field, args):
        number = "N" * 10_000 if field == "invoice_number" else invoice()
        result = arrears(*opening(number), *args)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: {field}: must be at most")

    @pytest.mark.parametrize(("amount", "line"), [
        ("1e400", "error: --amount: '1e400' uses exponent notation"),
        ("5,50", "error: --amount: '5,50' is ambiguous"),
        ("-5", "error: --amount: must be more than zero, got -5"),
    ])
    def test_a_payment_is_never_misread(self, arrears, case, timeline, amount, line):
        before = timeline(case)
        result = arrears("pay", case, "--amount", amount)
        assert result.exit_code == 2
        assert result.stderr.startswith(line), result.stderr
        assert "Traceback" not in result.output
        assert timeline(case) == before

    def test_a_grouped_payment_is_read_exactly(self, ok, case, show):
        ok("pay", case, "--amount", "1,000.50")
        assert show(case)["balance"]["paid"] == "1000.50"

    def test_a_note_longer_than_the_webs_limit_is_refused(self, arrears, case, timeline):
        before = timeline(case)
        result = arrears("note", case, "x" * 10_000)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: text: must be at most 5,000 characters")
        assert timeline(case) == before
