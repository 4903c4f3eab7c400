import pytest

from domain.errors import AmountTooLarge, RuleBroken
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
