"""While the views are caught up, Python's collector runs less often; afterwards it runs as
it did before, also when the catch-up fails (application/readmodels/collector.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.readmodels import projector as projector_module
from application.readmodels.collector import CATCH_UP_THRESHOLD, collecting_less
from bench import dataset


@pytest.fixture
def app(database_url: str) -> Iterator[Arrears]:
    made = build(database_url, clock=FixedClock.on(dataset.TODAY))
    yield made
    made.close()


@pytest.fixture
def default_threshold() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*before)


def test_a_catch_up_raises_the_threshold_while_it_applies_and_puts_it_back(
        app, default_threshold):
    dataset.generate(app.service, 3, seed=1)
    seen: list[tuple[int, int, int]] = []
    assert app.projector.catch_up(progress=lambda _n: seen.append(gc.get_threshold())) > 0
    assert seen and all(t == (CATCH_UP_THRESHOLD, 10, 10) for t in seen)
    assert gc.get_threshold() == default_threshold


def test_a_failing_catch_up_puts_it_back_too(app, default_threshold, monkeypatch):
    dataset.generate(app.service, 2, seed=1)

    def away(*_args, **_kwargs):
        raise OSError("disk away")

    monkeypatch.setattr(projector_module.Projector, "_apply_page", away)
    with pytest.raises(OSError, match="disk away"):
        app.projector.catch_up()
    assert gc.get_threshold() == default_threshold


def test_a_higher_threshold_set_by_the_operator_is_never_lowered(default_threshold):
    gc.set_threshold(200_000, 10, 10)
    with collecting_less():
        assert gc.get_threshold() == (200_000, 10, 10)
    assert gc.get_threshold() == (200_000, 10, 10)
