"""A load checks its case's chain as `verify` does: the canonical bytes made straight from
the stored JSON first (`canonical_fast`), trusted only when they give the stored hash; any
other event is judged by the canonicalizer (tampered events: tests/integration/
test_tampering.py, a fresh process refusing each kind of change)."""

from __future__ import annotations

import pytest

from application.evidence.canonical_fast import FastCanonical, NotFast
from application.evidence.chain import Canonicalizer
from tests.integration.test_tampering import five_events


@pytest.fixture
def judged(monkeypatch) -> list[int]:
    """The versions the canonicalizer was asked for."""
    asked: list[int] = []
    real = Canonicalizer.bytes_of

    def counting(self, stored):
        asked.append(stored.originator_version)
        return real(self, stored)

    monkeypatch.setattr(Canonicalizer, "bytes_of", counting)
    return asked


def test_a_fresh_process_loads_a_sound_case_without_the_canonicalizer(service, make_service,
                                                                       judged):
    case_id = five_events(service)
    judged.clear()
    assert make_service().load(case_id).version == 5
    assert judged == []


@pytest.mark.parametrize("shortcut", ["wrong bytes", "cannot"])
def test_what_the_shortcut_does_not_vouch_for_the_canonicalizer_judges(
        shortcut, service, make_service, judged, monkeypatch):
    case_id = five_events(service)

    def lying(self, topic, case, version, state):
        if shortcut == "cannot":
            raise NotFast("not this one")
        return b"{}"

    monkeypatch.setattr(FastCanonical, "bytes_of", lying)  # of_stored calls it
    judged.clear()
    assert make_service().load(case_id).version == 5
    assert judged == [1, 2, 3, 4, 5]
