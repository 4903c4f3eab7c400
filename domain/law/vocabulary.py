"""Words of the law module: jurisdictions, what a payment pays, how a rule runs."""

from __future__ import annotations

from enum import StrEnum


class Jurisdiction(StrEnum):
    """Whose law governs the debt (its rules are in `data/jurisdictions.toml`)."""

    ENGLAND_WALES = "england-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"
    GERMANY = "germany"


class Bucket(StrEnum):
    """What part of the debt a payment pays (see `allocation`)."""

    COSTS = "costs"  # compensation and fees
    INTEREST = "interest"
    PRINCIPAL = "principal"


class Reference(StrEnum):
    """How a statutory scheme finds its rate."""

    # UK: the Bank Rate on 31 December or 30 June before interest starts, fixed for the debt
    FIXED_HALF_YEAR = "bank-rate-fixed-half-year"
    # Germany: the base rate of each half-year the interest runs through
    PER_PERIOD = "base-rate-per-period"


class LimitationStart(StrEnum):
    """When the limitation period begins."""

    DUE_DATE = "due-date"  # from the day payment was due
    END_OF_YEAR = "end-of-year"  # from the end of the year in which the claim arose
