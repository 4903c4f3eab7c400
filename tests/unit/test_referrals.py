import pytest

from domain.errors import AmountTooLarge, InvalidValue, RuleBroken
from domain.values import Stage
from tests.builders import day, eur, given, names, refused, step, when

DEMAND = step("issue_demand", day(14), deadline=day(28), consequences="court")

REFERRALS = {
    "refer_to_mediation": (dict(mediator="Mediate Ltd"), "MediationReferred",
                           Stage.IN_MEDIATION, "referring to mediation"),
    "refer_to_counsel": (dict(counsel="Law & Co"), "LegalReferral",
                         Stage.WITH_COUNSEL, "referring to counsel"),
}


class TestReferralsNeedADemandFirst:
    @pytest.mark.parametrize("command", sorted(REFERRALS))
    def test_no_referral_without_a_demand(self, command):
        fields, _, _, what = REFERRALS[command]
        case = given(None, step("send_reminder", day(3), channel="email"))
        with refused(case, RuleBroken, "override_reason",
                     match=f"issue a demand before {what}, or give an override reason"):
            when(case, command, day(30), **fields)

    @pytest.mark.parametrize("command", sorted(REFERRALS))
    def test_a_blank_override_reason_is_no_reason(self, command):
        fields = REFERRALS[command][0]
        case = given()
        with refused(case, RuleBroken, "override_reason"):
            when(case, command, day(30), override_reason="   ", **fields)

    @pytest.mark.parametrize("command", sorted(REFERRALS))
    def test_an_override_reason_allows_a_referral_without_a_demand(self, command):
        fields, event_name, stage, _ = REFERRALS[command]
        case = given()
        events = when(case, command, day(30), override_reason=" debtor absconding ", **fields)
        assert names(events) == [event_name]
        assert events[0].override_reason == "debtor absconding"
        assert case.stage == stage

    @pytest.mark.parametrize("command", sorted(REFERRALS))
    def test_after_a_demand_the_referral_is_accepted(self, command):
        fields, event_name, stage, _ = REFERRALS[command]
        case = given(None, DEMAND)
        events = when(case, command, day(30), reference="R-9", **fields)
        assert names(events) == [event_name]
        assert (events[0].reference, events[0].override_reason) == ("R-9", "")
        assert case.stage == stage


class TestMediation:
    def test_a_concluded_mediation_returns_the_case_to_where_it_stood(self):
        case = given(None, DEMAND, step("refer_to_mediation", day(30), mediator="Mediate Ltd"))
        assert case.stage == Stage.IN_MEDIATION
        events = when(case, "conclude_mediation", day(60), outcome="failed", notes="no offer")
        assert names(events) == ["MediationConcluded"]
        assert (events[0].outcome, events[0].notes) == ("failed", "no offer")
        assert case.stage == Stage.DEMANDED

    def test_mediation_can_only_be_concluded_while_in_mediation(self):
        case = given(None, DEMAND)
        with refused(case, RuleBroken, "case", match="not in mediation"):
            when(case, "conclude_mediation", day(60), outcome="agreed")

    def test_a_case_already_in_mediation_cannot_be_referred_again(self):
        case = given(None, DEMAND, step("refer_to_mediation", day(30), mediator="Mediate Ltd"))
        with refused(case, RuleBroken, "case", match="already in mediation"):
            when(case, "refer_to_mediation", day(31), mediator="Other Mediators")
        when(case, "conclude_mediation", day(60), outcome="failed")
        assert case.stage == Stage.DEMANDED


class TestAgencyAndInsolvency:
    def test_a_collection_agency_takes_the_case(self):
        case = given(None, DEMAND)
        events = when(case, "assign_agency", day(40), agency=" Collect Ltd ", reference="C-1")
        assert names(events) == ["CollectionAgencyAssigned"]
        assert (events[0].agency, events[0].reference) == ("Collect Ltd", "C-1")
        assert case.stage == Stage.WITH_AGENCY

    def test_a_proof_of_claim_is_for_the_outstanding_balance(self):
        case = given(None, step("apply_penalty", day(1), kind="compensation", amount=eur("70")),
                     step("record_payment", day(2), amount=eur("100"), method="card"),
                     amount="1000.00")
        events = when(case, "file_bankruptcy_claim", day(90), court="High Court",
                      insolvency_case_number="BR-2025-000123")
        assert names(events) == ["BankruptcyClaimFiled"]
        claim = events[0]
        assert (claim.amount, claim.court, claim.insolvency_case_number) == \
            (eur("970.00"), "High Court", "BR-2025-000123")
        assert case.stage == Stage.IN_INSOLVENCY

    def test_a_proof_of_claim_cannot_claim_more_than_is_outstanding(self):
        case = given(amount="1000.00")
        with refused(case, AmountTooLarge, "amount"):
            when(case, "file_bankruptcy_claim", day(90), court="High Court",
                 insolvency_case_number="BR-1", amount=eur("1000.01"))


MEDIATING = [DEMAND, step("refer_to_mediation", day(30), mediator="Mediate Ltd")]

# Hand-offs out of mediation: command, its fields, its event, the stage it leads to, its words.
HAND_OFFS = {
    "refer_to_counsel": (dict(counsel="Law & Co"), "LegalReferral", Stage.WITH_COUNSEL,
                         "referring to counsel"),
    "assign_agency": (dict(agency="Collect Ltd"), "CollectionAgencyAssigned",
                      Stage.WITH_AGENCY, "assigning a collection agency"),
}


class TestAReferralWhileInMediation:
    @pytest.mark.parametrize("command", sorted(HAND_OFFS))
    def test_needs_an_override_reason(self, command):
        fields, _, _, what = HAND_OFFS[command]
        case = given(None, *MEDIATING)
        with refused(case, RuleBroken, "override_reason",
                     match=f"the case is in mediation; give an override reason for {what}$"):
            when(case, command, day(40), mediation="keep_open", **fields)

    @pytest.mark.parametrize("command", sorted(HAND_OFFS))
    def test_asks_whether_it_concludes_the_mediation_or_keeps_it_open(self, command):
        fields = HAND_OFFS[command][0]
        case = given(None, *MEDIATING)
        with refused(case, InvalidValue, "mediation",
                     match="choose whether the referral concludes the mediation or keeps it "
                           "open: conclude, keep_open"):
            when(case, command, day(40), override_reason="mediator unresponsive", **fields)

    @pytest.mark.parametrize("command", sorted(HAND_OFFS))
    def test_that_concludes_the_mediation_records_its_outcome_first(self, command):
        fields, event_name, stage, _ = HAND_OFFS[command]
        case = given(None, *MEDIATING)
        events = when(case, command, day(40), override_reason="no progress",
                      mediation="conclude", mediation_outcome="failed", **fields)
        assert names(events) == ["MediationConcluded", event_name]
        assert events[0].outcome == "failed"
        assert (events[1].override_reason, events[1].mediation_kept_open) == \
            ("no progress", False)
        assert (case.stage, case.mediation_open) == (stage, False)
        with refused(case, RuleBroken, "case", match="not in mediation"):
            when(case, "conclude_mediation", day(50), outcome="agreed")

    @pytest.mark.parametrize("command", sorted(HAND_OFFS))
    def test_that_concludes_the_mediation_needs_its_outcome(self, command):
        fields = HAND_OFFS[command][0]
        case = given(None, *MEDIATING)
        with refused(case, InvalidValue, "mediation_outcome",
                     match="give the mediation's outcome: agreed, failed, withdrawn"):
            when(case, command, day(40), override_reason="no progress", mediation="conclude",
                 **fields)

    @pytest.mark.parametrize("command", sorted(HAND_OFFS))
    def test_that_keeps_the_mediation_open_lets_its_outcome_be_recorded_later(self, command):
        fields, event_name, stage, _ = HAND_OFFS[command]
        case = given(None, *MEDIATING)
        events = when(case, command, day(40), override_reason="limitation date near",
                      mediation="keep_open", **fields)
        assert names(events) == [event_name]
        assert events[0].mediation_kept_open is True
        assert (case.stage, case.mediation_open) == (stage, True)
        concluded = when(case, "conclude_mediation", day(60), outcome="agreed")
        assert names(concluded) == ["MediationConcluded"]
        assert (case.stage, case.mediation_open) == (stage, False)

    def test_an_outcome_is_given_only_when_the_referral_concludes_the_mediation(self):
        case = given(None, *MEDIATING)
        with refused(case, InvalidValue, "mediation_outcome",
                     match="an outcome is given only when the referral concludes the mediation"):
            when(case, "refer_to_counsel", day(40), counsel="Law & Co", override_reason="x",
                 mediation="keep_open", mediation_outcome="failed")

    @pytest.mark.parametrize("command", sorted(HAND_OFFS))
    def test_outside_mediation_there_is_no_mediation_to_choose_for(self, command):
        fields = HAND_OFFS[command][0]
        case = given(None, DEMAND)
        with refused(case, RuleBroken, "mediation", match=": the case is not in mediation$"):
            when(case, command, day(40), mediation="keep_open", **fields)

    def test_a_mediation_kept_open_cannot_be_referred_to_again(self):
        case = given(None, *MEDIATING, step("refer_to_counsel", day(40), counsel="Law & Co",
                                            override_reason="x", mediation="keep_open"))
        with refused(case, RuleBroken, "case", match="already in mediation"):
            when(case, "refer_to_mediation", day(41), mediator="Other Mediators")

    def test_a_proof_of_claim_keeps_the_mediation_open(self):
        case = given(None, *MEDIATING)
        [claim] = when(case, "file_bankruptcy_claim", day(40), court="High Court",
                       insolvency_case_number="BR-1")
        assert claim.mediation_kept_open is True
        when(case, "conclude_mediation", day(60), outcome="withdrawn")
        assert (case.stage, case.mediation_open) == (Stage.IN_INSOLVENCY, False)

    def test_closing_the_case_ends_its_mediation(self):
        case = given(None, *MEDIATING, amount="1000.00")
        when(case, "record_payment", day(40), amount=eur("1000.00"), method="card")
        when(case, "waive_interest", day(40), reason="part of the mediated outcome")
        assert (case.stage, case.mediation_open) == (Stage.PAID, False)

    def test_an_agency_may_be_assigned_with_an_override_reason_outside_mediation(self):
        case = given(None, DEMAND)
        [event] = when(case, "assign_agency", day(40), agency="Collect Ltd",
                       override_reason=" debtor asked ")
        assert (event.override_reason, event.mediation_kept_open) == ("debtor asked", False)
