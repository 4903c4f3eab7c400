"""Every count the CLI prints reads as English: 1 case, 2 cases, 1 event, 2 events."""

from __future__ import annotations

import pytest

from cli.commands import tool
from tests.cli.conftest import ISSUED, invoice


def output(arrears, *args: str) -> str:
    result = arrears(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result.stdout


def lines(arrears, *args: str) -> list[str]:
    return output(arrears, *args).splitlines()


def cases(open_case, count: int) -> None:
    for _ in range(count):
        open_case()


class TestList:
    @pytest.mark.parametrize(("count", "said"), [(1, "1 case"), (2, "2 cases")])
    def test_counts_the_cases_in_each_currency_and_on_the_page(self, arrears, open_case,
                                                               count: int, said: str) -> None:
        cases(open_case, count)
        printed = lines(arrears, "list")
        assert printed[-2].startswith(f"total GBP: {said}, outstanding GBP ")
        assert printed[-1] == f"page 1 of 1 ({said})"


class TestProjections:
    @pytest.mark.parametrize(("count", "said"), [(1, "1 event"), (2, "2 events")])
    def test_project_counts_the_events_it_applied(self, arrears, open_case, count: int,
                                                  said: str) -> None:
        cases(open_case, count)
        assert lines(arrears, "project", "--once") == [f"applied {said}; position {count}"]

    @pytest.mark.parametrize(("count", "said"), [(1, "1 event"), (2, "2 events")])
    def test_rebuild_counts_the_events_it_applied(self, arrears, open_case, count: int,
                                                  said: str) -> None:
        cases(open_case, count)
        assert lines(arrears, "projections", "rebuild") == [
            f"Rebuilt from {said}; position {count}."]


class TestShow:
    @pytest.mark.parametrize(("due", "said"), [("2026-02-28", "1 day overdue"),
                                               ("2026-02-27", "2 days overdue")])
    def test_counts_the_days_overdue(self, arrears, ok, due: str, said: str) -> None:
        number = invoice()
        ok("open", number, "--debtor", "Harbour Lights Cafe Ltd", "--amount", "10",
           "--issue-date", ISSUED, "--due-date", due, "--on", ISSUED)
        assert f"stage overdue, {said} (issued {ISSUED}, due {due})" in output(
            arrears, "show", number)


class TestDemo:
    @pytest.mark.parametrize(("opened", "said"), [(1, "1 demo case"), (2, "2 demo cases")])
    def test_counts_the_cases_it_opened(self, arrears, monkeypatch, opened: int,
                                        said: str) -> None:
        monkeypatch.setattr(tool, "load_demo", lambda *_: opened)
        assert lines(arrears, "demo", "--creditor", "Acme")[0] == f"Opened {said} for Acme."
