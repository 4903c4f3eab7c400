from datetime import date

import pytest

from domain.stages import escalated, stage_on
from domain.values import Stage
from tests.builders import DUE, day, given, names, step, when

DEMAND = step("issue_demand", day(14), deadline=day(28), consequences="court")


class TestStageByDate:
    def test_an_open_case_is_open_up_to_and_on_its_due_date(self):
        case = given()
        assert case.stage_on(date(2025, 1, 2)) == Stage.OPEN
        assert case.stage_on(DUE) == Stage.OPEN

    def test_an_open_case_is_overdue_the_day_after_its_due_date(self):
        case = given()
        assert case.stage_on(day(1)) == Stage.OVERDUE
        assert case.stage == Stage.OPEN

    @pytest.mark.parametrize("stored", [s for s in Stage if s not in (Stage.OPEN,
                                                                      Stage.OVERDUE)])
    def test_only_an_open_case_turns_overdue(self, stored):
        assert stage_on(stored, DUE, day(100)) == stored


class TestStageBySteps:
    @pytest.mark.parametrize(("on", "timing"), [(day(-5), "before_due"), (day(0), "on_due")])
    def test_a_reminder_up_to_the_due_date_leaves_the_case_open(self, on, timing):
        case = given()
        [reminder] = when(case, "send_reminder", on, channel="sms")
        assert (reminder.timing, reminder.recipient) == (timing, "+44 20 7946 0000")
        assert case.stage == Stage.OPEN

    def test_a_reminder_after_the_due_date_marks_the_case_reminded(self):
        case = given()
        [reminder] = when(case, "send_reminder", day(1), channel="letter",
                          message_reference="L-1")
        assert (reminder.timing, reminder.recipient, reminder.message_reference) == \
            ("after_due", "1 High Street", "L-1")
        assert case.stage == Stage.REMINDED
        assert case.last_contact_on == day(1)

    def test_a_demand_marks_the_case_demanded(self):
        case = given(None, step("send_reminder", day(3), channel="email"))
        when(case, "issue_demand", day(14), deadline=day(28), consequences="court")
        assert case.stage == Stage.DEMANDED

    def test_a_reminder_after_a_demand_does_not_step_the_case_back(self):
        case = given(None, DEMAND)
        when(case, "send_reminder", day(20), channel="email")
        assert case.stage == Stage.DEMANDED

    def test_mediation_and_back_after_its_conclusion(self):
        case = given(None, step("send_reminder", day(3), channel="email"),
                     step("refer_to_mediation", day(10), mediator="M", override_reason="asked"))
        assert case.stage == Stage.IN_MEDIATION
        when(case, "conclude_mediation", day(40), outcome="withdrawn")
        assert case.stage == Stage.REMINDED

    def test_counsel_after_mediation_failed(self):
        case = given(None, DEMAND, step("refer_to_mediation", day(30), mediator="M"),
                     step("conclude_mediation", day(50), outcome="failed"))
        when(case, "refer_to_counsel", day(51), counsel="Law & Co")
        assert case.stage == Stage.WITH_COUNSEL

    def test_a_referral_replaces_a_referral(self):
        case = given(None, DEMAND, step("refer_to_counsel", day(30), counsel="Law & Co"))
        when(case, "assign_agency", day(60), agency="Collect Ltd")
        assert case.stage == Stage.WITH_AGENCY

    def test_mediation_while_with_counsel_returns_to_counsel(self):
        case = given(None, DEMAND, step("refer_to_counsel", day(30), counsel="Law & Co"),
                     step("refer_to_mediation", day(40), mediator="M"))
        assert case.stage == Stage.IN_MEDIATION
        when(case, "conclude_mediation", day(50), outcome="failed")
        assert case.stage == Stage.WITH_COUNSEL

    def test_insolvency_is_not_undone_by_a_later_referral(self):
        case = given(None, DEMAND, step("file_bankruptcy_claim", day(30), court="High Court",
                                        insolvency_case_number="BR-1"))
        assert case.stage == Stage.IN_INSOLVENCY
        when(case, "assign_agency", day(60), agency="Collect Ltd")
        assert case.stage == Stage.IN_INSOLVENCY

    def test_calls_notes_and_deliveries_change_no_stage(self):
        case = given(None, step("send_reminder", day(3), channel="email"))
        events = (when(case, "log_call", day(5), direction="outbound", outcome="no_answer")
                  + when(case, "add_note", day(5), text="left voicemail")
                  + when(case, "record_delivery", day(5), method="post", proof="RM123")
                  + when(case, "withdraw_service", day(5), service="support"))
        assert names(events) == ["CallLogged", "NoteAdded", "InvoiceDelivered",
                                 "ServiceWithdrawn"]
        assert case.stage == Stage.REMINDED
        assert case.delivered_on == day(5)


class TestTheLadder:
    @pytest.mark.parametrize(("current", "proposed", "expected"), [
        (Stage.OPEN, Stage.REMINDED, Stage.REMINDED),
        (Stage.REMINDED, Stage.DEMANDED, Stage.DEMANDED),
        (Stage.DEMANDED, Stage.REMINDED, Stage.DEMANDED),
        (Stage.DEMANDED, Stage.IN_MEDIATION, Stage.IN_MEDIATION),
        (Stage.WITH_COUNSEL, Stage.WITH_AGENCY, Stage.WITH_AGENCY),
        (Stage.WITH_AGENCY, Stage.WITH_COUNSEL, Stage.WITH_COUNSEL),
        (Stage.IN_INSOLVENCY, Stage.WITH_COUNSEL, Stage.IN_INSOLVENCY),
        (Stage.IN_INSOLVENCY, Stage.PAID, Stage.PAID),
        (Stage.WITH_AGENCY, Stage.WRITTEN_OFF, Stage.WRITTEN_OFF),
    ])
    def test_a_step_never_moves_a_case_down_the_ladder(self, current, proposed, expected):
        assert escalated(current, proposed) == expected
