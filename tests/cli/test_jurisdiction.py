"""`arrears open --jurisdiction`: whose law governs the debt, shown by `arrears show`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import main


class TestOpenUnderALaw:
    def test_the_case_is_under_the_jurisdiction_given(self, open_case, show):
        assert show(open_case("--jurisdiction", "germany"))["jurisdiction"] == "germany"

    def test_england_and_wales_out_of_the_box(self, case, show):
        assert show(case)["jurisdiction"] == "england-wales"

    def test_the_default_comes_from_arrears_jurisdiction(self, env, show):
        runner = CliRunner(env={**env, "ARREARS_JURISDICTION": "scotland"})
        result = runner.invoke(main, ["open", "INV-S1", "--debtor", "D Ltd", "--amount", "10",
                                      "--issue-date", "2026-01-01", "--due-date",
                                      "2026-01-31", "--json"])
        assert result.exit_code == 0, result.output
        assert show("INV-S1")["jurisdiction"] == "scotland"

    def test_an_unknown_jurisdiction_is_refused_with_the_words_allowed(self, arrears):
        result = arrears("open", "INV-F1", "--debtor", "D Ltd", "--amount", "10",
                         "--issue-date", "2026-01-01", "--due-date", "2026-01-31",
                         "--jurisdiction", "france")
        assert result.exit_code == 2
        assert "northern-ireland" in result.stderr

    @pytest.mark.parametrize("word", ["england-wales", "northern-ireland"])
    def test_the_timeline_records_it_in_the_opening(self, open_case, timeline, word):
        opened = timeline(open_case("--jurisdiction", word))[0]
        assert opened["data"]["jurisdiction"] == word
