"""A real concurrent write: another writer stores an event while the API's command runs.

No patching: the clock is passed in, and the service asks it for the time after loading the
case and before saving it. This clock lets a second CaseService on the same event store (as
another process would) record a note at exactly that moment. The API's save then collides
on the event store's (case, version) key, and the API answers 409 with nothing stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from application.clock import FixedClock
from application.service import CaseService
from tests.api.conftest import API, CREDITOR, NOW
from tests.commands import execute


@dataclass
class InterruptingClock(FixedClock):
    """A fixed clock that runs `meanwhile` once, the next time someone asks for the time."""

    meanwhile: Callable[[], None] | None = None

    def now(self):  # type: ignore[no-untyped-def]
        action, self.meanwhile = self.meanwhile, None
        if action is not None:
            action()
        return super().now()


@pytest.fixture
def clock() -> InterruptingClock:
    return InterruptingClock(NOW)


@pytest.fixture
def other_writer(app):
    service = CaseService(app.config["DATABASE_URL"], clock=FixedClock(NOW), creditor=CREDITOR)
    yield service
    service.close()


def test_a_write_meanwhile_makes_the_command_a_conflict_and_stores_nothing(
        client, app, clock, open_case, other_writer):
    case_id = open_case()["case_id"]
    clock.meanwhile = lambda: execute(other_writer,
        other_writer.resolve(case_id), "add_note", actor="bob", text="called them")

    response = client.post(f"{API}/cases/{case_id}/record_payment",
                           json={"amount": "100", "method": "card"})

    assert response.status_code == 409
    assert list(response.json["errors"]) == ["case"]
    assert "changed by someone else" in response.json["errors"]["case"][0]
    assert clock.meanwhile is None  # the other write did happen, during the command
    app.extensions["arrears"].projector.catch_up()  # what the follower thread does
    events = client.get(f"{API}/cases/{case_id}/timeline").json["items"]
    assert [(e["type"], e["actor"]) for e in events] == [("CaseOpened", "api-test"),
                                                         ("NoteAdded", "bob")]
    assert client.get(f"{API}/cases/{case_id}").json["paid"] == "0.00"

    again = client.post(f"{API}/cases/{case_id}/record_payment",
                        json={"amount": "100", "method": "card"})
    assert again.status_code == 201
    assert again.json["version"] == 3
