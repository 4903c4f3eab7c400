"""Domain errors: one hierarchy, plain messages, the field each one concerns."""

from __future__ import annotations


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
