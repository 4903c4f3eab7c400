"""`verify`'s two ways through a store (ADR 0037): a sound store passes on the tight path
alone; a break is still named by the full check (tests/integration/test_tampering.py has
every tampering), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

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


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of 3 rows: every case of five events straddles pages."""
    from application.recorders import postgres, sqlite
    from application.transfer import tables

    for module in (postgres, sqlite, tables):
        monkeypatch.setattr(module, "STREAM_PAGE", 3)


def test_across_small_pages_a_sound_store_holds_and_a_break_is_named(service, database_url,
                                                                     small_pages):
    cases = sorted(five_events(service) for _ in range(4))
    recorder = service.chain_recorder
    assert verify_store(recorder, recorder.canonical).ok
    raw = RawStore(database_url)
    raw.drop_protection()
    change_amount(raw, cases[1])
    raw.delete(cases[2], 5)  # its hash stays: a hash without its event
    report = verify_store(recorder, recorder.canonical)
    assert report.broken == [Break(cases[1], 2, "the event does not match its stored hash"),
                             Break(cases[2], 5, "the event is missing")]


def test_across_small_pages_the_export_has_every_event_once(service, small_pages, tmp_path):
    from application.transfer.export import export_store

    for _ in range(3):
        five_events(service)
    out = tmp_path / "export.jsonl"
    with out.open("w", encoding="utf-8") as f:
        done = export_store(service, f)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ids = [line["id"] for line in lines if line["kind"] == "event"]
    assert len(ids) == len(set(ids)) == done.events >= 15 and ids == sorted(ids)


def test_the_cases_counted_are_those_listed_a_case_whose_events_are_gone_included(
        service, database_url):
    cases = [five_events(service) for _ in range(3)]
    recorder = service.chain_recorder
    assert recorder.case_count() == len(recorder.case_ids())
    raw = RawStore(database_url)
    raw.drop_protection()
    for version in range(1, 6):  # only the hashes of this case are left
        raw.delete(cases[1], version)
    listed = recorder.case_ids()
    assert cases[1] in listed
    assert recorder.case_count() == len(listed)
