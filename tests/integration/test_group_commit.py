"""Group commit (ADR 35): saves arriving together share one transaction; each is refused alone.

Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import OperationalError, StoredEvent

from application.commands import OpenCase, Recorded
from application.errors import (
    CaseAlreadyOpen,
    CaseNotFound,
    ChainBroken,
    ConcurrentWrite,
    FollowsRefused,
)
from application.service import CaseService
from domain.case import case_id_for
from domain.errors import AmountTooLarge
from domain.values import PaymentTerms
from tests.builders import random_name, random_ref
from tests.commands import command
from tests.integration.test_case_service import ISSUED, gbp, open_one

ON = date(2025, 2, 1)


def note(case_id: UUID, text: str):
    return command(case_id, "add_note", actor="priya", occurred_on=ON, text=text)


def opening(number: str | None = None) -> OpenCase:
    from domain.values import Debtor

    return OpenCase(actor="priya", occurred_on=ISSUED, creditor="Acme Ltd",
                    invoice_number=number or random_ref(), debtor=Debtor(random_name()),
                    amount=gbp("1200.00"), issue_date=ISSUED, due_date=date(2025, 1, 31),
                    terms=PaymentTerms())


def notes(service: CaseService, case_id: UUID) -> list[str]:
    return [e["data"]["text"] for e in service.history(case_id)[1:]]


class Plug:
    """Holds the committer's first batch until `count` more saves wait behind it."""

    def __init__(self, service: CaseService, count: int) -> None:
        self.committer = service.chain_recorder.committer
        self.count, self.first = count, True
        self.write = self.committer._write
        self.committer._write = self._held

    def _held(self, batch) -> None:
        if self.first:
            self.first = False
            deadline = time.monotonic() + 30
            while len(self.committer._queue) < self.count and time.monotonic() < deadline:
                time.sleep(0.005)
        self.write(batch)


def distinct_stripes(service: CaseService, count: int) -> list[UUID]:
    """Cases under different locks of the service (commands on one lock wait in turn)."""
    found: dict[int, UUID] = {}
    while len(found) < count:
        case_id = open_one(service)
        found.setdefault(case_id.int % len(service._locks), case_id)
    return list(found.values())


def in_threads(works: list[Callable[[], object]]) -> list[object]:
    results: list[object] = [None] * len(works)

    def run(n: int) -> None:
        try:
            results[n] = works[n]()
        except BaseException as error:  # the outcome, asserted below
            results[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(works))]
    for thread in threads:
        thread.start()
        time.sleep(0.01)  # the first (the plug) leads
    for thread in threads:
        thread.join(60)
    return results


class TestConcurrentWriters:
    def test_writers_share_one_commit_and_a_conflicting_one_fails_alone(
            self, service, make_service):
        cases = distinct_stripes(service, 8)
        other = make_service()  # another process's service, writing to the first case

        def meanwhile() -> None:
            other.handle(note(cases[0], "theirs"))

        committer = service.chain_recorder.committer
        batches = committer.batches
        Plug(service, count=7)
        works: list[Callable[[], object]] = [lambda: service.handle(note(cases[7], "plug"))]
        works.append(lambda: service.handle(note(cases[0], "ours"), before_save=meanwhile))
        works += [lambda n=n: service.handle(note(cases[n], f"note {n}")) for n in range(1, 7)]
        results = in_threads(works)

        assert isinstance(results[1], ConcurrentWrite)
        assert all(isinstance(r, Recorded) and r.version == 2
                   for n, r in enumerate(results) if n != 1), results
        assert committer.batches - batches == 2  # the plug alone, then the seven together
        stored = make_service()  # read back from the store: committed, durable
        assert notes(stored, cases[0]) == ["theirs"]
        assert notes(stored, cases[7]) == ["plug"]
        assert [notes(stored, cases[n]) for n in range(1, 7)] == [
            [f"note {n}"] for n in range(1, 7)]
        # The refused command was forgotten from the cache: the case works on.
        assert service.handle(note(cases[0], "again")).version == 3

    def test_one_writer_alone_commits_at_once(self, service):
        case_id = open_one(service)
        committer = service.chain_recorder.committer
        batches, saves = committer.batches, committer.saves
        for n in range(3):
            service.handle(note(case_id, f"n{n}"))
        assert (committer.batches - batches, committer.saves - saves) == (3, 3)
        assert notes(service, case_id) == ["n0", "n1", "n2"]


    def test_a_save_refused_alone_leaves_nothing_of_itself(self, service):
        """Its event row is inserted before its chain is found broken: the rollback of its
        transaction (no savepoint when alone, ADR 39) takes the row back out."""
        case_id = open_one(service)
        committer = service.chain_recorder.committer
        batches = committer.batches
        stray = StoredEvent(case_id, 3, "domain.events:NoteAdded", b"{}")  # no version 2
        with pytest.raises(ChainBroken):
            committer.insert([stray])
        assert committer.batches - batches == 1
        assert [e.originator_version for e in service.recorder.select_events(case_id)] == [1]
        assert service.handle(note(case_id, "next")).version == 2


class TestBatches:
    def test_a_batch_stores_its_commands_in_one_commit_and_refuses_bad_ones_alone(
            self, service, make_service):
        existing = open_one(service)
        first, second = opening(), opening()
        committer = service.chain_recorder.committer
        batches = committer.batches
        outcomes = service.handle_many([
            first, opening(first.invoice_number),  # the same invoice twice: refused
            note(existing, "kept"),
            command(existing, "record_payment", actor="priya", occurred_on=ON,
                    amount=gbp("99999999999.00"), method="card"),
            note(uuid4(), "nowhere"), second])
        assert committer.batches - batches == 1
        assert [type(o) for o in outcomes] == [Recorded, CaseAlreadyOpen, Recorded,
                                               AmountTooLarge, CaseNotFound, Recorded]
        assert outcomes[0].case_id == service.resolve(first.invoice_number, "Acme Ltd")
        stored = make_service()
        assert notes(stored, existing) == ["kept"]
        assert stored.case(outcomes[0].case_id)["version"] == 1
        assert stored.case(outcomes[5].case_id)["version"] == 1

    def test_a_case_opened_in_a_batch_takes_its_next_commands_in_the_same_batch(
            self, service, make_service):
        opened = opening()
        case_id = case_id_for("Acme Ltd", opened.invoice_number)
        assert service.handle_many([]) == []
        outcomes = service.handle_many([opened, note(case_id, "a"), note(case_id, "b")])
        assert [getattr(o, "version", o) for o in outcomes] == [1, 2, 3]
        assert notes(make_service(), case_id) == ["a", "b"]

    def test_a_command_refused_at_its_savepoint_fails_with_its_followers_only(
            self, service, make_service):
        target, bystander = open_one(service), open_one(service)
        other = make_service()
        asked = service.prepare

        def meanwhile(case, cmd):  # another process writes the target before we save
            if case.id == target and not notes(other, target):
                other.handle(note(target, "theirs"))
            return asked(case, cmd)

        service.prepare = meanwhile
        outcomes = service.handle_many([note(target, "ours 1"), note(bystander, "kept"),
                                        note(target, "ours 2")])
        assert [type(o) for o in outcomes] == [ConcurrentWrite, Recorded, FollowsRefused]
        stored = make_service()
        assert notes(stored, target) == ["theirs"]
        assert notes(stored, bystander) == ["kept"]
        service.prepare = asked
        assert service.handle(note(target, "again")).version == 3  # forgotten from the cache

    def test_a_command_refused_by_its_case_refuses_the_later_ones_on_that_case(
            self, service, make_service):
        target, bystander = open_one(service), open_one(service)
        outcomes = service.handle_many([
            note(target, "before"),
            command(target, "record_payment", actor="priya", occurred_on=ON,
                    amount=gbp("99999999999.00"), method="card"),
            note(target, "after"), note(bystander, "kept")])
        assert [type(o) for o in outcomes] == [Recorded, AmountTooLarge, FollowsRefused,
                                               Recorded]
        stored = make_service()
        assert notes(stored, target) == ["before"]
        assert notes(stored, bystander) == ["kept"]

    def test_a_key_sent_again_is_answered_not_doubled(self, service, make_service):
        case_id = open_one(service)
        first = service.handle_many([note(case_id, "once")], ["batch-key-1"])
        again = service.handle_many([note(case_id, "once"), note(case_id, "once")],
                                    ["batch-key-1", "batch-key-2"])
        assert isinstance(first[0], Recorded) and not first[0].repeated
        assert again[0].repeated and (again[0].first_version, again[0].version) == (2, 2)
        assert isinstance(again[1], Recorded) and again[1].version == 3
        twice = service.handle_many([note(case_id, "twin"), note(case_id, "twin")],
                                    ["batch-key-3", "batch-key-3"])
        assert isinstance(twice[0], Recorded) and twice[0].version == 4
        assert isinstance(twice[1], Recorded) and twice[1].repeated and twice[1].version == 4
        assert notes(make_service(), case_id) == ["once", "once", "twin"]

    def test_a_failing_database_stores_nothing_of_the_batch_and_is_raised(
            self, service, make_service):
        case_id = open_one(service)
        committer = service.chain_recorder.committer
        write = committer._write

        def away(batch) -> None:
            raise OperationalError("disk I/O error")

        committer._write = away
        with pytest.raises(OperationalError):
            service.handle_many([note(case_id, "lost"), opening()])
        committer._write = write
        assert notes(make_service(), case_id) == []
        assert service.handle(note(case_id, "kept")).version == 2  # the cache was forgotten

    def test_anything_but_a_command_is_a_programming_error(self, service):
        with pytest.raises(TypeError, match="not a command"):
            service.handle_many([{"command": "delete"}])
