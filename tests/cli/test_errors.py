"""Bad input: one line on stderr naming the option, an exit code, and nothing stored."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def refused(arrears, timeline):
    """Run a command that must fail; check nothing was stored and return the result."""

    def run(case: str, *args: str, code: int):
        before = timeline(case)
        result = arrears(*args)
        assert result.exit_code == code, (result.stdout, result.stderr)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.stderr + result.stdout
        assert len(result.stderr.splitlines()) == 1
        assert timeline(case) == before
        return result

    return run


class TestInvalidInput:
    def test_an_unknown_case(self, refused, case):
        result = refused(case, "pay", "INV-NOPE", "--amount", "5", code=2)
        assert result.stderr == "error: case: no case 'INV-NOPE'\n"

    def test_an_unknown_case_id(self, arrears):
        result = arrears("show", "6ccd5af2-e962-5c1a-a496-e1a55106aa26")
        assert result.exit_code == 2
        assert result.stderr.startswith("error: case: no case")

    def test_a_negative_amount(self, refused, case):
        result = refused(case, "pay", case, "--amount", "-5", code=2)
        assert result.stderr == "error: --amount: must be more than zero, got -5\n"

    def test_an_amount_that_is_not_a_number(self, refused, case):
        result = refused(case, "promise", case, "--amount", "lots", "--by", "2026-03-05",
                         code=2)
        assert result.stderr == "error: --amount: 'lots' is not an amount, e.g. 1200.50\n"

    def test_a_malformed_date(self, refused, case):
        result = refused(case, "pay", case, "--amount", "5", "--on", "2026-13-01", code=2)
        assert result.stderr == "error: --on: '2026-13-01' is not a real calendar date\n"

    def test_a_day_in_the_future(self, refused, case):
        result = refused(case, "remind", case, "--on", "2026-03-02", code=2)
        assert result.stderr == ("error: --on: 2026-03-02 is in the future; an event records "
                                 "what happened\n")

    def test_a_word_outside_the_vocabulary(self, refused, case):
        result = refused(case, "remind", case, "--channel", "fax", code=2)
        assert result.stderr.startswith("error: --channel: 'fax' is not one of 'email'")

    def test_a_missing_option(self, refused, case):
        result = refused(case, "dispute", case, code=2)
        assert result.stderr == "error: --reason: is required\n"

    def test_a_blank_text(self, refused, case):
        result = refused(case, "dispute", case, "--reason", " ", code=2)
        assert result.stderr == "error: --reason: must not be blank\n"

    def test_an_instalment_names_its_position(self, refused, case):
        result = refused(case, "plan", case, "--instalment", "2026-04-01:100",
                         "--instalment", "2026-05-01:-3", code=2)
        assert result.stderr == "error: --instalment #2: must be more than zero, got -3\n"

    def test_a_malformed_instalment(self, refused, case):
        result = refused(case, "plan", case, "--instalment", "2026-04-01=100", code=2)
        assert result.stderr == "error: --instalment: '2026-04-01=100' is not YYYY-MM-DD:AMOUNT\n"

    def test_an_interest_period_names_its_option(self, refused, case):
        result = refused(case, "penalty", case, "--kind", "statutory_interest", "--amount", "5",
                         "--from", "2026-01-31", "--to", "2026-02-28", code=2)
        assert result.stderr == ("error: --from: 2026-01-31 must be after the due date "
                                 "(2026-01-31)\n")

    def test_an_unknown_option(self, refused, case):
        result = refused(case, "pay", case, "--amount", "5", "--tip", "1", code=2)
        assert result.stderr == "error: No such option '--tip'.\n"


class TestRefusedByRule:
    def test_legal_referral_without_a_demand(self, refused, case):
        result = refused(case, "refer-legal", case, "--counsel", "HL", code=1)
        assert result.stderr == ("error: --override-reason: issue a demand before referring "
                                 "to counsel, or give an override reason\n")

    def test_paying_more_than_is_outstanding(self, refused, case):
        result = refused(case, "pay", case, "--amount", "5000", code=1)
        assert result.stderr == ("error: --amount: GBP 5,000.00 is more than the outstanding "
                                 "balance of GBP 1,200.00\n")

    def test_a_reminder_while_disputed(self, ok, refused, case):
        ok("dispute", case, "--reason", "wrong goods")
        result = refused(case, "remind", case, code=1)
        assert result.stderr.startswith("error: case: the case is on hold (dispute)")

    def test_anything_but_a_note_on_a_closed_case(self, ok, refused, case):
        ok("pay", case, "--amount", "1200", "--on", "2026-01-31")  # on time: it closes
        refused(case, "remind", case, code=1)
        ok("note", case, "thanked them")


class TestJsonErrors:
    def test_a_domain_error_is_json_on_stdout(self, refused, case):
        result = refused(case, "pay", case, "--amount", "-5", "--json", code=2)
        assert json.loads(result.stdout) == {
            "errors": {"--amount": ["must be more than zero, got -5"]}}

    def test_a_usage_error_is_json_on_stdout(self, refused, case):
        result = refused(case, "pay", case, "--amount", "5", "--on", "yesterday", "--json",
                         code=2)
        assert json.loads(result.stdout) == {
            "errors": {"--on": ["'yesterday' is not a date (YYYY-MM-DD)"]}}

    def test_a_refusal_is_json_on_stdout(self, refused, case):
        result = refused(case, "refer-legal", case, "--counsel", "HL", "--json", code=1)
        assert list(json.loads(result.stdout)["errors"]) == ["--override-reason"]

    def test_an_unknown_case_is_json_on_stdout(self, arrears):
        result = arrears("timeline", "INV-NOPE", "--json")
        assert result.exit_code == 2
        assert json.loads(result.stdout) == {"errors": {"case": ["no case 'INV-NOPE'"]}}


class TestSettings:
    def test_a_malformed_today(self, arrears, env, case):
        env["ARREARS_TODAY"] = "tomorrow"
        result = arrears("show", case)
        assert result.exit_code == 2
        assert result.stderr == "error: ARREARS_TODAY: 'tomorrow' is not a date (YYYY-MM-DD)\n"

    def test_an_unsupported_database(self, arrears, env):
        env["ARREARS_DATABASE_URL"] = "mysql://localhost/arrears"
        result = arrears("show", "INV-1")
        assert result.exit_code == 2
        assert result.stderr.startswith("error: ARREARS_DATABASE_URL: scheme 'mysql'")
