"""Any sequence of commands on a case, valid or not (issue 15, "Faults"): a hypothesis state
machine runs them through CaseService.handle on an in-memory store. After every step the
case's balance identity holds, its version is the number of stored events, and a refused
command stored nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from application.clock import FixedClock
from application.commands import CASE_COMMANDS, OpenCase
from application.service import CaseService
from domain import events as ev
from domain.errors import DomainError
from domain.money import Money
from domain.values import Debtor, DisputeOutcome, PaymentTerms, PenaltyKind, WriteOffReason

TODAY = date(2026, 1, 1)
PRINCIPAL = Decimal("500")
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("800"), places=2)
kinds = st.sampled_from(list(PenaltyKind))


def total(events: list, kind: type, attr: str = "amount") -> Decimal:
    return sum((getattr(e, attr).amount for e in events if isinstance(e, kind)), Decimal(0))


class CaseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.service = CaseService("sqlite://", clock=FixedClock(
            datetime(2026, 1, 1, 9, tzinfo=UTC)), creditor="Machine Ltd")
        self.case_id = self.service.handle(OpenCase(
            actor="m", occurred_on=TODAY, creditor="Machine Ltd", invoice_number="M-1",
            debtor=Debtor("Machine Debtor"), amount=Money(PRINCIPAL, "EUR"),
            issue_date=TODAY, due_date=TODAY, terms=PaymentTerms())).case_id
        self.refused = self.accepted = 0

    def teardown(self) -> None:
        self.service.close()

    def stored(self) -> list:
        return list(self.service.case_events(self.case_id))

    def run(self, name: str, **fields) -> None:
        before = len(self.stored())
        command = CASE_COMMANDS[name](case_id=self.case_id, actor="m", **fields)
        try:
            recorded = self.service.handle(command)
        except DomainError:
            self.refused += 1
            assert len(self.stored()) == before, f"refused {name} stored an event"
            return
        self.accepted += 1
        assert len(self.stored()) == before + recorded.version - recorded.first_version + 1

    @rule(text=st.text(min_size=1, max_size=30).filter(str.strip))
    def note(self, text):
        self.run("add_note", text=text)

    @rule(amount=amounts)
    def pay(self, amount):
        self.run("record_payment", amount=amount)

    @rule(kind=kinds, amount=amounts)
    def penalty(self, kind, amount):
        self.run("apply_penalty", kind=kind, amount=amount)

    @rule(kind=kinds, amount=amounts)
    def waive(self, kind, amount):
        self.run("waive_penalty", kind=kind, amount=amount, reason="goodwill")

    @rule(amount=st.none() | amounts)
    def write_off(self, amount):
        self.run("write_off", reason=WriteOffReason.UNCOLLECTABLE, amount=amount)

    @rule()
    def hold(self):
        self.run("place_hold", reason="checking")

    @rule()
    def lift(self):
        self.run("lift_hold")

    @rule()
    def dispute(self):
        self.run("raise_dispute", reason="not delivered")

    @rule(outcome=st.sampled_from(list(DisputeOutcome)))
    def resolve(self, outcome):
        self.run("resolve_dispute", outcome=outcome)

    @invariant()
    def the_balance_holds(self):
        events = self.stored()
        case = self.service.load(self.case_id)
        outstanding = (PRINCIPAL + total(events, ev.PenaltyApplied)
                       - total(events, ev.PaymentReceived) - total(events, ev.PenaltyWaived)
                       - total(events, ev.CaseSettled, "released") - total(events, ev.WrittenOff))
        assert case.outstanding == Money(outstanding, "EUR")
        assert outstanding >= 0
        assert case.is_closed == (outstanding == 0)
        assert case.version == len(events)


TestCaseMachine = CaseMachine.TestCase
TestCaseMachine.settings = settings(max_examples=20, stateful_step_count=15, deadline=None,
                                    database=None)
