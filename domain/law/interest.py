"""Late-payment interest: simple, by the day, on an actual/365 basis.

Interest runs from the day after the due date up to and including `until` (the day of
payment, or the day asked about), on the principal outstanding each day; a payment reduces
the principal from the day after it is paid. The period is cut into lines at every rate
change and every change of principal; each line is rounded half up to the minor unit, and
the total is the sum of the lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, localcontext

from domain.errors import AmountTooLarge, CurrencyMismatch, InvalidValue
from domain.law.calculation import InterestCalculation, InterestLine, PrincipalPayment
from domain.law.dates import ONE_DAY, long_date
from domain.law.rules import rules_for
from domain.law.statutory import RatePlan, compensation, rate_plan
from domain.law.vocabulary import Jurisdiction
from domain.money import Money, check_amount
from domain.values import DebtorKind, choice

DAYS_IN_YEAR = Decimal(365)


def calculate_interest(*, jurisdiction: Jurisdiction | str, debtor: DebtorKind | str,
                       principal: Money, due_date: date, until: date,
                       payments: Sequence[PrincipalPayment] = (),
                       contract_rate: Decimal | None = None,
                       with_compensation: bool = True) -> InterestCalculation:
    """Interest and the fixed sum the law adds on a debt, from the day after `due_date` to
    `until`. `payments` are the parts of the principal paid (after allocation); a
    `contract_rate` (percent a year) from the case's terms replaces the statutory rate.
    `with_compensation` False: the interest alone (the fixed sum is zero, not looked up)."""
    rules = rules_for(jurisdiction)
    kind = choice(DebtorKind, str(debtor), "debtor.kind")
    _check(principal, payments, contract_rate)
    start = due_date + ONE_DAY
    zero = Money.zero(principal.currency)
    if until < start:
        return InterestCalculation(principal.currency, (), zero, zero, (
            f"Nothing is due yet: interest runs from {long_date(start)}, the day after the "
            "due date."))
    plan = rate_plan(rules, kind, start, until, contract_rate)
    fee, fee_basis = (compensation(rules, kind, principal) if with_compensation
                      else (zero, ""))
    lines = _lines(plan, principal, payments, start, until)
    interest = sum((line.amount for line in lines), zero)
    basis = " ".join(part for part in (plan.basis, fee_basis, rules.scheme_note) if part)
    return InterestCalculation(principal.currency, lines, interest, fee, basis)


def _lines(plan: RatePlan, principal: Money, payments: Sequence[PrincipalPayment],
           start: date, until: date) -> tuple[InterestLine, ...]:
    if not plan.pieces:
        return ()
    cuts = {day for day, _rate in plan.pieces} | {p.on + ONE_DAY for p in payments}
    starts = [start, *sorted(day for day in cuts if start < day <= until)]
    ends = [day - ONE_DAY for day in starts[1:]] + [until]
    lines = []
    for from_, to in zip(starts, ends, strict=True):
        owed = _principal_on(from_, principal, payments)
        if owed.is_positive:
            lines.append(interest_line(from_, to, owed, plan.rate_on(from_)))
    return tuple(lines)


def interest_line(from_: date, to: date, principal: Money, rate: Decimal) -> InterestLine:
    """principal x rate% x days / 365, rounded half up to the minor unit."""
    days = (to - from_).days + 1
    with localcontext() as exact:
        exact.prec = 50
        amount = principal.amount * rate * days / (100 * DAYS_IN_YEAR)
    return InterestLine(from_, to, days, principal,
                        rate, Money(amount, principal.currency).rounded())


def _principal_on(day: date, principal: Money,
                  payments: Sequence[PrincipalPayment]) -> Money:
    """The principal bearing interest on `day`: less what was paid before that day."""
    paid = sum((p.amount for p in payments if p.on < day), Money.zero(principal.currency))
    return principal - paid


def _check(principal: Money, payments: Sequence[PrincipalPayment],
           contract_rate: Decimal | None) -> None:
    check_amount(principal.amount, principal.currency, "principal")
    if not principal.is_positive:
        raise InvalidValue("must be more than zero", "principal")
    for payment in payments:
        if payment.amount.currency != principal.currency:
            raise CurrencyMismatch(f"is in {payment.amount.currency}, but the principal is "
                                   f"in {principal.currency}", "payments")
        if not payment.amount.is_positive:
            raise InvalidValue("each payment must be more than zero", "payments")
    paid = sum((p.amount for p in payments), Money.zero(principal.currency))
    if paid.amount > principal.amount:
        raise AmountTooLarge(f"{paid} paid is more than the principal of {principal}",
                             "payments")
    if contract_rate is not None and not Decimal(0) <= contract_rate <= 100:
        raise InvalidValue("must be between 0 and 100 percent a year", "contract_rate")
