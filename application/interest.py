"""The late-payment interest on a case, worked out for reading: nothing is stored.

For now every payment counts toward the principal, in date order (up to the principal):
until `PaymentReceived` carries its split, no payment is taken as paying costs or interest
first. The schedule's claim step splits payments in the jurisdiction's order instead
(`application.schedule.interest`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain import events as ev
from domain.case import DebtCase
from domain.law import InterestCalculation, Jurisdiction, PrincipalPayment, calculate_interest
from domain.money import Money


def principal_parts(principal: Money,
                    events: Iterable[ev.CaseEvent]) -> tuple[PrincipalPayment, ...]:
    """Each payment as paying the principal, in date order, never beyond the principal."""
    payments = sorted((e for e in events if isinstance(e, ev.PaymentReceived)),
                      key=lambda e: e.occurred_on)
    left, parts = principal, []
    for payment in payments:
        part = min(payment.amount.amount, left.amount)
        if part > 0:
            parts.append(PrincipalPayment(payment.occurred_on, Money(part, principal.currency)))
            left = Money(left.amount - part, principal.currency)
    return tuple(parts)


def case_interest(case: DebtCase, events: Iterable[ev.CaseEvent],
                  until: date) -> InterestCalculation:
    """Interest and compensation on the case up to and including `until`, under its own
    jurisdiction, at the contractual rate of its terms if it has one (else statutory)."""
    principal = case.invoice_amount
    return calculate_interest(
        jurisdiction=Jurisdiction(case.jurisdiction), debtor=case.debtor.kind,
        principal=principal, due_date=case.due_date, until=until,
        payments=principal_parts(principal, events),
        contract_rate=case.terms.interest_rate)
