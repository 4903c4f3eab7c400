"""Counted nouns: exactly one is singular; every other count, zero included, is plural."""

from __future__ import annotations

from decimal import Decimal

import pytest

from application.summaries import summarise
from application.wording import plural
from domain.values import Instalment
from tests.builders import day, eur, given, when


class TestPlural:
    @pytest.mark.parametrize(("count", "expected"), [
        (0, "0 cases"), (1, "1 case"), (2, "2 cases"), (1234, "1,234 cases"),
        (Decimal(1), "1 case"), (Decimal(3), "3 cases"),
    ])
    def test_only_exactly_one_is_singular(self, count: int | Decimal, expected: str) -> None:
        assert plural(count, "case") == expected

    def test_an_irregular_plural_is_given(self) -> None:
        assert plural(1, "match", "matches") == "1 match"
        assert plural(2, "match", "matches") == "2 matches"

    def test_a_phrase_adds_the_s_to_its_last_word(self) -> None:
        assert plural(1, "demo case") == "1 demo case"
        assert plural(20, "demo case") == "20 demo cases"


class TestSummariesCount:
    @pytest.mark.parametrize(("end", "said"), [(1, "for 1 day"), (2, "for 2 days")])
    def test_an_interest_period_counts_its_days(self, end: int, said: str) -> None:
        case = given(amount="1000.00")
        [event] = when(case, "apply_penalty", day(end), kind="statutory_interest",
                       amount=eur("0.22"), rate=Decimal("8.15"), period_start=day(1),
                       period_end=day(end))
        assert summarise(event).endswith(f"at 8.15% a year {said}")

    @pytest.mark.parametrize(("dues", "said"), [((40,), "of 1 instalment agreed"),
                                                ((40, 70), "of 2 instalments agreed")])
    def test_a_plan_counts_its_instalments(self, dues: tuple[int, ...], said: str) -> None:
        case = given(amount="1000.00")
        [event] = when(case, "agree_payment_plan", day(10),
                       instalments=[Instalment(day(d), eur("100")) for d in dues])
        assert summarise(event) == f"Payment plan {said}"
