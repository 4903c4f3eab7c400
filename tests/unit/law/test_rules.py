"""The jurisdiction data: every jurisdiction has its rules, vocabulary is checked."""

import pytest

from domain.errors import InvalidValue
from domain.law import Jurisdiction, rules_for


@pytest.mark.parametrize("where", list(Jurisdiction))
def test_every_jurisdiction_has_sourced_rules(where):
    rules = rules_for(where)
    assert rules.jurisdiction is where
    assert rules.limitation.source and rules.limitation.restart_source
    assert rules.allocation_source and rules.scheme.statute


def test_the_jurisdiction_words():
    assert [j.value for j in Jurisdiction] == ["england-wales", "scotland",
                                               "northern-ireland", "germany"]


def test_an_unknown_jurisdiction_is_refused_with_the_words_allowed():
    with pytest.raises(InvalidValue, match="'france' is not one of: england-wales, scotland, "
                       "northern-ireland, germany"):
        rules_for("france")
