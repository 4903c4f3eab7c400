"""How `verify` cuts the store for its workers (ADR 0043): ranges of case ids that cover
every id once, and how many workers a store gets."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from application.evidence.parallel import pinned_by_range
from application.recorders.base import CaseRange
from application.workers import IN_PARALLEL_FROM, MOST_JOBS, jobs_for

HIGHEST = UUID(int=(1 << 128) - 1)


@pytest.mark.parametrize("parts", [1, 2, 3, 16, 32])
def test_the_ranges_follow_each_other_from_the_lowest_id_to_the_highest(parts):
    ranges = CaseRange.cut(parts)
    assert len(ranges) == parts
    assert ranges[0].low == UUID(int=0) and ranges[-1].high is None
    assert all(a.high == b.low for a, b in zip(ranges, ranges[1:], strict=False))
    assert all(a.low < b.low for a, b in zip(ranges, ranges[1:], strict=False))


@pytest.mark.parametrize("parts", [2, 7, 16])
def test_every_id_lies_in_exactly_one_range(parts):
    ranges = CaseRange.cut(parts)
    edges = [r.low for r in ranges] + [UUID(int=r.low.int - 1) for r in ranges[1:]]
    for case_id in [UUID(int=0), HIGHEST, *edges, *(uuid4() for _ in range(200))]:
        assert sum(r.holds(case_id) for r in ranges) == 1, case_id


def test_a_range_holds_its_low_end_and_not_its_high_end():
    within = CaseRange(UUID(int=10), UUID(int=20))
    assert within.holds(UUID(int=10)) and within.holds(UUID(int=19))
    assert not within.holds(UUID(int=20)) and not within.holds(UUID(int=9))


def test_a_big_store_gets_one_job_per_core_up_to_the_most(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert jobs_for(None, IN_PARALLEL_FROM, "sqlite:///var/a.db") == 2
    monkeypatch.setattr("os.cpu_count", lambda: 64)
    assert jobs_for(None, IN_PARALLEL_FROM, "sqlite:///var/a.db") == MOST_JOBS


def test_a_small_store_gets_one_job_unless_more_are_asked_for(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert jobs_for(None, IN_PARALLEL_FROM - 1, "sqlite:///var/a.db") == 1
    assert jobs_for(3, 10, "sqlite:///var/a.db") == 3
    assert jobs_for(1, 10 * IN_PARALLEL_FROM, "sqlite:///var/a.db") == 1


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
def test_a_store_in_memory_is_checked_by_the_process_that_holds_it(url):
    assert jobs_for(4, 10 * IN_PARALLEL_FROM, url) == 1


@pytest.mark.parametrize("url", ["sqlite:///var/memory/arrears.db",
                                 "postgresql://u@h:5432/memory?schema=memory"])
def test_a_store_on_disk_or_a_server_gets_its_workers_whatever_its_name(url):
    assert jobs_for(2, 10, url) == 2


@pytest.mark.parametrize("parts", [1, 5, 64])
def test_each_checkpointed_head_goes_with_the_range_that_holds_its_case(parts):
    ranges = CaseRange.cut(parts)
    ids = [UUID(int=0), HIGHEST, *(r.low for r in ranges), *(uuid4() for _ in range(300))]
    pinned = {case_id: f"head of {case_id}" for case_id in ids}
    split = pinned_by_range(ranges, pinned)
    assert len(split) == parts
    for within, part in zip(ranges, split, strict=True):
        assert part == {k: h for k, h in pinned.items() if within.holds(k)}
