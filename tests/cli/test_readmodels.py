"""`arrears list`, `project` and `projections`: the read models from the command line."""

from __future__ import annotations

import json


class TestList:
    def test_lists_the_cases_caught_up_first_with_totals_per_currency(self, ok, open_case):
        first, second = open_case(), open_case(amount="300.00")
        ok("pay", second, "--amount", "100", "--method", "card")
        page = ok("list")
        assert {r["invoice_number"] for r in page["items"]} == {first, second}
        assert page["totals"]["GBP"]["outstanding"] == "1400.00"
        assert page["total"] == 2

    def test_filters_by_bucket_and_search(self, ok, open_case):
        number = open_case()
        assert [r["invoice_number"] for r in ok("list", "--bucket", "1-30")["items"]] == [number]
        assert ok("list", "--bucket", "31-60")["items"] == []
        assert ok("list", "--search", number[-4:])["total"] == 1

    def test_an_unknown_bucket_is_refused_naming_the_option(self, arrears):
        result = arrears("list", "--bucket", "100")
        assert result.exit_code == 2
        assert result.stderr.startswith("error: --bucket:")


class TestProjections:
    def test_status_shows_the_lag_and_rebuild_catches_up(self, arrears, ok, open_case):
        open_case()
        status = ok("projections", "status")["projections"][0]
        assert (status["position"], status["head"], status["lag"]) == (0, 1, 1)
        result = arrears("projections", "rebuild", "--json")
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        rebuilt = json.loads(result.stdout)
        assert (rebuilt["applied"], rebuilt["lag"]) == (1, 0)

    def test_project_once_applies_new_events_and_exits(self, arrears, ok, open_case):
        open_case()
        result = arrears("project", "--once")
        assert result.exit_code == 0
        assert "applied 1 event; position 1" in result.stdout
        assert ok("projections", "status")["projections"][0]["lag"] == 0
