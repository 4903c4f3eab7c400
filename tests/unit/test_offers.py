"""Settlement offers and prompt-payment discounts: an amount in full settlement if taken up
by the expiry date; an expired offer cannot be accepted; an accepted one settles when paid."""

from __future__ import annotations

from decimal import Decimal

import pytest
from eventsourcing.domain import Snapshot

from domain.errors import InvalidValue, RuleBroken
from domain.offers import Offer
from domain.values import Stage
from tests.builders import day, eur, given, names, refused, state, step, when
from tests.unit.test_stored_events import mapper

OFFERED = day(20)
EXPIRES = day(40)


def offered(amount: str = "600.00", **opening) -> object:
    return given(None, step("offer_settlement", OFFERED, amount=eur(amount),
                            expires_on=EXPIRES), amount="1000.00", **opening)


class TestASettlementOffer:
    def test_records_what_settles_and_until_when(self):
        case = given(None, amount="1000.00")
        [event] = when(case, "offer_settlement", OFFERED, amount=eur("600"), expires_on=EXPIRES)
        assert (event.kind, event.amount, event.expires_on, event.outstanding) == (
            "settlement", eur("600.00"), EXPIRES, eur("1000.00"))
        assert case.offer == Offer("settlement", eur("600.00"), EXPIRES)

    def test_is_for_less_than_is_outstanding(self):
        case = given(None, amount="1000.00")
        with refused(case, InvalidValue, "amount", match="less than the outstanding"):
            when(case, "offer_settlement", OFFERED, amount=eur("1000"), expires_on=EXPIRES)

    def test_cannot_expire_before_it_is_made(self):
        case = given(None, amount="1000.00")
        with refused(case, InvalidValue, "expires_on"):
            when(case, "offer_settlement", OFFERED, amount=eur("600"), expires_on=day(19))

    def test_an_expired_offer_cannot_be_accepted(self):
        case = offered()
        with refused(case, RuleBroken, "case",
                     match=f"the offer expired on {EXPIRES.day} March 2025; it can no longer "
                           "be accepted"):
            when(case, "accept_offer", day(41))

    def test_accepted_on_its_last_day_it_agrees_the_settlement(self):
        case = offered()
        events = when(case, "accept_offer", EXPIRES)
        assert names(events) == ["OfferAccepted"]
        assert (events[0].amount, events[0].pay_by) == (eur("600.00"), EXPIRES)
        assert (case.offer, case.settlement) == (None, eur("600.00"))

    def test_an_accepted_offer_settles_the_case_when_paid(self):
        case = given(offered(), step("accept_offer", day(30)))
        events = when(case, "record_payment", day(35), amount=eur("600"), method="card")
        assert names(events) == ["PaymentReceived", "CaseSettled"]
        assert events[1].released == eur("400.00")
        assert (case.stage, case.outstanding) == (Stage.SETTLED, eur("0.00"))

    def test_an_offer_not_accepted_does_not_settle_on_payment(self):
        case = offered()
        assert names(when(case, "record_payment", day(30), amount=eur("600"),
                          method="card")) == ["PaymentReceived"]
        assert case.stage != Stage.SETTLED

    def test_a_second_offer_waits_until_the_first_is_withdrawn_or_expired(self):
        case = offered()
        with refused(case, RuleBroken, "case", match="an offer is already open"):
            when(case, "offer_settlement", day(25), amount=eur("700"), expires_on=day(50))
        assert names(when(case, "offer_settlement", day(41), amount=eur("700"),
                          expires_on=day(50))) == ["SettlementOffered"]

    def test_a_withdrawn_offer_cannot_be_accepted(self):
        case = given(offered(), step("withdraw_offer", day(25), reason="debtor silent"))
        with refused(case, RuleBroken, "case", match="there is no offer to accept"):
            when(case, "accept_offer", day(26))

    def test_no_offer_no_withdrawal(self):
        case = given(None)
        with refused(case, RuleBroken, "case", match="there is no offer to withdraw"):
            when(case, "withdraw_offer", day(26))

    def test_accepting_an_offer_no_longer_below_the_balance_is_refused(self):
        case = given(offered(), step("record_payment", day(22), amount=eur("500"),
                                     method="card"))
        with refused(case, RuleBroken, "case", match="no longer less than the outstanding"):
            when(case, "accept_offer", day(30))


class TestAPromptPaymentDiscount:
    def test_a_percentage_off_the_outstanding_balance(self):
        # EUR 1,000.01 less 3.333% = 1,000.01 × 0.03333 = 33.3303333 → 33.33 off (half up);
        # 966.68 to pay.
        case = given(None, amount="1000.01")
        [event] = when(case, "offer_discount", OFFERED, percent=Decimal("3.333"),
                       expires_on=EXPIRES)
        assert (event.kind, event.discount, event.amount, event.percent) == (
            "discount", eur("33.33"), eur("966.68"), Decimal("3.333"))

    def test_half_a_cent_rounds_up(self):
        # EUR 1,000.10 × 2.5% = 25.0025 → 25.00; EUR 1,000.30 × 2.5% = 25.0075 → 25.01.
        low = when(given(None, amount="1000.10"), "offer_discount", OFFERED,
                   percent=Decimal("2.5"), expires_on=EXPIRES)[0]
        high = when(given(None, amount="1000.30"), "offer_discount", OFFERED,
                    percent=Decimal("2.5"), expires_on=EXPIRES)[0]
        assert (low.discount, high.discount) == (eur("25.00"), eur("25.01"))
        assert high.amount == eur("975.29")

    def test_an_amount_off(self):
        [event] = when(given(None, amount="1000.00"), "offer_discount", OFFERED,
                       amount=eur("50"), expires_on=EXPIRES)
        assert (event.discount, event.amount, event.percent) == (eur("50.00"),
                                                                 eur("950.00"), None)

    @pytest.mark.parametrize("given_as", [{}, {"percent": Decimal(2), "amount": eur("5")}])
    def test_takes_a_percentage_or_an_amount_not_both_or_neither(self, given_as):
        case = given(None)
        with refused(case, InvalidValue, "percent",
                     match="give either a percentage or an amount off"):
            when(case, "offer_discount", OFFERED, expires_on=EXPIRES, **given_as)

    def test_paid_in_full_after_acceptance_it_settles(self):
        case = given(None, step("offer_discount", OFFERED, percent=Decimal("2"),
                                expires_on=EXPIRES),
                     step("accept_offer", day(30)), amount="1000.00")
        events = when(case, "record_payment", day(31), amount=eur("980"), method="card")
        assert names(events) == ["PaymentReceived", "CaseSettled"]

    def test_expired_it_cannot_be_accepted(self):
        case = given(None, step("offer_discount", OFFERED, percent=Decimal("2"),
                                expires_on=EXPIRES), amount="1000.00")
        with refused(case, RuleBroken, "case", match="the offer expired on"):
            when(case, "accept_offer", day(41))


class TestStored:
    def test_an_open_offer_survives_a_snapshot(self):
        case = given(None, step("offer_discount", OFFERED, percent=Decimal("2.5"),
                                expires_on=EXPIRES))
        stored = mapper().to_stored_event(Snapshot.take(case))
        assert state(mapper().to_domain_event(stored).mutate(None)) == state(case)
