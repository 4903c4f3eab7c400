"""`python -m bench.server` runs end to end: a store, its user, a real waitress, the mix.

A short run on a small store (the bench's figures are taken on a quiet machine, never
here): every view answers as the mix expects and the results name each view. Its SQLite
store is a copy of bench.views' data set for the same cases, which holds bench.views' own
user: the server bench must sign in as a user of its own.
"""

from __future__ import annotations

import json
import sys

import pytest

from bench import server, serving, views


@pytest.fixture
def away_from_the_checkout(tmp_path, monkeypatch):
    monkeypatch.setattr(views, "ROOT", tmp_path)
    monkeypatch.setattr(serving, "FOLDER", tmp_path / "bench-server")
    monkeypatch.setattr(server, "RESULTS", tmp_path / "results")
    return tmp_path


def test_the_server_bench_runs_on_a_copy_of_the_views_data_set(away_from_the_checkout,
                                                               monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["bench.server", "--server", "waitress", "--clients", "2",
                                      "--threads", "2", "--cases", "12", "--seconds", "2",
                                      "--warmup", "0.5", "--name", "server-test"])
    server.main()
    done = json.loads((away_from_the_checkout / "results" / "server-test.json").read_text())
    assert done["cases"] == 12
    assert set(done["results"]["views"]) <= set(server.MIX)
    assert done["results"]["requests"] > 0
    assert all(view["requests"] > 0 for view in done["results"]["views"].values())
    assert "healthz" in capsys.readouterr().out
