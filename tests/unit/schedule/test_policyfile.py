"""Policy files: the shipped one reads; every fault names the file, the line and the key."""

from __future__ import annotations

import pytest

from application.schedule.policies import Policies, creditor_file_name, shipped_policy
from application.schedule.policy import Anchor, Mode, Referral, ReminderTemplate, StepKind
from application.schedule.policyfile import PolicyError, load_policy, parse_policy

GOOD = """\
name = "acme"

[pause]
promise_to_pay = false

[[step]]
name = "reminder"
kind = "reminder"
day = 7

[[step]]
name = "demand"
kind = "demand"
day = 21
deadline_days = 14
consequences = "Court"
"""


def refused(text: str, match: str) -> str:
    with pytest.raises(PolicyError, match=match) as caught:
        parse_policy(text, "acme.toml")
    return str(caught.value)


def with_step(*lines: str) -> str:
    """GOOD with one more step (its lines from line 18 on)."""
    return GOOD + "\n[[step]]\n" + "\n".join(lines) + "\n"


class TestTheShippedPolicy:
    def test_is_the_ladder_of_the_issue(self):
        policy = shipped_policy()
        ladder = [(s.name, s.kind, s.day, s.anchor, s.mode) for s in policy.steps]
        assert ladder == [
            ("reminder-before-due", StepKind.REMINDER, -3, Anchor.DUE, Mode.AUTOMATIC),
            ("reminder-on-due", StepKind.REMINDER, 0, Anchor.DUE, Mode.AUTOMATIC),
            ("reminder-overdue", StepKind.REMINDER, 7, Anchor.DUE, Mode.AUTOMATIC),
            ("call", StepKind.CALL, 10, Anchor.DUE, Mode.TASK),
            ("claim-interest", StepKind.CLAIM_INTEREST, 14, Anchor.DUE, Mode.AUTOMATIC),
            ("formal-demand", StepKind.DEMAND, 21, Anchor.DUE, Mode.AUTOMATIC),
            ("consider-referral", StepKind.REFERRAL, 1, Anchor.DEADLINE, Mode.TASK),
        ]
        assert policy.step("formal-demand").deadline_days == 14
        assert policy.step("claim-interest").catch_up
        assert policy.step("consider-referral").refer_to == tuple(Referral)

    def test_waits_for_a_promise_to_pay(self):
        assert shipped_policy().pause.promise_to_pay is True

    def test_reminders_pick_their_template_by_day_unless_told(self):
        policy = shipped_policy()
        assert [policy.step(n).reminder_template for n in
                ("reminder-before-due", "reminder-on-due", "reminder-overdue")] == \
            [ReminderTemplate.BEFORE_DUE, ReminderTemplate.ON_DUE, ReminderTemplate.FIRM]


class TestAGoodFile:
    def test_reads_its_steps_and_pause(self):
        policy = parse_policy(GOOD, "acme.toml")
        assert policy.name == "acme"
        assert [s.name for s in policy.steps] == ["reminder", "demand"]
        assert policy.pause.promise_to_pay is False
        assert policy.source == "acme.toml"

    def test_its_name_defaults_to_the_file_name(self, tmp_path):
        path = tmp_path / "harbour-lights.toml"
        path.write_text(GOOD.replace('name = "acme"\n', ""), encoding="utf-8")
        assert load_policy(path).name == "harbour-lights"


class TestSyntax:
    def test_bad_toml_names_the_line_and_column(self):
        message = refused(GOOD.replace("day = 7", "day = "), "not valid TOML")
        assert message == "acme.toml, line 9, column 7: not valid TOML: Invalid value"

    def test_an_unclosed_string_names_the_last_line(self):
        message = refused(GOOD + 'what = """never closed\n', "not valid TOML")
        assert message == ("acme.toml, line 17: not valid TOML: Unterminated string (at the end "
                           "of the file)")

    def test_a_file_that_cannot_be_read(self, tmp_path):
        with pytest.raises(PolicyError, match="missing.toml: cannot be read"):
            load_policy(tmp_path / "missing.toml")


class TestSteps:
    def test_an_unknown_step_kind_names_its_line(self):
        message = refused(with_step('name = "fax"', 'kind = "fax"', "day = 30"), "unknown kind")
        assert message == ("acme.toml, line 20: step 'fax': unknown kind 'fax' (one of: "
                           "reminder, call, claim_interest, demand, referral)")

    @pytest.mark.parametrize("day, said", [
        ("10.5", "day must be a whole number of days, got 10.5"),
        ('"10"', "day must be a whole number of days, got '10'"),
        ("true", "day must be a whole number of days, got True"),
        ("4000", "day must be from -365 to 3650, got 4000"),
    ])
    def test_a_bad_offset_names_its_line(self, day, said):
        message = refused(with_step('name = "late"', 'kind = "reminder"', f"day = {day}"),
                          "day must be")
        assert message == f"acme.toml, line 21: step 'late': {said}"

    def test_a_missing_offset(self):
        assert refused(with_step('name = "late"', 'kind = "reminder"'), "required") == \
            "acme.toml, line 18: step 'late': day is required"

    def test_a_step_after_the_deadline_starts_the_day_after_it(self):
        message = refused(with_step('name = "refer"', 'kind = "referral"', 'after = "deadline"',
                                    "day = 0"), "from 1 to")
        assert message == "acme.toml, line 22: step 'refer': day must be from 1 to 3650, got 0"

    def test_an_unknown_key_names_its_line_and_the_keys_allowed(self):
        message = refused(GOOD.replace("day = 7", "day = 7\ndya = 8"), "unknown key")
        assert message == ("acme.toml, line 10: step 'reminder' (reminder, automatic): "
                           "unknown key 'dya' (allowed: name, kind, day, after, mode, catch_up, "
                           "channel, template)")

    def test_task_keys_only_on_a_task(self):
        message = refused(GOOD.replace("day = 7", 'day = 7\nwhat = "Send it"'), "unknown key")
        assert message.startswith("acme.toml, line 10: step 'reminder' (reminder, automatic): "
                                  "unknown key 'what'")

    def test_a_call_is_a_task(self):
        message = refused(with_step('name = "ring"', 'kind = "call"', "day = 10",
                                    'mode = "automatic"'), "a call step is task")
        assert message == "acme.toml, line 22: step 'ring': a call step is task, not automatic"

    def test_a_demand_needs_its_deadline_and_consequences(self):
        text = GOOD.replace("deadline_days = 14\n", "")
        assert refused(text, "deadline_days is required").startswith("acme.toml, line 11:")
        text = GOOD.replace('consequences = "Court"\n', 'consequences = "  "\n')
        assert refused(text, "consequences is required").startswith("acme.toml, line 16:")

    def test_a_step_name_is_a_word_for_keys(self):
        message = refused(GOOD.replace('name = "reminder"', 'name = "First Reminder"'),
                          "lower-case")
        assert message.startswith("acme.toml, line 7: step 1: name must be 1 to 40 characters")
        assert message.endswith("got 'First Reminder'")

    def test_names_are_used_once(self):
        message = refused(with_step('name = "reminder"', 'kind = "reminder"', "day = 30"),
                          "used twice")
        assert message == "acme.toml, line 19: step 'reminder': the name is used twice"

    def test_days_in_order(self):
        message = refused(with_step('name = "early"', 'kind = "reminder"', "day = 3"),
                          "comes before")
        assert message.startswith("acme.toml, line 21: step 'early': day 3 comes before day "
                                  "21 of the step above it")

    def test_steps_after_the_deadline_come_last(self):
        text = with_step('name = "refer"', 'kind = "referral"', 'after = "deadline"',
                         "day = 1") + '\n[[step]]\nname = "late"\nkind = "reminder"\nday = 60\n'
        message = refused(text, "come before the steps after")
        assert message == ("acme.toml, line 24: step 'late': steps counted from the due date "
                           "come before the steps after the demand's deadline")

    def test_one_demand_step(self):
        message = refused(with_step('name = "again"', 'kind = "demand"', "day = 40",
                                    "deadline_days = 7", 'consequences = "x"'), "at most one")
        assert message == "acme.toml, line 20: a policy has at most one demand step"

    def test_an_unknown_referral(self):
        message = refused(with_step('name = "refer"', 'kind = "referral"', 'after = "deadline"',
                                    "day = 1", 'refer_to = ["bailiff"]'), "unknown referral")
        assert message.startswith("acme.toml, line 23: step 'refer': unknown referral 'bailiff'")

    def test_a_policy_needs_steps(self):
        assert refused('name = "empty"\n', "needs its steps") == \
            "acme.toml: a policy needs its steps, each a [[step]] table"


class TestTopLevel:
    def test_an_unknown_top_level_key(self):
        assert refused("nmae = 'x'\n" + GOOD, "unknown key").startswith(
            "acme.toml, line 1: the policy: unknown key 'nmae'")

    def test_pause_words_and_values(self):
        assert refused(GOOD.replace("promise_to_pay = false", "holiday = true"),
                       "unknown key").startswith("acme.toml, line 4: [pause]: unknown key")
        assert refused(GOOD.replace("promise_to_pay = false", 'promise_to_pay = "no"'),
                       "true or false") == \
            "acme.toml, line 4: pause.promise_to_pay must be true or false, got 'no'"

    def test_a_multi_line_text_does_not_move_the_lines(self):
        text = GOOD.replace('consequences = "Court"',
                            'consequences = """Court\nday = 1\n"""\nnonsense = 1')
        assert refused(text, "unknown key").startswith("acme.toml, line 19: step 'demand'")


class TestWhereFromEachCreditor:
    def test_a_creditors_file_name(self):
        assert creditor_file_name("Acme Supplies Ltd.") == "acme-supplies-ltd.toml"
        assert creditor_file_name("Müller & Söhne GmbH") == "müller-söhne-gmbh.toml"
        assert creditor_file_name("???") == "creditor.toml"

    def test_the_creditors_own_file_then_default_then_the_shipped_one(self, tmp_path):
        (tmp_path / "acme-ltd.toml").write_text(GOOD, encoding="utf-8")
        policies = Policies.from_env({"ARREARS_POLICY_DIR": str(tmp_path)})
        assert policies.for_creditor("Acme Ltd").name == "acme"
        assert policies.for_creditor("Other Ltd").name == "default"
        (tmp_path / "default.toml").write_text(GOOD.replace('"acme"', '"house"'),
                                               encoding="utf-8")
        assert Policies.from_env({"ARREARS_POLICY_DIR": str(tmp_path)}) \
            .for_creditor("Other Ltd").name == "house"

    def test_a_bad_file_in_the_directory_is_found_before_any_run(self, tmp_path):
        (tmp_path / "broken.toml").write_text(GOOD.replace("day = 7", "day = -7.5"),
                                              encoding="utf-8")
        with pytest.raises(PolicyError, match=r"broken.toml, line 9: step 'reminder': day must"):
            Policies.from_env({"ARREARS_POLICY_DIR": str(tmp_path)}).check()

    def test_the_setting_must_name_a_directory(self, tmp_path):
        with pytest.raises(PolicyError, match="ARREARS_POLICY_DIR: .* is not a directory"):
            Policies.from_env({"ARREARS_POLICY_DIR": str(tmp_path / "nope")})
