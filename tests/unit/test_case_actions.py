"""The case page offers the commands that fit the case now, the others it accepts behind
"more actions", and none that it would refuse."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from application.actions import case_actions

TODAY = date(2026, 3, 1)
ALL = ("log_call", "record_payment", "promise_payment", "send_reminder", "add_note",
       "record_delivery", "attach_document", "apply_penalty", "waive_penalty",
       "agree_payment_plan", "agree_settlement", "acknowledge_debt", "raise_dispute",
       "resolve_dispute", "place_hold", "lift_hold", "issue_demand", "refer_to_mediation",
       "conclude_mediation", "refer_to_counsel", "assign_agency", "withdraw_service",
       "file_bankruptcy_claim", "write_off", "offer_settlement", "offer_discount",
       "accept_offer", "withdraw_offer", "serve_statutory_demand", "some_new_command")


def summary(**changes: Any) -> dict[str, Any]:
    case = {"stage": "overdue", "is_closed": False, "on_hold": False, "hold_reason": "",
            "demand_deadline": None, "penalties": Decimal("0"), "waived": Decimal("0"),
            "next_action": "Send reminder"}
    return {**case, **changes}


def offered(**changes: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    actions = case_actions(summary(**changes), ALL, TODAY)
    return actions.now, actions.more


class TestAnOverdueCase:
    def test_the_reminder_it_calls_for_is_shown_the_rest_is_behind_more_actions(self):
        now, more = offered()
        assert now == ("log_call", "record_payment", "promise_payment", "send_reminder",
                       "add_note")
        assert "issue_demand" in more and "write_off" in more and "some_new_command" in more

    def test_what_it_would_refuse_is_not_offered(self):
        now, more = offered()
        for refused in ("resolve_dispute", "lift_hold", "conclude_mediation", "waive_penalty"):
            assert refused not in now + more

    def test_a_penalty_applied_can_be_waived(self):
        _, more = offered(penalties=Decimal("40.00"))
        assert "waive_penalty" in more

    def test_when_a_demand_is_due_the_demand_is_shown(self):
        now, _ = offered(stage="reminded", next_action="Issue demand")
        assert "issue_demand" in now and "send_reminder" not in now


class TestHeldAndDisputed:
    def test_a_disputed_case_shows_the_dispute_and_no_chasing(self):
        now, more = offered(on_hold=True, hold_reason="dispute", next_action="On hold")
        assert "resolve_dispute" in now and "promise_payment" not in now
        for refused in ("raise_dispute", "lift_hold", "place_hold", "send_reminder",
                        "issue_demand"):
            assert refused not in now + more

    def test_a_case_on_hold_shows_lifting_it(self):
        now, more = offered(on_hold=True, hold_reason="negotiation", next_action="On hold")
        assert "lift_hold" in now and "place_hold" not in now + more
        assert "send_reminder" not in now + more


class TestAfterTheDemand:
    def test_once_the_deadline_passed_the_referrals_are_shown(self):
        now, _ = offered(stage="demanded", demand_deadline=date(2026, 2, 20),
                         next_action="Demand deadline passed: refer")
        assert {"refer_to_mediation", "refer_to_counsel", "assign_agency"} <= set(now)

    def test_before_the_deadline_they_wait_behind_more_actions(self):
        now, more = offered(stage="demanded", demand_deadline=date(2026, 3, 10),
                            next_action="Await the demand's deadline (2026-03-10)")
        assert "refer_to_counsel" in more and "refer_to_counsel" not in now

    def test_in_mediation_concluding_it_is_shown_and_referring_again_is_not(self):
        now, more = offered(stage="in_mediation",
                            next_action="In mediation: await the mediator's report")
        assert "conclude_mediation" in now and "refer_to_mediation" not in now + more


class TestClosed:
    def test_a_paid_case_takes_notes_and_documents_only(self):
        assert offered(stage="paid", is_closed=True) == (("add_note", "attach_document"), ())


class TestOffers:
    def test_an_open_offer_can_be_accepted_or_withdrawn_and_no_second_one_made(self):
        now, more = offered(offer_kind="settlement", offer_expires_on=date(2026, 3, 20))
        assert "accept_offer" in now and "withdraw_offer" in more
        assert "offer_settlement" not in now + more and "offer_discount" not in now + more

    def test_an_expired_offer_cannot_be_accepted_only_withdrawn(self):
        now, more = offered(offer_kind="discount", offer_expires_on=date(2026, 2, 20))
        assert "accept_offer" not in now + more and "withdraw_offer" in more

    def test_without_an_offer_one_can_be_made(self):
        now, more = offered()
        assert {"offer_settlement", "offer_discount"} <= set(more)
        assert "accept_offer" not in now + more and "withdraw_offer" not in now + more
