"""The deployment files in deploy/ hold together with the app: the compose file's services,
settings and health checks, the systemd units' commands, gunicorn's configuration.

No container engine runs here: the compose file is parsed and checked against the app, and
`docker compose config -q` runs only where the compose plugin answers (else that test says
so and is skipped).
"""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import click
import pytest
import yaml

from application.settings import eventsourcing_env
from cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
SAMPLE = {"ARREARS_DB_PASSWORD": "s3cret", "ARREARS_SECRET_KEY": "k" * 64}


def _interpolated(text: str, env: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?message}, from env."""
    def value(match: re.Match[str]) -> str:
        name, how, rest = match.group(1), match.group(2) or "", match.group(3) or ""
        if name in env:
            return env[name]
        if how == ":?":
            raise KeyError(f"{name}: {rest}")
        return rest
    return re.sub(r"\$\{([A-Z_]+)(:[-?])?([^}]*)\}", value, text)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(_interpolated((DEPLOY / "docker-compose.yml").read_text(), SAMPLE))


def _settings_the_app_reads() -> set[str]:
    names: set[str] = set()
    for folder in ("application", "web", "cli"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(re.findall(r"ARREARS_[A-Z_]*[A-Z]", path.read_text()))
    return names | set(re.findall(r"ARREARS_[A-Z_]*[A-Z]",
                                  (DEPLOY / "gunicorn.conf.py").read_text()))


def _arrears_command(argv: list[str]) -> click.Command:
    """The click command an `arrears ...` command line names (KeyError if none)."""
    command: click.Command = main
    for word in argv:
        if word.startswith("-") or not isinstance(command, click.Group):
            break
        command = command.commands[word]
    assert not isinstance(command, click.Group), argv
    return command


def test_compose_runs_the_app_the_worker_and_postgresql(compose: dict) -> None:
    services = compose["services"]
    assert set(services) == {"app", "worker", "postgres"}
    db = services["postgres"]["environment"]
    for name in ("app", "worker"):
        env = services[name]["environment"]
        persistence = eventsourcing_env(env["ARREARS_DATABASE_URL"], create_table=False)
        assert persistence["POSTGRES_HOST"] == "postgres"
        assert persistence["POSTGRES_DBNAME"] == db["POSTGRES_DB"]
        assert persistence["POSTGRES_USER"] == db["POSTGRES_USER"]
        assert persistence["POSTGRES_PASSWORD"] == db["POSTGRES_PASSWORD"] == "s3cret"
        assert env["ARREARS_SECRET_KEY"] == SAMPLE["ARREARS_SECRET_KEY"]
        assert set(env) <= _settings_the_app_reads(), set(env) - _settings_the_app_reads()
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (ROOT / services["app"]["build"]["context"].replace("..", ".")).is_dir()
    assert _arrears_command(services["worker"]["command"][1:]).name == "project"
    assert services["app"]["command"][:2] == ["gunicorn", "-c"]
    assert services["app"]["command"][2] == "/opt/arrears/deploy/gunicorn.conf.py"


def test_compose_health_checks_ask_the_right_things(compose: dict, tmp_path: Path) -> None:
    from web import create_app

    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    app_check = " ".join(services["app"]["healthcheck"]["test"])
    port = services["app"]["environment"]["ARREARS_BIND"].rsplit(":", 1)[1]
    assert f"http://127.0.0.1:{port}/healthz" in app_check
    assert f"127.0.0.1:{port}:{port}" in services["app"]["ports"]
    app = create_app({"TESTING": True, "FOLLOW": False, "SECRET_KEY": "test",
                      "DATABASE_URL": f"sqlite:///{tmp_path}/events.db"})
    try:
        assert app.test_client().get("/healthz").status_code == 200
    finally:
        app.extensions["arrears"].close()
    worker_check = services["worker"]["healthcheck"]["test"]
    assert worker_check[0] == "CMD" and worker_check[1] == "arrears"
    _arrears_command(worker_check[2:])


def test_compose_refuses_to_start_without_its_secrets() -> None:
    text = (DEPLOY / "docker-compose.yml").read_text()
    with pytest.raises(KeyError, match="ARREARS_DB_PASSWORD"):
        _interpolated(text, {})


def test_docker_compose_config_where_the_plugin_answers() -> None:
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True,
                                        timeout=30).returncode != 0:
        pytest.skip("no docker compose plugin here: the compose file is checked by parsing")
    result = subprocess.run([docker, "compose", "-f", str(DEPLOY / "docker-compose.yml"),
                             "config", "-q"], capture_output=True, text=True, timeout=60,
                            env={**SAMPLE, "PATH": "/usr/bin:/bin:/usr/local/bin"})
    assert result.returncode == 0, result.stderr


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((UNITS / name).read_text())
    return parser


@pytest.mark.parametrize(("unit", "command"), [
    ("arrears-worker.service", "project"), ("arrears-schedule.service", "run"),
    ("arrears-backup.service", "export")])
def test_each_unit_runs_a_real_arrears_command(unit: str, command: str) -> None:
    service = _unit(unit)["Service"]
    assert service["EnvironmentFile"] == "/etc/arrears/arrears.env"
    argv = shlex.split(service["ExecStart"])
    if argv[0] == "/bin/sh":
        argv = shlex.split(argv[2].removeprefix("exec "))
    assert argv[0] == "/opt/arrears/.venv/bin/arrears"
    found = _arrears_command(argv[1:])
    assert found.name == command
    options = {o for p in found.params for o in getattr(p, "opts", [])}
    assert {word for word in argv if word.startswith("--")} <= options


def test_the_web_unit_runs_gunicorn_with_the_repo_config() -> None:
    argv = shlex.split(_unit("arrears-web.service")["Service"]["ExecStart"])
    assert argv == ["/opt/arrears/.venv/bin/gunicorn", "-c",
                    "/opt/arrears/deploy/gunicorn.conf.py"]


@pytest.mark.parametrize(("timer", "service"), [
    ("arrears-schedule.timer", "arrears-schedule.service"),
    ("arrears-backup.timer", "arrears-backup.service")])
def test_timers_run_their_service_daily(timer: str, service: str) -> None:
    section = _unit(timer)["Timer"]
    assert section["Unit"] == service and (UNITS / service).is_file()
    assert re.fullmatch(r"\*-\*-\* \d\d:\d\d:\d\d", section["OnCalendar"])
    assert section["Persistent"] == "true"


def test_systemd_accepts_the_calendar_of_each_timer() -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("no systemd-analyze here")
    for timer in ("arrears-schedule.timer", "arrears-backup.timer"):
        result = subprocess.run([analyze, "calendar", _unit(timer)["Timer"]["OnCalendar"]],
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr


def test_gunicorn_runs_several_workers_of_the_app(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from gunicorn.config import Config
    from gunicorn.util import import_app

    monkeypatch.delenv("ARREARS_WEB_WORKERS", raising=False)
    settings: dict = {}
    exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"),
         settings)
    config = Config()
    for name in ("bind", "workers", "wsgi_app", "timeout", "accesslog", "errorlog"):
        config.set(name, settings[name])
    assert config.workers > 1
    assert config.bind == ["127.0.0.1:8000"]
    monkeypatch.setenv("ARREARS_DATABASE_URL", f"sqlite:///{tmp_path}/events.db")
    monkeypatch.setenv("ARREARS_SECRET_KEY", "test")
    app = import_app(config.wsgi_app)
    try:
        assert app.config["FOLLOW"] is False
        assert app.test_client().get("/healthz").status_code == 200
    finally:
        app.extensions["arrears"].close()
        from application.logs import reset_logging
        reset_logging()


def test_the_example_settings_are_settings_the_app_reads() -> None:
    names = {line.split("=", 1)[0].lstrip("# ") for line in
             (UNITS / "arrears.env.example").read_text().splitlines()
             if "=" in line and line.lstrip("# ").startswith("ARREARS_")}
    assert names <= _settings_the_app_reads(), names - _settings_the_app_reads()
    assert urlsplit(next(line.split("=", 1)[1] for line in (UNITS / "arrears.env.example")
                         .read_text().splitlines()
                         if line.startswith("ARREARS_DATABASE_URL="))).scheme == "postgresql"
