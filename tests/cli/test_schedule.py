"""arrears schedule run|preview|check and arrears tasks: today is 2026-03-01, the cases are
due 2026-01-31 (29 days overdue)."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def run(ok):
    return lambda *extra: ok("schedule", "run", *extra)


class TestRun:
    def test_a_late_case_gets_the_claim_and_the_demand(self, run, case, timeline):
        report = run()
        assert (report["today"], report["recorded"], report["cases"]) == ("2026-03-01", True, 1)
        assert report["steps"] == {"claim-interest": 1, "formal-demand": 1}
        assert (report["tasks_created"], report["paused"], report["errors"]) == (0, {}, [])
        assert [a["step"] for a in report["actions"]] == ["claim-interest", "formal-demand"]
        assert [e["type"] for e in timeline(case)][-2:] == ["ScheduleStepTaken", "DemandIssued"]
        assert {e["actor"] for e in timeline(case)[1:]} == {"schedule"}

    def test_twice_on_one_day_records_nothing_the_second_time(self, run, case, timeline):
        run()
        before = timeline(case)
        again = run()
        assert (again["steps"], again["actions"]) == ({}, [])
        assert timeline(case) == before

    def test_a_past_day_is_run_with_back_dated_events(self, run, case, timeline):
        assert run("--today", "2026-02-10")["steps"] == {"call": 1}
        assert timeline(case)[-1]["occurred_on"] == "2026-02-10"

    def test_not_a_future_day(self, arrears, case):
        result = arrears("schedule", "run", "--today", "2026-03-02")
        assert result.exit_code == 2
        assert result.stderr.startswith("error: --today: 2026-03-02 is in the future")

    def test_text_for_people_with_the_progress_on_stderr(self, arrears, case):
        result = arrears("schedule", "run")
        assert result.exit_code == 0
        assert "Schedule run for 2026-03-01: 1 open case" in result.stdout
        assert f"{case:<14} formal-demand" in result.stdout
        assert "Running the schedule" in result.stderr

    def test_a_refused_step_is_reported_and_exits_1(self, arrears, open_case, ok):
        # Interest from February 2007 needs the Bank Rate of 31 December 2006: the table
        # starts with the rate in force on 1 January 2008.
        old = open_case("--issue-date", "2007-01-01", "--due-date", "2007-01-31",
                        "--on", "2007-01-01")
        result = arrears("schedule", "run", "--json")
        assert result.exit_code == 1
        report = json.loads(result.stdout)
        assert [(e["invoice_number"], e["step"]) for e in report["errors"]] == \
            [(old, "claim-interest")]
        assert f"error: {old} claim-interest: " in result.stderr
        assert "is before the first rate in bank_rate.csv" in result.stderr

    def test_a_disputed_case_is_paused(self, run, ok, case):
        ok("dispute", case, "--reason", "damaged goods")
        report = run()
        assert (report["paused"], report["actions"]) == ({"disputed": 1}, [])


class TestPreview:
    def test_says_what_a_run_would_do_and_stores_nothing(self, ok, case, timeline):
        before = timeline(case)
        preview = ok("schedule", "preview")
        assert preview["recorded"] is False
        assert preview["steps"] == {"claim-interest": 1, "formal-demand": 1}
        assert timeline(case) == before

    def test_a_later_day(self, ok, case):
        assert ok("schedule", "preview", "--today", "2026-12-31")["steps"] == \
            {"claim-interest": 1, "formal-demand": 1}


class TestPolicies:
    def test_check_shows_the_ladder(self, arrears):
        result = arrears("schedule", "check")
        assert result.exit_code == 0
        assert "policy 'default', 7 steps" in result.stdout
        assert "formal-demand          demand          automatic  21 days after the due date" \
            in result.stdout

    def test_a_bad_file_names_its_line(self, arrears, tmp_path):
        bad = tmp_path / "bad.toml"
        bad.write_text('[[step]]\nname = "r"\nkind = "reminder"\nday = "soon"\n',
                       encoding="utf-8")
        result = arrears("schedule", "check", str(bad))
        assert result.exit_code == 2
        assert result.stderr == (f"error: {bad}, line 4: step 'r': day must be a whole number "
                                 "of days, got 'soon'\n")

    def test_a_run_under_a_creditors_own_policy(self, arrears, env, tmp_path, case):
        policies = tmp_path / "policies"
        policies.mkdir()
        (policies / "demo-creditor-ltd.toml").write_text(
            'name = "gentle"\n[[step]]\nname = "nudge"\nkind = "reminder"\nday = 20\n',
            encoding="utf-8")
        env["ARREARS_POLICY_DIR"] = str(policies)
        result = arrears("schedule", "run", "--json")
        assert json.loads(result.stdout)["steps"] == {"nudge": 1}

    def test_a_run_under_a_policy_file(self, ok, case, tmp_path):
        path = tmp_path / "one.toml"
        path.write_text('[[step]]\nname = "nudge"\nkind = "reminder"\nday = 20\n',
                        encoding="utf-8")
        assert ok("schedule", "run", "--policy", str(path))["steps"] == {"nudge": 1}


class TestTasks:
    def test_a_call_task_listed_then_marked_done(self, ok, run, case, timeline):
        run("--today", "2026-02-10")
        [task] = ok("tasks")
        assert (task["invoice_number"], task["step"], task["due_on"], task["actions"]) == \
            (case, "call", "2026-02-12", ["log_call"])
        assert task["overdue"] is True
        ok("tasks", "done", case, "call", "--notes", "spoke at the trade fair")
        assert ok("tasks") == []
        assert timeline(case)[-1]["summary"] == "Task call done: spoke at the trade fair"

    def test_logging_the_call_does_it(self, ok, run, case, timeline):
        run("--today", "2026-02-10")
        ok("log-call", case, "--outcome", "no_answer")
        assert ok("tasks") == []
        assert timeline(case)[-1]["summary"] == "Task call done (call logged)"

    def test_due_by(self, ok, run, case):
        run("--today", "2026-02-10")
        assert ok("tasks", "--due-by", "2026-02-11") == []

    def test_text_for_people(self, arrears, run, case):
        assert arrears("tasks").stdout == "No open tasks.\n"
        run("--today", "2026-02-10")
        assert f"2026-02-12  {case:<14} call" in arrears("tasks").stdout

    def test_done_refused_without_an_open_task(self, arrears, case):
        result = arrears("tasks", "done", case, "call", "--notes", "x")
        assert result.exit_code == 1
        assert result.stderr == "error: step: the case has no open task for step 'call'\n"
