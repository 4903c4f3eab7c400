"""The user directory: one aggregate holding every user of the installation (ADR 17).

One aggregate, so that a name is unique (the check and the event are one save), the list
of users is one load, and who had which role when is read from its events: added, role
changed, disabled, enabled, password changed, token issued. Each event records who did it
(`actor`) and when (`timestamp`, from the application's clock). `apply` only assigns.

Secrets are never stored: a password as its argon2 hash, an API token as its SHA-256.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from application.users.roles import Role

DIRECTORY_ID = uuid5(UUID("6f1c54b4-5c6e-4a55-9d3c-3c2a8f0d1e17"), "users")


@dataclass(frozen=True)
class Account:
    """One user as the directory knows them now."""

    name: str
    role: Role
    password_hash: str = field(repr=False)
    disabled: bool = False
    token_hash: str = field(default="", repr=False)  # SHA-256 of the token in force, or ""
    added_at: datetime | None = None


class UserDirectory(Aggregate):
    """Every user, by name."""

    class Event(Aggregate.Event):
        actor: str

        @staticmethod
        def create_timestamp() -> datetime:
            raise TypeError("recorded_at must be given by the application's clock")

        def apply(self, aggregate: Any) -> None:
            """Default: nothing to assign."""

    class Created(Event, Aggregate.Created):
        def apply(self, aggregate: Any) -> None:
            aggregate.accounts = {}

    class UserAdded(Event):
        name: str
        role: str
        password_hash: str

        def apply(self, aggregate: Any) -> None:
            aggregate.accounts[self.name] = Account(self.name, Role(self.role),
                                                    self.password_hash,
                                                    added_at=self.timestamp)

    class RoleChanged(Event):
        name: str
        role: str

        def apply(self, aggregate: Any) -> None:
            aggregate.change(self.name, role=Role(self.role))

    class UserDisabled(Event):
        name: str

        def apply(self, aggregate: Any) -> None:
            aggregate.change(self.name, disabled=True, token_hash="")

    class UserEnabled(Event):
        name: str

        def apply(self, aggregate: Any) -> None:
            aggregate.change(self.name, disabled=False)

    class PasswordChanged(Event):
        name: str
        password_hash: str

        def apply(self, aggregate: Any) -> None:
            aggregate.change(self.name, password_hash=self.password_hash)

    class TokenIssued(Event):
        name: str
        token_hash: str

        def apply(self, aggregate: Any) -> None:
            aggregate.change(self.name, token_hash=self.token_hash)

    # State (assigned by `apply` only): accounts, dict[str, Account] by name.

    @classmethod
    def start(cls, actor: str, at: datetime) -> UserDirectory:
        return cls._create(cls.Created, id=DIRECTORY_ID, timestamp=at, actor=actor)

    def change(self, name: str, **values: Any) -> None:
        """Assign new values to one account (only `apply` calls this)."""
        self.accounts[name] = replace(self.accounts[name], **values)

    def record(self, event_class: type[Event], actor: str, at: datetime, **fields: Any) -> None:
        self.trigger_event(event_class, timestamp=at, actor=actor, **fields)

    def by_token_hash(self, token_hash: str) -> Account | None:
        """The account whose token has this SHA-256 (each compared in constant time)."""
        found = [a for a in self.accounts.values()
                 if a.token_hash and hmac.compare_digest(a.token_hash, token_hash)]
        return found[0] if found else None
