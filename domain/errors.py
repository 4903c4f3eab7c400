"""Domain errors: one hierarchy, plain messages, the field each one concerns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """A command was refused because it would break a business rule."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidValue(DomainError):
    """A value is malformed or out of range (negative amount, unknown channel...)."""


class CurrencyMismatch(DomainError):
    """An amount is not in the case's currency."""


class CaseClosed(DomainError):
    """Only notes may be added to a paid, settled or written-off case."""


class RuleBroken(DomainError):
    """A collection rule forbids the command in the case's present state."""


class AmountTooLarge(DomainError):
    """An amount exceeds what is outstanding (or what the rule allows)."""


class InvalidValues(InvalidValue):
    """Several values refused at once (a form reports all its errors in one round)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first_field, messages = next(iter(errors.items()))
        super().__init__(messages[0], first_field)
        self.errors = errors


class Checks:
    """Runs checks and gathers every InvalidValue, so that all of them are reported at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def run(self, check: Callable[..., T], *args: Any) -> T | None:
        """The check's result, or None when it refused (its error kept for `done`)."""
        try:
            return check(*args)
        except InvalidValues as error:
            for field, messages in error.errors.items():
                self.errors.setdefault(field, []).extend(messages)
        except InvalidValue as error:
            self.errors.setdefault(error.field or "_schema", []).append(error.message)
        return None

    def failed(self, *fields: str) -> bool:
        return any(f in self.errors for f in fields)

    def done(self) -> None:
        """Raise every refusal gathered, as one InvalidValues."""
        if self.errors:
            raise InvalidValues(self.errors)
