"""With ARREARS_LOG_LEVEL set, a CLI command logs its command as a JSON line on stderr."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from application.logs import reset_logging
from cli.main import main


def test_a_cli_command_logs_one_json_line_without_the_debtor(tmp_path: Path) -> None:
    runner = CliRunner(env={"ARREARS_DATABASE_URL": f"sqlite:///{tmp_path}/events.db",
                            "ARREARS_TODAY": "2026-03-01", "ARREARS_LOG_LEVEL": "info",
                            "ARREARS_ACTOR": "priya.shah", "ARREARS_CREDITOR": None})
    try:
        result = runner.invoke(main, ["open", "INV-LOG-1", "--debtor",
                                      "Hieronymus Bosch-Private", "--amount", "120.00",
                                      "--currency", "GBP", "--issue-date", "2026-01-01",
                                      "--due-date", "2026-01-31", "--json"])
    finally:
        reset_logging()
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(text) for text in result.stderr.splitlines() if text.startswith("{")]
    commands = [line for line in lines if line["logger"] == "arrears.command"]
    assert len(commands) == 1
    assert commands[0]["command"] == "OpenCase" and commands[0]["outcome"] == "accepted"
    assert commands[0]["actor"] == "priya.shah"
    assert commands[0]["case_id"] == json.loads(result.stdout)["case_id"]
    assert "Hieronymus" not in result.stderr
