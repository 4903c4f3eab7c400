"""Who may read a case besides collectors and auditors, projected from its referrals (ADR 17).

The latest referral to counsel names counsel's user, the latest referral to mediation the
mediator's; a later referral of the same kind replaces the earlier one (naming no user
takes the access away). Rebuilt from the events like every read model, so access always
follows the history.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, and_, delete, insert, or_

from application.readmodels.tables import case_access
from domain.events import CaseEvent, LegalReferral, MediationReferred

VIA = {LegalReferral: "counsel", MediationReferred: "mediation"}


def access_changes(events: Iterable[CaseEvent]) -> dict[tuple[str, str], str]:
    """(case id, via) → the user named last in these events ('' : none), in event order."""
    changes: dict[tuple[str, str], str] = {}
    for event in events:
        via = VIA.get(type(event))
        if via is not None:
            changes[(str(event.originator_id), via)] = event.user
    return changes


def write_access(conn: Connection, changes: dict[tuple[str, str], str]) -> None:
    """Replace the access rows these changes concern (one delete and one insert)."""
    if not changes:
        return
    c = case_access.c
    conn.execute(delete(case_access).where(or_(*(and_(c.case_id == case_id, c.via == via)
                                                 for case_id, via in changes))))
    rows = [{"case_id": case_id, "via": via, "user": user}
            for (case_id, via), user in changes.items() if user]
    if rows:
        conn.execute(insert(case_access), rows)
