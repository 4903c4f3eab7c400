"""Which commands a case takes now, from its summary: those that fit where it stands (shown
on the case page), the others it would still accept (behind "more actions"); a command the
case would refuse in its state is not offered at all.

The case itself stays the judge (`domain.case`): this only keeps the page to what applies.
A command this module does not know is offered under "more actions".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.values import Stage

Summary = Mapping[str, Any]  # a case summary as seen today (`readmodels.queries.seen_on`)
Rule = Callable[[Summary, date], bool]

ON_CLOSED = ("add_note", "attach_document")  # evidence arrives late


def disputed(case: Summary) -> bool:
    return case["hold_reason"] == "dispute"


def deadline_passed(case: Summary, today: date) -> bool:
    deadline = case["demand_deadline"]
    return case["stage"] == Stage.DEMANDED and deadline is not None and deadline < today


def has_penalties(case: Summary) -> bool:
    return case["penalties"] > case["waived"]


def offer_open(case: Summary, today: date) -> bool:
    """An offer made and not expired (an expired one cannot be accepted)."""
    expires = case.get("offer_expires_on")
    return bool(case.get("offer_kind")) and (expires is None or today <= expires)


def chasing(case: Summary) -> bool:
    """Not paused, and still the creditor's to chase (not handed off)."""
    return not case["on_hold"] and case["stage"] in (Stage.OPEN, Stage.OVERDUE, Stage.REMINDED,
                                                      Stage.DEMANDED)


# Offered only when this holds (else the case would refuse it, or it makes no sense).
APPLIES: dict[str, Rule] = {
    "resolve_dispute": lambda c, t: disputed(c),
    "raise_dispute": lambda c, t: not disputed(c),
    "lift_hold": lambda c, t: c["on_hold"] and not disputed(c),
    "place_hold": lambda c, t: not c["on_hold"] and not disputed(c),
    "conclude_mediation": lambda c, t: c["stage"] == Stage.IN_MEDIATION,
    "refer_to_mediation": lambda c, t: c["stage"] != Stage.IN_MEDIATION,
    "waive_penalty": lambda c, t: has_penalties(c),
    "send_reminder": lambda c, t: not c["on_hold"],
    "issue_demand": lambda c, t: not c["on_hold"],
    "serve_statutory_demand": lambda c, t: not disputed(c),
    "accept_offer": lambda c, t: offer_open(c, t),
    "withdraw_offer": lambda c, t: bool(c.get("offer_kind")),
    "offer_settlement": lambda c, t: not c.get("offer_kind"),
    "offer_discount": lambda c, t: not c.get("offer_kind"),
}

# Of those that apply, the ones that fit the case's standing now (shown first).
FITS: dict[str, Rule] = {
    "log_call": lambda c, t: True,
    "record_payment": lambda c, t: True,
    "promise_payment": lambda c, t: not disputed(c),
    "add_note": lambda c, t: True,
    "resolve_dispute": lambda c, t: True,
    "lift_hold": lambda c, t: True,
    "conclude_mediation": lambda c, t: True,
    "send_reminder": lambda c, t: chasing(c) and c["next_action"] == "Send reminder",
    "issue_demand": lambda c, t: chasing(c) and c["next_action"] == "Issue demand",
    "refer_to_mediation": lambda c, t: deadline_passed(c, t),
    "refer_to_counsel": lambda c, t: deadline_passed(c, t),
    "assign_agency": lambda c, t: deadline_passed(c, t),
    "file_bankruptcy_claim": lambda c, t: c["stage"] == Stage.IN_INSOLVENCY,
    "accept_offer": lambda c, t: True,
}


@dataclass(frozen=True)
class CaseActions:
    now: tuple[str, ...]  # fit the case as it stands: shown
    more: tuple[str, ...]  # accepted, but not what the case calls for: "more actions"


def case_actions(case: Summary, commands: tuple[str, ...] | list[str],
                 today: date) -> CaseActions:
    """`commands` (in their order) split into those that fit now and the rest that apply."""
    if case["is_closed"]:
        return CaseActions(tuple(c for c in commands if c in ON_CLOSED), ())
    applying = [c for c in commands if APPLIES.get(c, lambda s, d: True)(case, today)]
    now = tuple(c for c in applying if FITS.get(c, lambda s, d: False)(case, today))
    return CaseActions(now, tuple(c for c in applying if c not in now))
