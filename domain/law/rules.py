"""Each jurisdiction's rules, read once from `data/jurisdictions.toml` into frozen values."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from domain.errors import InvalidValue
from domain.law.vocabulary import Bucket, Jurisdiction, LimitationStart, Reference
from domain.values import choice


@dataclass(frozen=True)
class Band:
    """A fixed sum due on a debt of `from_` or more (up to the next band)."""

    from_: Decimal
    fee: Decimal


@dataclass(frozen=True)
class Scheme:
    """A statutory late-payment interest scheme."""

    key: str
    statute: str
    currency: str
    reference: Reference
    rate_table: str
    rate_name: str
    business_margin: Decimal | None
    business_margin_source: str
    individual_margin: Decimal | None
    individual_margin_source: str
    default_credit_days: int  # 0: not modelled for the scheme
    default_credit_source: str
    compensation_source: str
    compensation_bands: tuple[Band, ...]


@dataclass(frozen=True)
class LimitationRule:
    years: int
    runs_from: LimitationStart
    source: str
    restart_source: str
    no_revival_source: str


@dataclass(frozen=True)
class DemandRule:
    """Statutory demand thresholds (insolvency)."""

    currency: str
    business_more_than: Decimal
    business_source: str
    individual_at_least: Decimal
    individual_source: str
    days: int


@dataclass(frozen=True)
class Rules:
    jurisdiction: Jurisdiction
    name: str
    scheme: Scheme
    scheme_note: str
    allocation: tuple[Bucket, ...]
    allocation_source: str
    limitation: LimitationRule
    statutory_demand: DemandRule | None


def rules_for(jurisdiction: Jurisdiction | str) -> Rules:
    """The rules of a jurisdiction ('england-wales', 'scotland', ...)."""
    return _all_rules()[choice(Jurisdiction, str(jurisdiction), "jurisdiction")]


@cache
def _all_rules() -> dict[Jurisdiction, Rules]:
    text = (files("domain.law") / "data" / "jurisdictions.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    schemes = {key: _scheme(key, value) for key, value in data["schemes"].items()}
    found = {Jurisdiction(key): _rules(Jurisdiction(key), value, schemes)
             for key, value in data["jurisdictions"].items()}
    missing = set(Jurisdiction) - set(found)
    if missing:
        raise ValueError(f"jurisdictions.toml: no rules for {', '.join(sorted(missing))}")
    return found


def _scheme(key: str, data: dict[str, Any]) -> Scheme:
    bands = tuple(Band(Decimal(b["from"]), Decimal(b["fee"])) for b in data["compensation_bands"])
    return Scheme(key, data["statute"], data["currency"], Reference(data["reference"]),
                  data["rate_table"], data["rate_name"], _decimal(data["business_margin"]),
                  data["business_margin_source"], _decimal(data["individual_margin"]),
                  data["individual_margin_source"], int(data["default_credit_days"]),
                  data["default_credit_source"], data["compensation_source"],
                  tuple(sorted(bands, key=lambda band: band.from_)))


def _rules(jurisdiction: Jurisdiction, data: dict[str, Any],
           schemes: dict[str, Scheme]) -> Rules:
    order = tuple(Bucket(word) for word in data["allocation"])
    check_order(order)
    limit = data["limitation"]
    limitation = LimitationRule(int(limit["years"]), LimitationStart(limit["runs_from"]),
                                limit["source"], limit["restart_source"],
                                limit["no_revival_source"])
    demand = data.get("statutory_demand")
    return Rules(jurisdiction, data["name"], schemes[data["scheme"]], data["scheme_note"], order,
                 data["allocation_source"], limitation,
                 None if demand is None else _demand(demand))


def _demand(data: dict[str, Any]) -> DemandRule:
    return DemandRule(data["currency"], Decimal(data["business_more_than"]),
                      data["business_source"], Decimal(data["individual_at_least"]),
                      data["individual_source"], int(data["days"]))


def check_order(order: tuple[Bucket, ...]) -> None:
    """An allocation order names costs, interest and principal, each once."""
    if sorted(order) != sorted(Bucket):
        raise InvalidValue("must name costs, interest and principal, each once", "allocation")


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None
