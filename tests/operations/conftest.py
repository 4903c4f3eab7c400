"""Fixtures for the operator's tools: the CLI run against a store named by its URL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from application.readmodels.database import make_engine, readmodel_url
from application.readmodels.tables import metadata
from cli.main import main

TODAY = "2026-03-01"
Tool = Callable[..., Result]


@pytest.fixture
def tool(tmp_path: Path) -> Callable[[str], Tool]:
    """`tool(url)(*args)` runs `arrears ARGS` on the store at url (one key directory)."""

    def on(url: str) -> Tool:
        runner = CliRunner(env={"ARREARS_DATABASE_URL": url, "ARREARS_TODAY": TODAY,
                                "ARREARS_KEY_DIR": str(tmp_path / "keys"),
                                "ARREARS_READMODEL_URL": None, "ARREARS_ACTOR": "ops.test",
                                "ARREARS_BLOB_DIR": str(tmp_path / "blobs")})
        return lambda *args: runner.invoke(main, list(args))

    return on


def ok_json(result: Result) -> Any:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def readmodel_rows(url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every read-model table, as sorted text tuples.

    rm_case_state holds the projector's snapshots of the cases, which carry the wall-clock
    time they were taken: compared without it.
    """
    engine = make_engine(readmodel_url(url, {}))
    try:
        with engine.connect() as conn:
            return {table.name: sorted(tuple(_text(table.name, column.name, v) for column, v
                                             in zip(table.columns, row, strict=True))
                                       for row in conn.execute(select(table)))
                    for table in metadata.sorted_tables}
    finally:
        engine.dispose()


def _text(table: str, column: str, value: Any) -> str:
    if table == "rm_case_state" and column == "state":
        state = json.loads(bytes(value))
        state.pop("timestamp")
        return json.dumps(state, sort_keys=True)
    return str(value)


def export_lines(path: Path) -> list[dict[str, Any]]:
    """The file's lines but its header (which names the database it came from)."""
    lines = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["kind"] == "header"
    return lines[1:]
