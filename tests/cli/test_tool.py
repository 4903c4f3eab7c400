"""The tool itself: help for every command, serve, and the installed console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main

ENV_VARS = ("ARREARS_DATABASE_URL", "ARREARS_CREDITOR", "ARREARS_ACTOR", "ARREARS_TODAY")
EXPECTED = {
    "open", "remind", "log-call", "promise", "pay", "penalty", "dispute", "resolve-dispute",
    "withdraw-service", "demand", "plan", "settle", "mediate", "refer-legal", "assign-agency",
    "bankruptcy-claim", "write-off", "note", "show", "timeline", "demo", "deliver", "hold",
    "lift-hold", "acknowledge", "waive", "conclude-mediation", "serve", "evidence",
    "verify-bundle",
}


class TestHelp:
    def test_the_group_has_every_command(self):
        assert set(main.commands) >= EXPECTED

    @pytest.mark.parametrize("command", sorted(EXPECTED))
    def test_every_command_tells_the_environment(self, arrears, command):
        result = arrears(command, "--help")
        assert result.exit_code == 0
        text = " ".join(result.stdout.split())
        assert all(name in text for name in ENV_VARS)
        assert "Exit codes" in text

    def test_the_installed_script_runs(self):
        script = Path(sys.executable).parent / "arrears"
        result = subprocess.run([str(script), "--help"], capture_output=True, text=True,
                                timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        assert "Usage: arrears" in result.stdout
        assert all(name in result.stdout for name in ENV_VARS)


class TestServe:
    def test_serves_the_web_app_with_waitress(self, arrears, env, monkeypatch):
        served = {}
        monkeypatch.setattr("waitress.serve", lambda app, **kw: served.update(app=app, **kw))
        monkeypatch.setattr("web.create_app", lambda: "the app")
        env["PORT"] = "8123"
        result = arrears("serve")
        assert result.exit_code == 0, result.stderr
        assert served == {"app": "the app", "host": "127.0.0.1", "port": 8123}

    def test_the_port_defaults_to_5000(self, arrears, monkeypatch):
        served = {}
        monkeypatch.setattr("waitress.serve", lambda app, **kw: served.update(kw))
        monkeypatch.setattr("web.create_app", lambda: "the app")
        assert arrears("serve", "--host", "0.0.0.0").exit_code == 0
        assert served == {"host": "0.0.0.0", "port": 5000}
