"""The CLI when the read side is stuck at an event it cannot apply (planted in the store).

`projections status` names it; `projections rebuild` and `project` say so in one line and
exit 3; `list` shows what the views have, with a warning on stderr.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from application.clock import FixedClock
from application.service import CaseService
from tests.poison import plant_huge_case

VIEWS_STUCK = 3


@pytest.fixture
def store(env: dict[str, Any]) -> Iterator[CaseService]:
    service = CaseService(env["ARREARS_DATABASE_URL"], clock=FixedClock.on(date(2026, 3, 1)))
    yield service
    service.close()


@pytest.fixture
def stuck(store: CaseService, open_case: Any) -> dict[str, Any]:
    """Two good cases, then the poison (event 3): what the views should hold."""
    numbers = [open_case(), open_case()]
    case_id = plant_huge_case(store, date(2026, 1, 1))
    return {"numbers": numbers, "case_id": str(case_id), "position": 3}


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


class TestStatus:
    def test_names_the_stuck_event_and_the_error_beside_the_lag(self, arrears, ok, stuck):
        arrears("list")
        found = ok("projections", "status")["projections"][0]
        assert (found["position"], found["head"], found["lag"]) == (2, 3, 1)
        assert found["fault"]["position"] == 3
        assert found["fault"]["case_id"] == stuck["case_id"]
        assert (found["fault"]["version"], found["fault"]["event_type"]) == (1, "CaseOpened")
        assert "too large" in found["fault"]["error"]

        text = arrears("projections", "status")
        assert text.exit_code == 0
        assert f"stuck at event #3 (CaseOpened of case {stuck['case_id']}, version 1)" in \
            text.stdout
        assert "OverflowError" in text.stdout

    def test_has_no_fault_when_nothing_is_stuck(self, ok, open_case):
        open_case()
        assert ok("projections", "status")["projections"][0]["fault"] is None


class TestRebuild:
    def test_rebuilds_up_to_the_stuck_event_says_so_in_one_line_and_exits_3(
            self, arrears, ok, stuck):
        result = arrears("projections", "rebuild", "--json")
        assert result.exit_code == VIEWS_STUCK
        line = one_line(result.stderr.replace("\r", "\n").splitlines()[-1])
        assert line.startswith("error: projections: stuck at event #3 (CaseOpened")
        assert "OverflowError" in line
        rebuilt = json.loads(result.stdout)
        assert (rebuilt["applied"], rebuilt["position"], rebuilt["lag"]) == (2, 2, 1)
        assert rebuilt["fault"]["position"] == 3
        assert {r["invoice_number"] for r in ok("list")["items"]} == set(stuck["numbers"])

    def test_without_json_reports_the_same_line(self, arrears, stuck):
        result = arrears("projections", "rebuild")
        assert result.exit_code == VIEWS_STUCK
        assert "Traceback" not in result.output
        assert "error: projections: stuck at event #3" in result.stderr
        assert "Rebuilt from 2 events; position 2." in result.stdout


    @pytest.mark.parametrize("jobs", ["1", "2"])
    def test_by_worker_processes_or_not_stops_at_the_stuck_event_the_same_way(
            self, arrears, stuck, jobs):
        result = arrears("projections", "rebuild", "--jobs", jobs, "--json")
        assert result.exit_code == VIEWS_STUCK
        rebuilt = json.loads(result.stdout)
        assert (rebuilt["applied"], rebuilt["position"], rebuilt["lag"]) == (2, 2, 1)
        assert rebuilt["fault"]["case_id"] == stuck["case_id"]

    def test_by_worker_processes_applies_every_event(self, ok, open_case):
        numbers = {open_case() for _ in range(3)}
        rebuilt = ok("projections", "rebuild", "--jobs", "2")
        assert (rebuilt["applied"], rebuilt["position"], rebuilt["lag"]) == (3, 3, 0)
        assert {r["invoice_number"] for r in ok("list")["items"]} == numbers

    def test_refuses_fewer_than_one_job_naming_the_option(self, arrears):
        result = arrears("projections", "rebuild", "--jobs", "0")
        assert result.exit_code == 2
        assert "--jobs" in result.stderr


class TestProject:
    def test_once_reports_the_stuck_event_in_one_line_and_exits_3(self, arrears, stuck):
        result = arrears("project", "--once")
        assert result.exit_code == VIEWS_STUCK
        assert one_line(result.stderr).startswith("error: projections: stuck at event #3")
        assert "applied 2 events; position 2" in result.stdout

    def test_following_stops_at_the_stuck_event_and_exits_3(self, arrears, stuck):
        result = arrears("project", "--interval", "0.05")
        assert result.exit_code == VIEWS_STUCK
        assert one_line(result.stderr).startswith("error: projections: stuck at event #3")


class TestList:
    def test_shows_what_the_views_have_with_a_warning_on_stderr(self, arrears, stuck):
        result = arrears("list", "--json")
        assert result.exit_code == 0, result.output
        page = json.loads(result.stdout)
        assert {r["invoice_number"] for r in page["items"]} == set(stuck["numbers"])
        assert page["views_behind"] == 1
        line = one_line(result.stderr)
        assert line.startswith("warning: views are behind: 1 event;")
        assert "stuck at event #3" in line

    def test_counts_every_event_behind_with_the_plural_right(self, arrears, ok, stuck):
        ok("note", stuck["numbers"][0], "called")
        result = arrears("list")
        assert result.exit_code == 0
        assert stuck["numbers"][0] in result.stdout
        assert one_line(result.stderr).startswith("warning: views are behind: 2 events;")

    def test_says_nothing_when_the_views_are_up_to_date(self, arrears, open_case):
        open_case()
        result = arrears("list")
        assert result.exit_code == 0
        assert result.stderr == ""


def test_help_documents_exit_code_3(arrears):
    result = arrears("projections", "rebuild", "--help")
    assert "3 the read models are stuck at an event" in " ".join(result.stdout.split())
