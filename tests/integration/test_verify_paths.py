"""`verify`'s two ways through a store (ADR 0037): a sound store passes on the tight path
alone; a break is still named by the full check (tests/integration/test_tampering.py has
every tampering), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from application.evidence import checkpoints, digest, verify
from application.evidence.chain import Canonicalizer
from application.evidence.verify import Break, verify_store
from tests.integration.test_tampering import change_amount, five_events
from tests.tampering import RawStore


@pytest.fixture
def full_way_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any case is judged the full way."""
    def refused(*args, **kwargs):
        raise AssertionError("a sound case was judged the full way")

    monkeypatch.setattr(verify, "_check", refused)
    monkeypatch.setattr(verify, "_by_batches", refused)
    monkeypatch.setattr(Canonicalizer, "bytes_of", refused)


def test_a_sound_store_passes_on_the_tight_path_alone(service, request):
    cases = sorted(five_events(service) for _ in range(3))
    recorder = service.chain_recorder
    request.getfixturevalue("full_way_refused")
    report = verify_store(recorder, recorder.canonical, snapshots=service.snapshot_check())
    assert report.ok and report.cases >= 3 and report.events >= 15
    assert set(cases) <= set(recorder.case_ids())


def test_against_a_checkpoint_a_sound_store_passes_on_the_tight_path(service, request):
    five_events(service)
    saved = checkpoints.save(service.chain_recorder, digest.current(service.chain_recorder),
                             service.signing_key(), service.clock.now())
    five_events(service)
    recorder = service.chain_recorder
    request.getfixturevalue("full_way_refused")
    report = verify_store(recorder, recorder.canonical, checkpoint=saved,
                          public=service.signing_key().public)
    assert report.ok and report.checkpoint == saved.checkpoint_id


def test_a_break_among_sound_cases_is_named_once_in_case_order(service, database_url):
    cases = sorted(five_events(service) for _ in range(4))
    raw = RawStore(database_url)
    raw.drop_protection()
    change_amount(raw, cases[2])
    recorder = service.chain_recorder
    report = verify_store(recorder, recorder.canonical)
    assert report.broken == [Break(cases[2], 2, "the event does not match its stored hash")]
    assert report.events >= 20
