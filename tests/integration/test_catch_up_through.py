"""`Projector.catch_up(through=N)`, as the web calls it after a stored command: the read
models are brought at least that far, and a caller who finds them there already (it waited
for the lock while another writer caught up) does no database work of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest
from sqlalchemy import event

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.commands import AddNote
from bench import dataset


@pytest.fixture
def app(database_url: str) -> Iterator[Arrears]:
    made = build(database_url, clock=FixedClock.on(dataset.TODAY))
    yield made
    made.close()


def head(app: Arrears) -> int:
    return app.service.recorder.max_notification_id() or 0


def note(app: Arrears, n: int = 1) -> None:
    """`n` notes on the first case: new events past what is applied."""
    case_id = UUID(app.views.list_cases().rows[0]["case_id"])
    for i in range(n):
        app.service.handle(AddNote(case_id=case_id, actor="ana", text=f"note {i}"))


def transactions(app: Arrears) -> list[object]:
    """Every transaction begun on the read models from now on."""
    begun: list[object] = []
    event.listen(app.projector.engine, "begin", begun.append)
    return begun


def test_it_applies_at_least_through_the_given_notification(app):
    dataset.generate(app.service, 5, 4, 3)
    through = head(app)
    assert app.projector.catch_up(through=through) == through
    assert app.projector.status().position == through
    assert app.views.list_cases().total == 5


def test_it_does_nothing_when_this_process_already_applied_that_far(app):
    dataset.generate(app.service, 3, 4, 3)
    app.projector.catch_up()
    through = head(app)
    begun = transactions(app)
    assert app.projector.catch_up(through=through) == 0
    assert begun == []
    note(app)  # a new event past it: applied, as before
    assert app.projector.catch_up(through=head(app)) == 1
    assert app.projector.status().position == head(app)


def test_it_stops_once_that_far_without_an_empty_transaction_after(app):
    dataset.generate(app.service, 3, 4, 3)
    begun = transactions(app)
    app.projector.catch_up(through=head(app))
    assert len(begun) == 1  # one page applied that far; no empty page read after it


def test_another_process_moving_the_views_on_is_read_not_assumed(app, database_url):
    other = build(database_url, clock=FixedClock.on(dataset.TODAY))
    try:
        dataset.generate(app.service, 3, 4, 3)
        other.projector.catch_up()  # another process applied everything
        assert app.projector.catch_up(through=head(app)) == 0
        assert app.projector.status().position == head(app)
        note(app, 2)
        assert app.projector.catch_up(through=head(app)) == 2
        assert app.projector.status().position == head(app)
    finally:
        other.close()
