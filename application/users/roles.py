"""Roles and what each may do: the one table every entry point asks (ADR 17)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user is for."""

    ADMIN = "admin"  # users and settings; no case data
    COLLECTOR = "collector"  # works cases: reads them all, records events
    COUNSEL = "counsel"  # a lawyer or mediator: reads only the cases referred to them
    AUDITOR = "auditor"  # reads every case and the audit trail; records nothing


class Permission(StrEnum):
    """One thing a request may need."""

    READ_CASES = "read_cases"  # case list, case, timeline, debtors, dashboard
    WORK_CASES = "work_cases"  # open cases, run commands on them
    READ_AUDIT = "read_audit"  # the audit trail of every case
    MANAGE_USERS = "manage_users"  # the list of users


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset({Permission.MANAGE_USERS}),
    Role.COLLECTOR: frozenset({Permission.READ_CASES, Permission.WORK_CASES,
                               Permission.READ_AUDIT}),
    Role.COUNSEL: frozenset({Permission.READ_CASES}),
    Role.AUDITOR: frozenset({Permission.READ_CASES, Permission.READ_AUDIT}),
}

# Roles that see only the cases a referral names them on (every other case is "not found").
REFERRED_ONLY = frozenset({Role.COUNSEL})


def can(role: Role | str, permission: Permission) -> bool:
    """Whether the role has the permission (an unknown role has none)."""
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False


def sees_only_referred(role: Role | str) -> bool:
    return role in REFERRED_ONLY
