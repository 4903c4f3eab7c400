"""Which annual rate applies on which day, and the fixed sum the law adds, with the sentence
that says why. The numbers come from `data/`; the two ways of finding a rate are here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.law.calculation import percent_text
from domain.law.dates import long_date
from domain.law.rules import Rules, Scheme
from domain.law.tables import rate_table
from domain.law.vocabulary import Reference
from domain.money import Money
from domain.values import DebtorKind


@dataclass(frozen=True)
class RatePlan:
    """Annual rates (percent) from each day on; empty when no interest applies."""

    pieces: tuple[tuple[date, Decimal], ...]
    basis: str

    def rate_on(self, day: date) -> Decimal:
        return [rate for start, rate in self.pieces if start <= day][-1]


def rate_plan(rules: Rules, debtor: DebtorKind, start: date, until: date,
              contract_rate: Decimal | None) -> RatePlan:
    """The rates for interest running from `start` to `until` (both included)."""
    if contract_rate is not None:
        return RatePlan(((start, contract_rate),),
                        f"Contractual interest at {percent_text(contract_rate)}% a year under "
                        "the case's terms, which take precedence over the statutory rate.")
    scheme = rules.scheme
    margin = margin_for(scheme, debtor)
    if margin is None:
        return RatePlan((), f"No interest: the {scheme.statute} applies only where both "
                        f"parties act in the course of a business "
                        f"({scheme.individual_margin_source}), and the case's terms set no rate.")
    if scheme.reference is Reference.FIXED_HALF_YEAR:
        return _fixed_half_year(scheme, margin, start)
    return _per_period(scheme, debtor, margin, start, until)


def margin_for(scheme: Scheme, debtor: DebtorKind) -> Decimal | None:
    if debtor is DebtorKind.BUSINESS:
        return scheme.business_margin
    return scheme.individual_margin


def points(margin: Decimal) -> str:
    """'8', '9', '2.5': percentage points as a sentence reads them."""
    return format(margin.normalize(), "f")


def reference_day(start: date) -> date:
    """31 December before a start from January to June; 30 June before one from July."""
    return date(start.year - 1, 12, 31) if start.month <= 6 else date(start.year, 6, 30)


def _fixed_half_year(scheme: Scheme, margin: Decimal, start: date) -> RatePlan:
    day = reference_day(start)
    reference = rate_table(scheme.rate_table).rate_on(day, "due_date").rate
    rate = reference + margin
    return RatePlan(((start, rate),), (
        f"Statutory interest under the {scheme.statute} ({scheme.business_margin_source}): "
        f"{points(margin)} points over {scheme.rate_name} of {percent_text(reference)}% "
        f"in force on {long_date(day)}, fixed at {percent_text(rate)}% a year for the life "
        "of this debt."))


def _per_period(scheme: Scheme, debtor: DebtorKind, margin: Decimal, start: date,
                until: date) -> RatePlan:
    table = rate_table(scheme.rate_table)
    rows = (table.rate_on(start, "due_date"), *table.changes_within(start, until))
    source = (scheme.business_margin_source if debtor is DebtorKind.BUSINESS
              else scheme.individual_margin_source)
    return RatePlan(
        tuple((max(row.effective_from, start), row.rate + margin) for row in rows),
        f"Default interest under {source}: {points(margin)} points over "
        f"{scheme.rate_name}, which changes every 1 January and 1 July; each rate period "
        "is a line.")


def compensation(rules: Rules, debtor: DebtorKind, principal: Money) -> tuple[Money, str]:
    """The fixed sum the law adds for a business debtor, by the size of the debt."""
    scheme = rules.scheme
    if debtor is not DebtorKind.BUSINESS:
        return Money.zero(principal.currency), (
            f"No fixed sum under {scheme.compensation_source}: it is due from business "
            "debtors only.")
    if principal.currency != scheme.currency:
        # The bands are in the law's currency and the law names no exchange rate: the fixed
        # sum is not guessed. The interest itself still runs (its rate is not a currency's).
        # (The basis is printed in letters to the debtor: it states, it does not advise.)
        return Money.zero(principal.currency), (
            f"No fixed sum added: the fixed sum under {scheme.compensation_source} is in "
            f"{scheme.currency}; this debt is in {principal.currency}.")
    band = [b for b in scheme.compensation_bands if b.from_ <= principal.amount][-1]
    fee = Money(band.fee, scheme.currency).rounded()
    return fee, f"Fixed sum of {fee} under {scheme.compensation_source} for a debt of {principal}."
