"""The law module's own refusal (a kind of `RuleBroken`, so it maps like one)."""

from __future__ import annotations

from domain.errors import RuleBroken


class RateUnknown(RuleBroken):
    """A date the rate table does not cover: the rate is never guessed."""
