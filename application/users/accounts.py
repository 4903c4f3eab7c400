"""The users' service: add, disable, enable, set a role or a password, issue a token, sign in.

The directory is stored in the same event store as the cases (the service's `Application`),
so it is covered by the same backups and the same history; the read models ignore it.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from application.errors import ConcurrentWrite
from application.users.directory import DIRECTORY_ID, Account, UserDirectory
from application.users.roles import Role
from domain.errors import InvalidValue, RuleBroken

if TYPE_CHECKING:
    from application.service import CaseService

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSWORD, MAX_PASSWORD = 10, 1024
TOKEN_PREFIX = "arrears_"
ROLES = ", ".join(r.value for r in Role)


class UnknownUser(InvalidValue):
    """No user has that name."""


def check_name(name: str, field: str = "name") -> str:
    text = (name or "").strip()
    if not NAME.fullmatch(text):
        raise InvalidValue("must be 1 to 64 characters: lower-case letters, digits, '.', '_' "
                           f"or '-', starting with a letter or digit; got {text!r}", field)
    return text


def check_role(role: str) -> Role:
    try:
        return Role((role or "").strip().lower())
    except ValueError:
        raise InvalidValue(f"must be one of {ROLES}; got {role!r}", "role") from None


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD:
        raise InvalidValue(f"must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long",
                           "password")
    return password


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified when a name is unknown, so that a wrong name takes as long as a wrong password."""
    return hasher.hash("not the password of anyone")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Accounts:
    """Users of one installation, kept as the events of its `UserDirectory`."""

    def __init__(self, store: CaseService, hasher: PasswordHasher | None = None) -> None:
        self.store = store
        self.hasher = hasher or PasswordHasher()
        self._held: UserDirectory | None = None  # the readers' copy, never changed

    # -- reading ----------------------------------------------------------------------------

    def directory(self) -> UserDirectory | None:
        """The users as stored now, for reading only (every request reads it).

        The directory's last stored version is read each time (one indexed row, no lock): the
        same as the copy last read, that copy is returned, shared and never changed; else the
        directory is loaded again (verified, ADR 16). The library's fast-forward of a cached
        aggregate holds a lock per aggregate across its read: every request of every thread
        queued on that one lock (ADR 41). Commands change a copy of their own (`_directory`).
        """
        stored = self.store.recorder.select_events(DIRECTORY_ID, desc=True, limit=1)
        if not stored:
            return None
        held = self._held
        if held is not None and held.version == stored[0].originator_version:
            return held
        self._held = found = self._loaded()
        return found

    def _loaded(self) -> UserDirectory | None:
        """A copy of the directory of its own, up to date (the library's repository)."""
        try:
            return self.store.repository.get(DIRECTORY_ID)
        except AggregateNotFoundError:
            return None

    def all(self) -> list[Account]:
        found = self.directory()
        return sorted(found.accounts.values(), key=lambda a: a.name) if found else []

    def get(self, name: str) -> Account | None:
        found = self.directory()
        return found.accounts.get((name or "").strip()) if found else None

    def active(self, name: str) -> Account | None:
        """The user, unless unknown or disabled."""
        account = self.get(name)
        return account if account and not account.disabled else None

    def sign_in(self, name: str, password: str) -> Account | None:
        """The active user whose password this is, or None (never says which was wrong)."""
        account = self.active(name)
        stored = account.password_hash if account else _dummy_hash(self.hasher)
        try:
            self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return account

    def by_token(self, token: str) -> Account | None:
        """The active user whose API token this is, or None."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        found = self.directory()
        account = found.by_token_hash(token_hash(token)) if found else None
        return account if account and not account.disabled else None

    def check_counsel(self, name: str, field: str = "user") -> str:
        """The name of an active counsel user, for a referral that names their account."""
        account = self.active(check_name(name, field))
        if account is None:
            raise UnknownUser(f"no active user '{name}'", field)
        if account.role != Role.COUNSEL:
            raise InvalidValue(f"'{name}' has the role {account.role.value}, not counsel: a "
                               "referral names a counsel user", field)
        return account.name

    # -- changing ---------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str, actor: str) -> Account:
        name, role = check_name(name), check_role(role)
        password_hash = self.hasher.hash(check_password(password))
        directory = self._directory(actor)
        if name in directory.accounts:
            raise RuleBroken(f"there is already a user '{name}'", "name")
        self._record(directory, UserDirectory.UserAdded, actor, name=name, role=role.value,
                     password_hash=password_hash)
        return directory.accounts[name]

    def set_role(self, name: str, role: str, actor: str) -> Account:
        role = check_role(role)
        directory, account = self._existing(name, actor)
        if account.role != role:
            self._record(directory, UserDirectory.RoleChanged, actor, name=account.name,
                         role=role.value)
        return directory.accounts[account.name]

    def disable(self, name: str, actor: str) -> Account:
        """Disable the user: no sign-in, sessions and token refused from the next request."""
        directory, account = self._existing(name, actor)
        if not account.disabled:
            self._record(directory, UserDirectory.UserDisabled, actor, name=account.name)
        return directory.accounts[account.name]

    def enable(self, name: str, actor: str) -> Account:
        directory, account = self._existing(name, actor)
        if account.disabled:
            self._record(directory, UserDirectory.UserEnabled, actor, name=account.name)
        return directory.accounts[account.name]

    def set_password(self, name: str, password: str, actor: str) -> Account:
        """A new password; sessions signed in with the old one end (see `session_id`)."""
        password_hash = self.hasher.hash(check_password(password))
        directory, account = self._existing(name, actor)
        self._record(directory, UserDirectory.PasswordChanged, actor, name=account.name,
                     password_hash=password_hash)
        return directory.accounts[account.name]

    def issue_token(self, name: str, actor: str) -> str:
        """A new API token for the user (it replaces any earlier one); only its hash is kept."""
        directory, account = self._existing(name, actor)
        if account.disabled:
            raise RuleBroken(f"the user '{account.name}' is disabled", "name")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self._record(directory, UserDirectory.TokenIssued, actor, name=account.name,
                     token_hash=token_hash(token))
        return token

    def _directory(self, actor: str) -> UserDirectory:
        """The directory a command changes: a copy of its own, never the readers' one."""
        return self._loaded() or UserDirectory.start(actor, self.store.clock.now())

    def _existing(self, name: str, actor: str) -> tuple[UserDirectory, Account]:
        directory = self._directory(actor)
        account = directory.accounts.get(check_name(name))
        if account is None:
            raise UnknownUser(f"no user '{name}'", "name")
        return directory, account

    def _record(self, directory: UserDirectory, event: type[UserDirectory.Event], actor: str,
                **fields: str) -> None:
        directory.record(event, actor, self.store.clock.now(), **fields)
        try:
            self.store.save(directory)
        except IntegrityError:
            raise ConcurrentWrite("the users were changed by someone else meanwhile; "
                                  "try again", "name") from None


def session_id(account: Account) -> str:
    """What a signed-in session stores: the name and a digest of the password hash, so that
    a new password ends every session signed in with the old one."""
    digest = hashlib.sha256(account.password_hash.encode("utf-8")).hexdigest()[:16]
    return f"{account.name}:{digest}"
