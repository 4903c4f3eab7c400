"""Flushes of many pages, a cache of cases between them and a rebuild without secondary
indexes give the read models an event-by-event projection gives (SQLite and PostgreSQL).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import event, inspect, select

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.readmodels.database import drop_indexes
from application.readmodels.flush import STATE_EVERY, Flush
from application.readmodels.tables import READ_MODELS, case_state, case_summary
from bench import dataset
from domain.money import Money
from tests.commands import execute
from tests.integration.test_projections import snapshot
from tests.poison import plant_huge_case

Make = Callable[..., Arrears]


@pytest.fixture
def make_app(database_url: str) -> Iterator[Make]:
    made: list[Arrears] = []

    def make(page_size: int = 1000, flush_size: int = 50_000, cache_size: int = 20_000
             ) -> Arrears:
        app = build(database_url, clock=FixedClock.on(dataset.TODAY))
        projector = app.projector
        projector.page_size, projector.flush_size = page_size, flush_size
        projector.cache.size = cache_size
        made.append(app)
        return app

    yield make
    for app in made:
        app.close()


def interleaved(app: Arrears, cases: int = 80, active: int = 25) -> int:
    return dataset.generate_interleaved(app.service, cases, events_per_case=6, seed=4,
                                        active=active, batch=40)


def one_by_one(make_app: Make) -> dict[str, list[object]]:
    app = make_app(page_size=1, flush_size=1, cache_size=1)
    app.projector.rebuild()
    return snapshot(app)


def add_payments(app: Arrears, case_ids: list[str]) -> int:
    """A payment of 1 on each case still owing more, all saved together; how many events."""
    rng = random.Random(9)
    cases = [app.service.repository.get(UUID(case_id)) for case_id in case_ids]
    owing = [c for c in cases if not c.is_closed and c.outstanding.amount > 2]
    for case in owing:
        case.record_payment(amount=Money.of(1, case.currency), method="bank_transfer",
                            stamp=dataset._stamp(rng, dataset.TODAY))  # noqa: SLF001
    app.service.save(*owing)
    return len(owing)


def secondary_indexes(app: Arrears) -> set[str]:
    with app.projector.engine.connect() as conn:
        schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
        seen = inspect(conn)
        return {ix["name"] for table in READ_MODELS
                for ix in seen.get_indexes(table.name, schema=schema)}


class TestAnInterleavedLog:
    def test_projects_to_the_read_models_of_a_projection_event_by_event(self, make_app):
        app = make_app()
        events = interleaved(app)
        assert app.projector.catch_up() == events
        assert snapshot(app) == one_by_one(make_app)

    @pytest.mark.parametrize(("page_size", "flush_size", "cache_size"),
                             [(7, 30, 5), (50, 50, 1000), (13, 1000, 40)])
    def test_gives_the_same_rows_whatever_the_pages_flushes_and_cache(
            self, make_app, page_size, flush_size, cache_size):
        writer = make_app()
        interleaved(writer)
        app = make_app(page_size, flush_size, cache_size)
        app.projector.rebuild()
        assert snapshot(app) == one_by_one(make_app)


class TestTheCacheOfCases:
    def test_is_not_trusted_after_another_projector_moved_the_position(
            self, make_app, monkeypatch):
        writer = make_app()
        first, second = make_app(page_size=10), make_app(page_size=10)
        interleaved(writer, cases=30, active=30)
        first.projector.catch_up()
        cached = sorted(first.projector.cache._entries)  # noqa: SLF001
        assert len(cached) == 30
        paid = add_payments(writer, cached)
        assert second.projector.catch_up() == paid
        paid = add_payments(writer, cached)
        pages: list[int] = []
        real = Flush.add

        def counting(flush: Flush, events: Any) -> None:
            pages.append(len(events))
            real(flush, events)

        monkeypatch.setattr(Flush, "add", counting)
        assert first.projector.catch_up() == paid
        assert pages == [10, 10, paid - 20]  # in one go: no attempt failed on stale cases
        assert first.projector.status().fault is None
        assert snapshot(first) == one_by_one(make_app)

    def test_keeps_at_most_its_size_of_cases_between_flushes(self, make_app):
        app = make_app(page_size=10, flush_size=20, cache_size=8)
        interleaved(app)
        app.projector.catch_up()
        assert 0 < len(app.projector.cache) <= 8 + 10


def commits_of(app: Arrears) -> list[int]:
    """A list that grows by one at each commit of the projector's engine."""
    commits: list[int] = []
    event.listen(app.projector.engine, "commit", lambda _conn: commits.append(1))
    return commits


class TestTheTransactionsOfACatchUp:
    def test_are_one_when_the_log_holds_less_than_a_flush(self, make_app):
        app = make_app(page_size=10)
        events = interleaved(app, cases=30, active=30)
        commits = commits_of(app)
        assert app.projector.catch_up() == events
        assert len(commits) == 1  # not a second one to find the log at its end

    def test_are_one_a_flush_when_it_holds_more(self, make_app):
        app = make_app(page_size=10, flush_size=50)
        events = interleaved(app, cases=30, active=30)
        commits = commits_of(app)
        assert app.projector.catch_up() == events
        assert len(commits) == events // 50 + 1  # the last one short, or empty
        assert snapshot(app) == one_by_one(make_app)


def state_versions(app: Arrears) -> dict[str, int]:
    with app.projector.engine.connect() as conn:
        return dict(conn.execute(select(case_state.c.case_id, case_state.c.version)).all())


def summary_versions(app: Arrears) -> dict[str, int]:
    with app.projector.engine.connect() as conn:
        return dict(conn.execute(select(case_summary.c.case_id, case_summary.c.version)).all())


def notes(app: Arrears, case_id: str, count: int) -> None:
    for n in range(count):
        execute(app.service, UUID(case_id), "add_note", text=f"called again ({n})")


class TestTheStateRows:
    def test_are_written_for_the_cases_the_cache_drops(self, make_app):
        app = make_app(page_size=10, flush_size=20, cache_size=8)
        interleaved(app)
        app.projector.catch_up()
        cached = set(app.projector.cache._entries)  # noqa: SLF001
        states, summaries = state_versions(app), summary_versions(app)
        dropped = set(summaries) - cached
        assert len(dropped) > 50
        assert {case_id: states.get(case_id) for case_id in dropped} \
            == {case_id: summaries[case_id] for case_id in dropped}

    def test_are_not_written_for_a_case_the_cache_holds_until_it_is_far_enough_ahead(
            self, make_app):
        app = make_app(page_size=3, flush_size=3)
        interleaved(app, cases=3, active=3)
        app.projector.catch_up()
        assert state_versions(app) == {}  # ~6 events each, all in the cache
        case_id, version = next(iter(summary_versions(app).items()))
        notes(app, case_id, STATE_EVERY - version)
        app.projector.catch_up()
        assert state_versions(app) == {case_id: STATE_EVERY}
        notes(app, case_id, 3)
        app.projector.catch_up()
        assert state_versions(app) == {case_id: STATE_EVERY}
        assert summary_versions(app)[case_id] == STATE_EVERY + 3

    def test_are_all_written_at_the_end_of_a_rebuild(self, make_app):
        app = make_app(page_size=10, flush_size=20)
        interleaved(app)
        app.projector.catch_up()
        assert len(state_versions(app)) < len(summary_versions(app))
        app.projector.rebuild()
        assert state_versions(app) == summary_versions(app)
        assert all(e.stored == e.case.version
                   for e in app.projector.cache._entries.values())  # noqa: SLF001

    def test_a_case_read_back_reads_only_the_events_after_its_row(self, make_app, monkeypatch):
        first = make_app(page_size=10, flush_size=20, cache_size=8)
        interleaved(first)
        first.projector.catch_up()
        rows = state_versions(first)
        behind = [case_id for case_id in first.projector.cache._entries  # noqa: SLF001
                  if case_id not in rows][:3]
        case_ids = [*behind, *sorted(rows)[:3]]
        paid = add_payments(first, case_ids)
        later = make_app(page_size=10)
        recorder = later.service.recorder
        read: list[tuple[str, int | None, int | None]] = []
        real = recorder.select_events

        def select_events(originator_id: UUID, **kwargs: Any) -> Any:
            read.append((str(originator_id), kwargs.get("gt"), kwargs.get("lte")))
            return real(originator_id, **kwargs)

        monkeypatch.setattr(recorder, "select_events", select_events)
        assert later.projector.catch_up() == paid
        summaries = summary_versions(later)
        assert sorted(read) == sorted((case_id, rows.get(case_id, 0), summaries[case_id] - 1)
                                      for case_id in behind)  # a row at the version: no read
        assert snapshot(later) == one_by_one(make_app)

    def test_ahead_of_the_version_asked_is_not_used(self, make_app):
        app = make_app()
        interleaved(app, cases=2, active=2)
        case_id = str(app.projector.service.recorder.select_notifications(1, 1)[0].originator_id)
        states = app.projector.states
        latest = app.service.repository.get(UUID(case_id))
        earlier = states.up_to(case_id, latest, 2)
        assert earlier is not None
        assert (earlier.version, vars(earlier)) \
            == (2, vars(app.service.repository.get(UUID(case_id), version=2)))


class TestARebuild:
    def test_makes_the_secondary_indexes_again_when_it_ends(self, make_app):
        app = make_app()
        interleaved(app, cases=10, active=5)
        before = secondary_indexes(app)
        assert before
        app.projector.rebuild()
        assert secondary_indexes(app) == before

    def test_stopped_at_an_event_it_cannot_apply_makes_them_again_too(self, make_app):
        app = make_app()
        interleaved(app, cases=10, active=5)
        plant_huge_case(app.service, dataset.TODAY)
        before = secondary_indexes(app)
        app.projector.rebuild()
        assert app.projector.status().fault is not None
        assert secondary_indexes(app) == before

    def test_killed_midway_leaves_the_indexes_to_the_next_start(self, make_app):
        app = make_app()
        before = secondary_indexes(app)
        with app.projector.engine.begin() as conn:
            drop_indexes(conn)  # as a rebuild killed while it ran leaves them
        assert secondary_indexes(app) == set()
        assert secondary_indexes(make_app()) == before
