"""`verify` in worker processes (ADR 0043): the same report as one process, on SQLite and
PostgreSQL, for a sound store, breaks in several ranges, a hash left without its event and a
checkpoint. The workers are real spawned processes opening the store themselves."""

from __future__ import annotations

from uuid import UUID

import pytest

from application.evidence import checkpoints, digest
from application.evidence.parallel import InParallel
from application.evidence.verify import Break, Report, verify_store
from application.service import CaseService
from tests.integration.test_tampering import change_amount, five_events
from tests.tampering import RawStore


def both(service: CaseService, **options) -> tuple[Report, Report]:
    """The report of one process and of two workers, on the same store."""
    recorder = service.chain_recorder
    ranges = service.verify_ranges(jobs=2)
    assert isinstance(ranges, InParallel) and ranges.jobs == 2
    alone = verify_store(recorder, recorder.canonical, snapshots=service.snapshot_check(),
                         **options)
    shared = verify_store(recorder, recorder.canonical, snapshots=service.snapshot_check(),
                          ranges=ranges, **options)
    return alone, shared


def cases_in_both_halves(service: CaseService, count: int) -> list[UUID]:
    """Cases of five events until both halves of the id space hold some."""
    cases = sorted(five_events(service) for _ in range(count))
    while not (cases[0].int < 1 << 127 <= cases[-1].int):
        cases = sorted([*cases, five_events(service)])
    return cases


def test_a_sound_store_gives_the_same_report_in_two_workers(service):
    cases_in_both_halves(service, 6)
    alone, shared = both(service)
    assert shared.ok and shared.as_dict() == alone.as_dict()
    assert shared.cases >= 6 and shared.events >= 30


def test_breaks_in_both_halves_are_named_once_in_case_order(service, database_url):
    cases = cases_in_both_halves(service, 6)
    raw = RawStore(database_url)
    raw.drop_protection()
    change_amount(raw, cases[0])
    change_amount(raw, cases[-1])
    alone, shared = both(service)
    assert shared.broken == alone.broken == [
        Break(cases[0], 2, "the event does not match its stored hash"),
        Break(cases[-1], 2, "the event does not match its stored hash")]
    assert (shared.cases, shared.events) == (alone.cases, alone.events)


def test_a_hash_without_its_event_is_found_as_in_one_process(service, database_url):
    cases = cases_in_both_halves(service, 4)
    raw = RawStore(database_url)
    raw.drop_protection()
    raw.delete(cases[1], 5)  # its hash stays: the streamed check cannot see it
    alone, shared = both(service)
    assert shared.broken == alone.broken == [Break(cases[1], 5, "the event is missing")]


def test_against_a_checkpoint_two_workers_hold_and_name_a_changed_history(service,
                                                                           database_url):
    cases = cases_in_both_halves(service, 4)
    saved = checkpoints.save(service.chain_recorder, digest.current(service.chain_recorder),
                             service.signing_key(), service.clock.now())
    five_events(service)
    options = {"checkpoint": saved, "public": service.signing_key().public}
    alone, shared = both(service, **options)
    assert shared.ok and shared.as_dict() == alone.as_dict()
    assert shared.checkpoint == saved.checkpoint_id
    raw = RawStore(database_url)
    raw.drop_protection()
    change_amount(raw, cases[-1])
    alone, shared = both(service, **options)
    assert not shared.ok and shared.as_dict() == alone.as_dict()
    assert [b.case_id for b in shared.broken] == [cases[-1]]


def test_progress_counts_every_case_once(service):
    cases_in_both_halves(service, 5)
    counted: list[int] = []
    recorder = service.chain_recorder
    report = verify_store(recorder, recorder.canonical, progress=counted.append,
                          ranges=service.verify_ranges(jobs=2))
    assert sum(counted) == report.cases >= 5


@pytest.mark.parametrize("jobs", [None, 1])
def test_a_small_store_or_one_job_is_checked_in_this_process(service, jobs):
    five_events(service)
    assert service.verify_ranges(jobs=jobs) is None


def cannot_open() -> CaseService:
    """An opener whose store cannot be opened in the worker (spawned: a module function)."""
    raise OSError("the store's disk is gone")


def test_a_worker_that_cannot_open_the_store_fails_the_verify_instead_of_hanging(service):
    five_events(service)
    recorder = service.chain_recorder
    with pytest.raises(OSError, match="the store's disk is gone"):
        verify_store(recorder, recorder.canonical, ranges=InParallel(cannot_open, 2))
