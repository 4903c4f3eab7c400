"""Reading: show and timeline, for people and as JSON; naming a case and who records."""

from __future__ import annotations

import pytest


class TestNamingCases:
    def test_a_case_is_named_by_its_id_or_its_invoice_number(self, ok, case, show):
        case_id = show(case)["case_id"]
        assert show(case_id)["invoice_number"] == case
        assert ok("pay", case_id, "--amount", "1")["case_id"] == case_id

    def test_the_creditor_comes_from_the_environment(self, ok, arrears, env):
        ok("open", "INV-77", "--debtor", "X Ltd", "--amount", "5", "--issue-date",
           "2026-01-01", "--due-date", "2026-01-31", "--creditor", "Acme Ltd")
        assert arrears("show", "INV-77").exit_code == 2
        env["ARREARS_CREDITOR"] = "Acme Ltd"
        assert ok("show", "INV-77")["creditor"] == "Acme Ltd"

    @pytest.mark.parametrize("actor, expected", [("tom.baker", "tom.baker"),
                                                 (None, "the OS user")])
    def test_the_actor_comes_from_the_environment(self, ok, case, env, last_event,
                                                  monkeypatch, actor, expected):
        monkeypatch.setattr("getpass.getuser", lambda: "the OS user")
        env["ARREARS_ACTOR"] = actor
        ok("note", case, "who am I")
        assert last_event(case)["actor"] == expected


class TestShow:
    def test_json_is_the_case_record(self, case, show):
        record = show(case)
        assert record["stage"] == "overdue"
        assert record["days_overdue"] == 29
        assert record["balance"] == {"principal": "1200.00", "penalties": "0.00",
                                     "paid": "0.00", "waived": "0.00", "written_off": "0.00",
                                     "outstanding": "1200.00"}

    def test_a_case_may_be_seen_on_another_day(self, ok, case):
        assert ok("show", case, "--on", "2026-01-31")["stage"] == "open"

    def test_text_is_a_summary_with_the_money_breakdown(self, ok, arrears, case):
        ok("penalty", case, "--kind", "compensation", "--amount", "70")
        ok("pay", case, "--amount", "270")
        ok("promise", case, "--amount", "500", "--by", "2026-03-20")
        ok("dispute", case, "--reason", "short delivery")
        text = arrears("show", case).stdout
        assert f"Case {case}  Harbour Lights Cafe Ltd (business)" in text
        assert "stage overdue, 29 days overdue (issued 2026-01-01, due 2026-01-31)" in text
        assert "+ penalties   GBP        70.00" in text
        assert "- paid        GBP       270.00" in text
        assert "= outstanding GBP     1,000.00" in text
        assert "on hold: dispute (disputed)" in text
        assert "next promise: 2026-03-20, broken promises: 0" in text


    def test_a_mediation_kept_open_beside_a_referral_is_shown(self, ok, arrears, case):
        ok("mediate", case, "--mediator", "CEDR", "--override-reason", "debtor asked")
        ok("refer-legal", case, "--counsel", "Lee & Co", "--override-reason", "limitation near",
           "--mediation", "keep_open")
        assert ok("show", case)["mediation_open"] is True
        text = arrears("show", case).stdout
        assert "stage with_counsel" in text
        assert "mediation still open beside the referral" in text


class TestTimeline:
    def test_json_is_the_history(self, ok, case, timeline):
        ok("remind", case)
        events = timeline(case)
        assert [e["type"] for e in events] == ["CaseOpened", "ReminderSent"]
        assert [e["version"] for e in events] == [1, 2]

    def test_text_is_a_table(self, ok, arrears, case):
        ok("remind", case, "--on", "2026-02-05", "--actor", "schedule")
        lines = arrears("timeline", case).stdout.splitlines()
        assert lines[0].split() == ["occurred", "on", "recorded", "at", "(UTC)", "actor",
                                    "summary"]
        assert lines[2].startswith("2026-02-05   2026-03-01 09:00   schedule    Reminder sent")

    def test_is_by_business_date_then_recorded_time_and_marks_back_dated_events(
            self, ok, arrears, case, timeline):
        ok("note", case, "chased by phone", "--on", "2026-02-20")
        ok("remind", case, "--on", "2026-02-05")  # recorded after the note, dated before it
        events = timeline(case)
        assert [(e["type"], e["version"], e["backdated"]) for e in events] == [
            ("CaseOpened", 1, False), ("ReminderSent", 3, True), ("NoteAdded", 2, False)]
        assert set(events[1]) == {"case_id", "version", "type", "actor", "occurred_on",
                                  "recorded_at", "summary", "data", "backdated"}
        lines = arrears("timeline", case).stdout.splitlines()
        assert [line.split()[0] for line in lines[1:]] == ["2026-01-01", "2026-02-05",
                                                           "2026-02-20"]
        assert "2026-02-05 back-dated  2026-03-01 09:00" in lines[2]
        assert "back-dated" not in lines[1] + lines[3]

    def test_a_command_prints_what_it_recorded(self, arrears, case):
        result = arrears("pay", case, "--amount", "1200", "--method", "card",
                         "--on", "2026-01-31")  # on time: no interest to claim or waive
        assert result.exit_code == 0
        assert result.stdout.splitlines()[1:] == [
            "  2026-01-31  Payment of GBP 1,200.00 received by card",
            "  2026-01-31  Paid in full; case closed"]
