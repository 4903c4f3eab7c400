"""The PostgreSQL role of README "Running for a firm": the app works and cannot change events.

The grants are the README's, applied to the test's schema; the app runs as that role with
ARREARS_CREATE_TABLES=n. The role cannot delete or truncate, and the one UPDATE the
library's table lock needs is refused by the trigger, which the role cannot drop or disable.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

from application.commands import AddNote
from application.service import CaseService
from tests.conftest import POSTGRES_URL
from tests.integration.test_case_service import open_one

GRANTS = """
GRANT USAGE ON SCHEMA {s} TO {r};
GRANT SELECT, INSERT ON {s}.arrears_events, {s}.event_hashes, {s}.chain_seals,
    {s}.checkpoints, {s}.arrears_snapshots, {s}.snapshot_seals, {s}.idempotency_keys TO {r};
GRANT UPDATE ON {s}.arrears_events TO {r};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {r};
"""

REFUSED = {
    "UPDATE {s}.arrears_events SET topic = topic": "append-only",
    "DELETE FROM {s}.arrears_events": "permission denied",
    "TRUNCATE {s}.arrears_events": "permission denied",
    "UPDATE {s}.event_hashes SET hash = hash": "permission denied",
    "DELETE FROM {s}.event_hashes": "permission denied",
    "DELETE FROM {s}.checkpoints": "permission denied",
    "DROP TRIGGER arrears_events_refuse_change ON {s}.arrears_events": "must be owner",
    "ALTER TABLE {s}.arrears_events DISABLE TRIGGER ALL": "must be owner",
}


@pytest.fixture
def role() -> Iterator[str]:
    name = f"arrears_app_{uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def as_role(url: str, role: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port or 5432}"))


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_app_role_records_events_and_cannot_change_them(database_url, make_service, role,
                                                            clock, monkeypatch, tmp_path):
    case_id = open_one(make_service())  # the owner creates the tables
    schema = urlsplit(database_url).query.split("=", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as owner:
        owner.execute(GRANTS.format(s=f'"{schema}"', r=f'"{role}"'))
    monkeypatch.setenv("ARREARS_CREATE_TABLES", "n")

    app = CaseService(as_role(database_url, role), clock=clock, key_directory=tmp_path)
    try:
        recorded = app.handle(AddNote(case_id=case_id, actor="priya",
                                      occurred_on=date(2025, 2, 1), text="as the app role"))
        assert recorded.version == 2 and app.load(case_id).version == 2
    finally:
        app.close()

    dsn = as_role(urlunsplit(urlsplit(POSTGRES_URL)), role)
    for statement, refusal in REFUSED.items():
        with psycopg.connect(dsn, autocommit=True) as connection:
            with pytest.raises(psycopg.Error, match=refusal):
                connection.execute(statement.format(s=f'"{schema}"'))
