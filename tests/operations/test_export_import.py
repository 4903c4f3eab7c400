"""`arrears export` and `arrears import`: the migration path SQLite -> PostgreSQL -> SQLite
gives the same events, chains, keys, checkpoints, digest, cases and read models; a file
that does not verify, or a store that is not empty, is refused with nothing written."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from application.clock import FixedClock
from application.commands import RecordPayment
from application.service import CaseService
from application.users.directory import DIRECTORY_ID
from cli.failures import CHAIN_BROKEN, WRONG_STORE
from tests.integration.test_tampering import five_events
from tests.operations.conftest import export_lines, ok_json, readmodel_rows
from tests.tampering import RawStore


def _worked_store(url: str, tool) -> None:
    """The demo data set, a payment under an idempotency key, a checkpoint."""
    run = tool(url)
    ok_json(run("demo", "--json"))
    service = CaseService(url, clock=FixedClock(datetime(2026, 3, 1, 9, tzinfo=UTC)))
    try:
        case_id = next(i for i in service.chain_recorder.case_ids() if i != DIRECTORY_ID)
        service.handle(RecordPayment(case_id=case_id, actor="ops.test", amount=Decimal("10")),
                       idempotency_key="payment-0001")
    finally:
        service.close()
    ok_json(run("checkpoint", "--json"))
    assert run("projections", "rebuild").exit_code == 0


def _cases(url: str) -> dict[str, object]:
    service = CaseService(url, create_table=False)
    try:
        return {str(i): service.case(i) for i in service.chain_recorder.case_ids()
                if i != DIRECTORY_ID}
    finally:
        service.close()


def _digest(run) -> dict[str, object]:
    return ok_json(run("digest", "--json"))


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_store_goes_to_postgresql_and_back_unchanged(database_url: str, tmp_path: Path,
                                                      tool) -> None:
    first, last = f"sqlite:///{tmp_path}/a/events.db", f"sqlite:///{tmp_path}/b/events.db"
    _worked_store(first, tool)
    files = [tmp_path / "a.jsonl", tmp_path / "pg.jsonl", tmp_path / "b.jsonl"]
    exported = ok_json(tool(first)("export", "--out", str(files[0]), "--json"))
    ok_json(tool(database_url)("import", str(files[0]), "--json"))
    ok_json(tool(database_url)("export", "--out", str(files[1]), "--json"))
    ok_json(tool(last)("import", str(files[1]), "--json"))
    ok_json(tool(last)("export", "--out", str(files[2]), "--json"))

    assert exported["keys"] == 1 and exported["checkpoints"] == 1
    print(f"\nround trip: {exported['events']} events, {exported['cases']} cases, "
          f"{exported['keys']} key, {exported['checkpoints']} checkpoint")
    assert export_lines(files[0]) == export_lines(files[1]) == export_lines(files[2])
    digests = [_digest(tool(url)) for url in (first, database_url, last)]
    assert digests[0] == digests[1] == digests[2]
    assert _cases(first) == _cases(database_url) == _cases(last)
    rows = [readmodel_rows(url) for url in (first, database_url, last)]
    assert rows[0]["rm_case_summary"], "the read models hold the cases"
    assert rows[0] == rows[1] == rows[2]
    assert ok_json(tool(last)("verify", "--against", "1", "--json"))["ok"]


def test_the_imported_store_answers_a_repeated_request_once(tmp_path: Path, tool) -> None:
    first, copy = f"sqlite:///{tmp_path}/a/events.db", f"sqlite:///{tmp_path}/b/events.db"
    _worked_store(first, tool)
    ok_json(tool(first)("export", "--out", str(tmp_path / "a.jsonl"), "--json"))
    ok_json(tool(copy)("import", str(tmp_path / "a.jsonl"), "--json"))
    service = CaseService(copy)
    try:
        case_id = next(i for i in service.chain_recorder.case_ids() if i != DIRECTORY_ID)
        again = service.handle(RecordPayment(case_id=case_id, actor="ops.test",
                                             amount=Decimal("10")),
                               idempotency_key="payment-0001")
        assert again.repeated
        # New events continue after the imported notification ids.
        assert service.recorder.max_notification_id() == json.loads(
            (tmp_path / "a.jsonl").read_text().splitlines()[0])["position"]
    finally:
        service.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One export of the demo data set, made once for the refusal tests."""
    from click.testing import CliRunner

    from cli.main import main

    folder = tmp_path_factory.mktemp("exported")
    runner = CliRunner(env={"ARREARS_DATABASE_URL": f"sqlite:///{folder}/events.db",
                            "ARREARS_TODAY": "2026-03-01", "ARREARS_KEY_DIR": str(folder),
                            "ARREARS_READMODEL_URL": None})
    assert runner.invoke(main, ["demo"]).exit_code == 0
    path = folder / "store.jsonl"
    assert runner.invoke(main, ["export", "--out", str(path)]).exit_code == 0
    return path


@pytest.fixture
def file_copy(exported: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store.jsonl"
    copy.write_bytes(exported.read_bytes())
    return copy


def _edited(path: Path, number: int, change) -> Path:
    lines = path.read_text(encoding="utf-8").splitlines()
    line = json.loads(lines[number - 1])
    change(line)
    lines[number - 1] = json.dumps(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _state_changed(line: dict) -> None:
    import base64
    state = base64.b64decode(line["state"]).replace(b'"actor":"demo"', b'"actor":"mallory"')
    assert state != base64.b64decode(line["state"])
    line["state"] = base64.b64encode(state).decode()


@pytest.mark.parametrize(("case", "number", "change", "reason"), [
    ("an event edited", 3, _state_changed, "line 3: case .* the event does not match its hash"),
    ("a hash replaced", 2, lambda line: line.update(hash="00" * 32),
     "line 2: .* the event does not match its hash"),
    ("a trailer count", -1, lambda line: line.update(events=1), "trailer counts 1 events"),
    ("a trailer root", -1, lambda line: line.update(root="ab" * 32), "digest root"),
])
def test_a_file_that_does_not_verify_is_refused_and_nothing_is_written(
        tmp_path: Path, tool, file_copy: Path, case: str, number: int, change,
        reason: str) -> None:
    path = file_copy
    if number < 0:
        number = len(path.read_text().splitlines())
    _edited(path, number, change)
    target = f"sqlite:///{tmp_path}/target/events.db"
    result = tool(target)("import", str(path))
    assert result.exit_code == CHAIN_BROKEN, (case, result.stderr)
    import re
    assert re.search(reason, result.stderr), result.stderr
    assert "nothing was imported" in result.stderr
    assert ok_json(tool(target)("digest", "--json"))["size"] == 0


def test_an_event_left_out_is_refused(tmp_path: Path, tool, file_copy: Path) -> None:
    lines = file_copy.read_text(encoding="utf-8").splitlines()
    second = next(i for i, text in enumerate(lines)
                  if json.loads(text).get("originator_version") == 2)
    del lines[second]
    file_copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = tool(f"sqlite:///{tmp_path}/target/events.db")("import", str(file_copy))
    assert result.exit_code == CHAIN_BROKEN
    assert "the case's previous event is version 1" in result.stderr


def test_a_file_cut_short_is_refused(tmp_path: Path, tool, file_copy: Path) -> None:
    path = file_copy
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")
    result = tool(f"sqlite:///{tmp_path}/target/events.db")("import", str(path))
    assert result.exit_code == CHAIN_BROKEN
    assert "ends without its trailer" in result.stderr


def test_a_store_that_is_not_empty_is_refused(tmp_path: Path, tool, file_copy: Path) -> None:
    path = file_copy
    target = f"sqlite:///{tmp_path}/target/events.db"
    ok_json(tool(target)("demo", "--json"))
    before = _digest(tool(target))
    result = tool(target)("import", str(path), "--json")
    assert result.exit_code == WRONG_STORE
    assert "the store is not empty" in result.stderr
    assert json.loads(result.stdout)["errors"]
    assert _digest(tool(target)) == before


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_an_import_longer_than_one_connections_deadline_goes_in(
        database_url: str, tmp_path: Path, tool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big store's import takes longer than ARREARS_DB_CONNECT_TIMEOUT +
    ARREARS_DB_STATEMENT_TIMEOUT; only each statement (a batch of events) must be answered
    within them."""
    from application.transfer import load, tables

    first = f"sqlite:///{tmp_path}/a/events.db"
    _worked_store(first, tool)
    exported = ok_json(tool(first)("export", "--out", str(tmp_path / "a.jsonl"), "--json"))
    monkeypatch.setattr(load, "BATCH", max(1, exported["events"] // 8))
    written = tables.PostgresWriter.events

    def slowly(self, events):  # a slow disk or a big store: each batch takes a while
        time.sleep(0.6)
        written(self, events)

    monkeypatch.setattr(tables.PostgresWriter, "events", slowly)
    # A deadline of 2 s: room for one statement on a loaded 2-core machine (1 s was not).
    monkeypatch.setenv("ARREARS_DB_CONNECT_TIMEOUT", "1")
    monkeypatch.setenv("ARREARS_DB_STATEMENT_TIMEOUT", "1")
    started = time.monotonic()
    imported = ok_json(tool(database_url)("import", str(tmp_path / "a.jsonl"), "--json"))
    assert time.monotonic() - started > 4  # the whole import: twice the deadline and more
    assert imported["events"] == exported["events"]
    assert _digest(tool(database_url)) == _digest(tool(first))


def test_an_event_rewritten_as_text_stops_the_export_with_its_case(tmp_path: Path,
                                                                   tool) -> None:
    """A state SQLite now holds as TEXT (rewritten outside Arrears) is named, not a crash."""
    url = f"sqlite:///{tmp_path}/events.db"
    service = CaseService(url, clock=FixedClock(datetime(2026, 3, 1, 9, tzinfo=UTC)))
    case_id = five_events(service)
    service.close()
    raw = RawStore(url)
    raw.drop_protection()
    raw.run("UPDATE EVENTS SET state = CAST(state AS TEXT) WHERE originator_id = ? "
            "AND originator_version = 3", (raw.key(case_id),))
    result = tool(url)("export", "--out", str(tmp_path / "log.jsonl"))
    assert result.exit_code == CHAIN_BROKEN, result.stderr
    assert f"case {case_id}: the chain breaks at version 3" in result.stderr
    assert "stored as text, not bytes" in result.stderr
