"""Properties of the balance over any sequence of money commands.

Each generated command is either valid, or expected to be refused with a DomainError; a
small model of the rules says which, so a refusal is never taken for granted.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from domain import events as ev
from domain.case import DebtCase
from domain.errors import DomainError
from domain.money import Money
from tests.builders import DUE, day, open_case, replayed, stamp, state

PENALTY_KINDS = ["late_fee", "compensation", "statutory_interest", "contractual_interest"]


@dataclass(frozen=True)
class Share:
    """An amount as a share of what is outstanding (of the penalty, for a waiver) at the time."""

    fraction: Decimal


@dataclass(frozen=True)
class Fixed:
    money: Money


amounts = st.one_of(
    st.decimals(min_value=0, max_value=Decimal("1.1"), places=2).map(Share),
    st.sampled_from([Decimal(1), Decimal("0.5")]).map(Share),
    st.integers(min_value=-200, max_value=150_000).map(
        lambda cents: Fixed(Money(Decimal(cents).scaleb(-2), "EUR"))),
    st.integers(min_value=1, max_value=10_000).map(
        lambda cents: Fixed(Money(Decimal(cents).scaleb(-2), "USD"))),
)
days_after_due = st.integers(min_value=1, max_value=300)


@dataclass(frozen=True)
class Command:
    name: str
    offset: int
    fields: dict[str, Any]

    def resolved(self, case: DebtCase) -> dict[str, Any]:
        """The fields, with a share turned into money of the case at this moment."""
        amount = self.fields.get("amount")
        if isinstance(amount, Fixed):
            return {**self.fields, "amount": amount.money}
        if isinstance(amount, Share):
            base = (case.penalties_by_kind.get(self.fields["kind"], Money.zero("EUR"))
                    if self.name == "waive_penalty" else case.outstanding)
            return {**self.fields, "amount": (base * amount.fraction).rounded()}
        return dict(self.fields)


def command(name: str, **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Command]:
    return st.builds(lambda offset, **f: Command(name, offset, f), days_after_due, **fields)


def payment() -> st.SearchStrategy[Command]:
    return command("record_payment", amount=amounts, method=st.just("bank_transfer"))


commands = st.one_of(
    payment(),
    payment(),
    command("apply_penalty", kind=st.sampled_from(PENALTY_KINDS), amount=amounts),
    command("apply_penalty", kind=st.sampled_from(PENALTY_KINDS), amount=amounts),
    command("waive_penalty", kind=st.sampled_from(PENALTY_KINDS), amount=amounts,
            reason=st.just("goodwill")),
    command("write_off", amount=st.none() | amounts, reason=st.just("uncollectable")),
    command("agree_settlement", amount=amounts, pay_by=st.just(DUE + timedelta(days=400))),
    command("promise_payment", amount=amounts, promised_on=st.just(DUE + timedelta(days=400))),
    command("add_note", text=st.just("spoke to the debtor")),
)
principals = st.integers(min_value=1, max_value=100_000).map(lambda c: str(Decimal(c) / 100))


def expected_to_be_accepted(case: DebtCase, name: str, fields: dict[str, Any]) -> bool:
    """The rules, restated independently of the aggregate's own checks."""
    if name == "add_note":
        return True
    if case.is_closed:
        return False
    amount = fields.get("amount")
    outstanding = case.outstanding.amount
    if amount is None:
        return outstanding > 0
    if amount.currency != "EUR" or amount.amount <= 0:
        return False
    if name == "apply_penalty":
        return True
    if name == "agree_settlement":
        return amount.amount < outstanding
    if name == "waive_penalty":
        applied = case.penalties_by_kind.get(fields["kind"], Money.zero("EUR")).amount
        return amount.amount <= min(applied, outstanding)
    return amount.amount <= outstanding


@dataclass
class Outcome:
    command: str
    fields: dict[str, Any]
    expected: bool
    error: DomainError | None
    state_before: dict[str, Any]
    version_before: int
    case: DebtCase
    new_events: list[ev.CaseEvent]
    history: list[ev.CaseEvent]


def play(principal: str, script: list[Command]) -> Iterator[Outcome]:
    """Run each command on a new case; yield what happened, with every event so far."""
    case = open_case(amount=principal)
    history = case.collect_events()
    for cmd in script:
        fields = cmd.resolved(case)
        expected = expected_to_be_accepted(case, cmd.name, fields)
        before, version = copy.deepcopy(state(case)), case.version
        try:
            getattr(case, cmd.name)(stamp=stamp(day(cmd.offset)), **fields)
            error = None
        except DomainError as refusal:
            error = refusal
        new = case.collect_events()
        history.extend(new)
        yield Outcome(cmd.name, fields, expected, error, before, version, case, new,
                      list(history))


def total(events: list[ev.CaseEvent], kind: type[ev.CaseEvent], attr: str = "amount") -> Decimal:
    return sum((getattr(e, attr).amount for e in events if isinstance(e, kind)), Decimal(0))


PROPERTY = settings(max_examples=150, deadline=None, database=None)


class TestTheBalance:
    @PROPERTY
    @given(principal=principals, script=st.lists(commands, max_size=25))
    def test_outstanding_is_principal_plus_penalties_less_paid_waived_and_written_off(
            self, principal, script):
        for outcome in play(principal, script):
            case, events = outcome.case, outcome.history
            paid = total(events, ev.PaymentReceived)
            penalties = total(events, ev.PenaltyApplied)
            waived = total(events, ev.PenaltyWaived) + total(events, ev.CaseSettled, "released")
            written_off = total(events, ev.WrittenOff)
            outstanding = Decimal(principal) + penalties - paid - waived - written_off
            assert case.outstanding == Money(outstanding, "EUR")
            assert (case.paid.amount, case.penalties.amount, case.waived.amount,
                    case.written_off.amount) == (paid, penalties, waived, written_off)
            assert outstanding >= 0
            # nothing outstanding closes the case, unless interest accrued to the day the
            # principal was paid is left to claim or waive (domain.interest_claims)
            assert case.is_closed <= (outstanding == 0)
            if outstanding == 0 and not case.is_closed:
                assert case.unclaimed_interest() is not None
            # every payment is split in full across costs, interest and principal
            assert case.costs_paid + case.interest_paid + case.principal_paid == case.paid
            assert case.principal_paid <= case.invoice_amount
            assert all(m.amount >= 0 for m in case.penalties_by_kind.values())

    @PROPERTY
    @given(principal=principals, script=st.lists(commands, max_size=25))
    def test_each_command_is_accepted_or_refused_as_the_rules_say(self, principal, script):
        for outcome in play(principal, script):
            assert (outcome.error is None) == outcome.expected, \
                (outcome.command, outcome.fields, outcome.error)
            event(f"{outcome.command} {'accepted' if outcome.expected else 'refused'}")
            if outcome.case.is_closed:
                event(f"closed as {outcome.case.stage}")

    @PROPERTY
    @given(principal=principals, script=st.lists(commands, max_size=25))
    def test_a_refused_command_changes_nothing(self, principal, script):
        for outcome in play(principal, script):
            if outcome.error is not None:
                assert outcome.new_events == []
                assert outcome.case.version == outcome.version_before
                assert state(outcome.case) == outcome.state_before

    @PROPERTY
    @given(principal=principals, script=st.lists(commands, max_size=25))
    def test_replaying_the_events_rebuilds_an_equal_case(self, principal, script):
        for outcome in play(principal, script):
            assert outcome.case.version == len(outcome.history)
            assert state(replayed(outcome.history)) == state(outcome.case)
