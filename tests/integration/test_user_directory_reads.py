"""Reading the user directory (every request does): current, shared, and without a lock.

Each read checks the directory's last stored version and hands out the copy last read
while it is current (ADR 41). These tests pin what that must keep: a change made by any
process is seen by the next read, the readers' copy is never changed by a command, and a
read does not wait for the library's fast-forward lock of the directory (held across a
read of the store, it queued every request of every server thread behind it).
"""

from __future__ import annotations

import threading

from application.users.directory import DIRECTORY_ID
from application.users.roles import Role

PASSWORD = "a long password 1"


def test_a_change_made_by_another_process_is_seen_by_the_next_read(make_service):
    here, there = make_service(), make_service()  # two processes on one store
    here.users.add("ana", Role.COLLECTOR, PASSWORD, actor="admin")
    assert here.users.active("ana") is not None
    there.users.disable("ana", actor="admin")
    assert here.users.active("ana") is None
    there.users.add("bo", Role.AUDITOR, PASSWORD, actor="admin")
    assert [a.name for a in here.users.all()] == ["ana", "bo"]


def test_readers_share_one_copy_that_a_command_never_changes(service):
    service.users.add("ana", Role.COLLECTOR, PASSWORD, actor="admin")
    first = service.users.directory()
    assert service.users.directory() is first  # nothing changed: the same copy
    service.users.set_role("ana", Role.AUDITOR, actor="admin")
    service.users.add("bo", Role.COLLECTOR, PASSWORD, actor="admin")
    assert first.accounts["ana"].role == Role.COLLECTOR and "bo" not in first.accounts
    now = service.users.directory()
    assert now is not first and now.accounts["ana"].role == Role.AUDITOR
    assert "bo" in now.accounts


def test_a_read_does_not_wait_for_the_directorys_fast_forward_lock(service):
    service.users.add("ana", Role.COLLECTOR, PASSWORD, actor="admin")
    service.users.active("ana")  # the directory is in the library's cache
    lock = service.repository._use_fastforward_lock(DIRECTORY_ID)  # the library's own
    lock.acquire()
    try:
        found: list[object] = []
        reader = threading.Thread(target=lambda: found.append(service.users.active("ana")))
        reader.start()
        reader.join(timeout=10)
        assert not reader.is_alive(), "the read waited for the fast-forward lock"
        assert found and found[0].name == "ana"
    finally:
        lock.release()
        service.repository._disuse_fastforward_lock(DIRECTORY_ID)
