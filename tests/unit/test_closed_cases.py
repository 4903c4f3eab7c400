from decimal import Decimal

import pytest

from application.commands import CASE_COMMANDS as COMMANDS
from domain.errors import CaseClosed
from domain.money import Money
from domain.values import Instalment, Stage
from tests.builders import day, eur, given, names, refused, step, when

# A valid call of every command on an open, demanded case; refused once the case is closed.
VALID = {
    "record_delivery": dict(method="email"),
    "send_reminder": dict(channel="email"),
    "log_call": dict(direction="outbound", outcome="no_answer"),
    "promise_payment": dict(amount=eur("10"), promised_on=day(60)),
    "record_payment": dict(amount=eur("10"), method="card"),
    "apply_penalty": dict(kind="late_fee", amount=eur("40")),
    "waive_penalty": dict(kind="late_fee", amount=eur("1"), reason="goodwill"),
    "raise_dispute": dict(reason="wrong goods"),
    "resolve_dispute": dict(outcome="withdrawn"),
    "place_hold": dict(reason="manual"),
    "lift_hold": dict(),
    "acknowledge_debt": dict(document="letter of 3 March"),
    "withdraw_service": dict(service="hosting"),
    "issue_demand": dict(deadline=day(60), consequences="court"),
    "agree_payment_plan": dict(instalments=[Instalment(day(60), eur("10"))]),
    "agree_settlement": dict(amount=eur("10"), pay_by=day(60)),
    "refer_to_mediation": dict(mediator="Mediate Ltd"),
    "conclude_mediation": dict(outcome="failed"),
    "refer_to_counsel": dict(counsel="Law & Co"),
    "assign_agency": dict(agency="Collect Ltd"),
    "file_bankruptcy_claim": dict(court="High Court", insolvency_case_number="BR-1"),
    "write_off": dict(reason="uncollectable"),
    "claim_interest": dict(),
    "waive_interest": dict(reason="goodwill"),
    "serve_statutory_demand": dict(),
    "offer_settlement": dict(amount=eur("500"), expires_on=day(60)),
    "offer_discount": dict(percent=Decimal("2"), expires_on=day(60)),
    "accept_offer": dict(),
    "withdraw_offer": dict(reason="no reply"),
}
# A euro debt under English law: the law refuses the fixed sum in GBP, so the claim is
# refused on the open case too (claims on an open case: tests/unit/test_interest_claims.py).
OPEN_ELSEWHERE = {"claim_interest"}
# How a command's case is opened, when not for EUR 1,000.00 (statutory demands are in GBP).
OPENING = {"serve_statutory_demand": dict(amount=Money.of("1000.00", "GBP"))}

CLOSINGS = {
    # paid late: the interest accrued is waived (or claimed) before the case closes
    Stage.PAID: [step("record_payment", day(30), amount=eur("1000.00"), method="card"),
                 step("waive_interest", day(30), reason="goodwill")],
    Stage.SETTLED: [step("agree_settlement", day(30), amount=eur("600.00"), pay_by=day(40)),
                    step("record_payment", day(35), amount=eur("600.00"), method="card")],
    Stage.WRITTEN_OFF: [step("write_off", day(30), reason="uncollectable")],
}

HISTORY = [step("issue_demand", day(10), deadline=day(24), consequences="court")]

# What a command needs to have happened before it (a penalty to waive, a hold to lift...).
PREPARE = {
    "waive_penalty": [step("apply_penalty", day(5), kind="late_fee", amount=eur("40"))],
    "resolve_dispute": [step("raise_dispute", day(11), reason="wrong goods")],
    "lift_hold": [step("place_hold", day(11), reason="manual")],
    "conclude_mediation": [step("refer_to_mediation", day(11), mediator="Mediate Ltd")],
    "accept_offer": [step("offer_settlement", day(11), amount=eur("500"), expires_on=day(60))],
    "withdraw_offer": [step("offer_settlement", day(11), amount=eur("500"),
                            expires_on=day(60))],
}


def closed(stage: Stage):
    case = given(None, *HISTORY, *CLOSINGS[stage], amount="1000.00")
    assert case.stage == stage
    return case


class TestAClosedCase:
    def test_every_command_but_notes_is_checked_here(self):
        assert set(VALID) == set(COMMANDS) - {"add_note"}

    @pytest.mark.parametrize("stage", list(CLOSINGS))
    @pytest.mark.parametrize("command", sorted(VALID))
    def test_nothing_but_notes_is_accepted_once_the_case_is_closed(self, stage, command):
        case = closed(stage)
        words = stage.value.replace("_", " ")
        with refused(case, CaseClosed, "case", match=f"the case is {words}"):
            when(case, command, day(50), **VALID[command])

    @pytest.mark.parametrize("stage", list(CLOSINGS))
    def test_a_note_may_still_be_added(self, stage):
        case = closed(stage)
        events = when(case, "add_note", day(50), text=" debtor wrote to say thanks ")
        assert names(events) == ["NoteAdded"]
        assert events[0].text == "debtor wrote to say thanks"
        assert case.stage == stage

    @pytest.mark.parametrize("command", sorted(set(VALID) - OPEN_ELSEWHERE))
    def test_the_same_commands_are_accepted_while_the_case_is_open(self, command):
        opening = OPENING.get(command, {"amount": "1000.00"})
        case = given(None, *HISTORY, *PREPARE.get(command, []), **opening)
        events = when(case, command, day(50), **VALID[command])
        assert events[0].occurred_on == day(50)
        assert case.is_closed == (command == "write_off")
