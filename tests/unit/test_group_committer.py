"""The group committer on its own (no database): who leads, what a batch holds, what fails."""

from __future__ import annotations

import threading
import time

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from application.groupcommit import GroupCommitter, Pending


class Writer:
    """A batch writer that records its batches; the first can be held until released."""

    def __init__(self, hold_first: bool = False, fail: set[int] | None = None) -> None:
        self.batches: list[list[str]] = []
        self.release = threading.Event()
        self.hold_first, self.fail = hold_first, fail or set()

    def __call__(self, batch: list[Pending]) -> None:
        number = len(self.batches)
        self.batches.append([item.kwargs["name"] for item in batch])
        if number == 0 and self.hold_first:
            assert self.release.wait(10)
        if number in self.fail:
            raise OperationalError("disk I/O error")
        for n, item in enumerate(batch):
            item.ids = [number * 100 + n]


def insert(committer: GroupCommitter, name: str, results: dict[str, object]) -> None:
    try:
        results[name] = committer.insert([], name=name)
    except Exception as error:  # the outcome, asserted by the test
        results[name] = error


def started(committer: GroupCommitter, names: list[str], results: dict[str, object],
            waiting: int) -> list[threading.Thread]:
    threads = []
    for name in names:
        thread = threading.Thread(target=insert, args=(committer, name, results))
        thread.start()
        threads.append(thread)
        time.sleep(0.01)
    deadline = time.monotonic() + 10
    while len(committer._queue) < waiting and time.monotonic() < deadline:
        time.sleep(0.002)
    return threads


def test_a_lone_save_is_written_at_once_in_a_batch_of_its_own():
    writer = Writer()
    committer = GroupCommitter(writer)
    assert committer.insert([], name="a") == [0]
    assert committer.insert([], name="b") == [100]
    assert writer.batches == [["a"], ["b"]]


def test_saves_arriving_during_a_write_share_the_next_batch():
    writer = Writer(hold_first=True)
    committer = GroupCommitter(writer)
    results: dict[str, object] = {}
    threads = started(committer, ["lead", "b", "c", "d"], results, waiting=3)
    writer.release.set()
    for thread in threads:
        thread.join(10)
    assert writer.batches[0] == ["lead"]
    assert sorted(writer.batches[1]) == ["b", "c", "d"]
    assert results["lead"] == [0]
    assert sorted(results[n][0] for n in "bcd") == [100, 101, 102]  # type: ignore[index]


def test_a_failed_batch_fails_its_saves_and_the_next_batch_is_still_written():
    writer = Writer(hold_first=True, fail={0})
    committer = GroupCommitter(writer)
    results: dict[str, object] = {}
    threads = started(committer, ["lead", "b"], results, waiting=1)
    writer.release.set()
    for thread in threads:
        thread.join(10)
    assert isinstance(results["lead"], OperationalError)
    assert results["b"] == [100]
    assert committer.insert([], name="c") == [200]  # no leader left stuck


def test_a_batch_of_one_caller_is_written_in_order_up_to_the_batch_size():
    writer = Writer()
    committer = GroupCommitter(writer, max_batch=2)
    items = [Pending([], {"name": n}) for n in "abcde"]
    committer.submit(items)
    assert writer.batches == [["a", "b"], ["c", "d"], ["e"]]
    assert [i.ids for i in items] == [[0], [1], [100], [101], [200]]


def test_a_save_built_on_a_refused_one_is_refused_without_being_tried():
    first = Pending([], {})
    first.error = IntegrityError("taken")
    follower = Pending([], {}, after=first)
    assert isinstance(follower.refused_before(), IntegrityError)
    assert Pending([], {}, after=Pending([], {})).refused_before() is None
    with pytest.raises(IntegrityError):
        first.outcome()
