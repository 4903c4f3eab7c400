"""`arrears users`: add, list, disable, enable, set-role, password, token; referrals that
name a counsel user (`refer-legal --user`, `mediate --user`)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from application.service import CaseService
from cli.main import main
from tests.cli.conftest import TODAY

PASSWORD = "correct horse battery"


@pytest.fixture
def users(env: dict[str, str | None]) -> Any:
    """Run `arrears ARGS...` with `stdin` as standard input (not a terminal)."""
    runner = CliRunner(env=env)

    def run(*args: str, stdin: str = "") -> Result:
        return runner.invoke(main, list(args), input=stdin)

    return run


@pytest.fixture
def sarah(users: Any) -> None:
    result = users("users", "add", "sarah", "--role", "counsel", stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Added: sarah (counsel, active).\n"


def listed(users: Any) -> list[dict[str, Any]]:
    result = users("users", "list", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def store(env: dict[str, str | None]) -> CaseService:
    return CaseService(env["ARREARS_DATABASE_URL"])


class TestAdd:
    def test_reads_the_password_from_stdin_and_stores_only_its_hash(self, env, sarah,
                                                                    users) -> None:
        assert listed(users) == [{"name": "sarah", "role": "counsel", "disabled": False,
                                  "has_token": False, "added_at": f"{TODAY}T09:00:00+00:00"}]
        service = store(env)
        try:
            account = service.users.sign_in("sarah", PASSWORD)
            assert account is not None and account.password_hash.startswith("$argon2id$")
            stored = b"".join(e.state for e in service.recorder.select_events(
                service.users.directory().id))
            assert PASSWORD.encode() not in stored
        finally:
            service.close()

    def test_takes_no_password_argument(self, users) -> None:
        result = users("users", "add", "bob", "--role", "collector", "--password", PASSWORD)
        assert result.exit_code == 2
        assert listed(users) == []

    @pytest.mark.parametrize(("args", "stdin", "code", "message"), [
        (("bob", "--role", "collector"), "short\n", 2,
         "error: password: must be 10 to 1024 characters long"),
        (("bob", "--role", "collector"), "", 2,
         "error: password: give the password on stdin (one line) or at the prompt"),
        (("Bob!", "--role", "collector"), PASSWORD, 2, "error: name: must be 1 to 64"),
        (("bob", "--role", "boss"), PASSWORD, 2, "error: --role:"),
        (("sarah", "--role", "admin"), PASSWORD, 1, "error: name: there is already a user "
                                                    "'sarah'"),
    ])
    def test_refuses_with_one_line_naming_the_field(self, sarah, users, args, stdin, code,
                                                    message) -> None:
        result = users("users", "add", *args, stdin=stdin)
        assert (result.exit_code, result.stdout) == (code, "")
        assert result.stderr.startswith(message)
        assert [u["name"] for u in listed(users)] == ["sarah"]


class TestChanges:
    def test_set_role_disable_and_enable(self, sarah, users) -> None:
        assert users("users", "set-role", "sarah", "auditor").stdout == \
            "Role set: sarah (auditor, active).\n"
        assert users("users", "disable", "sarah").stdout == \
            "Disabled: sarah (auditor, disabled).\n"
        assert listed(users)[0]["disabled"] is True
        assert users("users", "enable", "sarah").exit_code == 0
        assert listed(users)[0] == {**listed(users)[0], "role": "auditor", "disabled": False}

    def test_an_unknown_user_is_named(self, users) -> None:
        result = users("users", "disable", "nobody")
        assert (result.exit_code, result.stderr) == (2, "error: name: no user 'nobody'\n")

    def test_the_changes_are_events_with_who_made_them(self, env, sarah, users) -> None:
        users("users", "set-role", "sarah", "auditor", "--actor", "ops.lead")
        service = store(env)
        try:
            events = [service.mapper.to_domain_event(e) for e in
                      service.recorder.select_events(service.users.directory().id)]
            assert [(type(e).__name__, e.actor) for e in events] == [
                ("Created", "priya.shah"), ("UserAdded", "priya.shah"),
                ("RoleChanged", "ops.lead")]
        finally:
            service.close()

    def test_password_sets_a_new_one(self, env, sarah, users) -> None:
        assert users("users", "password", "sarah", stdin="a new long password\n").exit_code == 0
        service = store(env)
        try:
            assert service.users.sign_in("sarah", PASSWORD) is None
            assert service.users.sign_in("sarah", "a new long password") is not None
        finally:
            service.close()


class TestToken:
    def test_prints_a_new_token_alone_on_stdout(self, env, sarah, users) -> None:
        result = users("users", "token", "sarah")
        assert result.exit_code == 0
        token = result.stdout.removesuffix("\n")
        assert token.startswith("arrears_") and "\n" not in token and len(token) > 40
        service = store(env)
        try:
            assert service.users.by_token(token).name == "sarah"
        finally:
            service.close()
        assert listed(users)[0]["has_token"] is True

    def test_a_new_token_replaces_the_old(self, env, sarah, users) -> None:
        first = users("users", "token", "sarah").stdout.strip()
        second = users("users", "token", "sarah").stdout.strip()
        service = store(env)
        try:
            assert service.users.by_token(first) is None
            assert service.users.by_token(second).name == "sarah"
        finally:
            service.close()

    def test_a_disabled_user_gets_none(self, sarah, users) -> None:
        users("users", "disable", "sarah")
        result = users("users", "token", "sarah")
        assert (result.exit_code, result.stdout) == (1, "")


class TestReferralsNameAUser:
    @pytest.fixture
    def demanded(self, ok, open_case) -> str:
        number = open_case()
        ok("demand", number, "--deadline", "2026-03-20", "--consequences", "counsel")
        return number

    @pytest.mark.parametrize("verb", ["refer-legal", "mediate"])
    def test_the_event_records_the_counsel_user(self, sarah, ok, last_event, demanded,
                                                verb) -> None:
        who = "--counsel" if verb == "refer-legal" else "--mediator"
        ok(verb, demanded, who, "Lowe LLP", "--user", "sarah")
        assert last_event(demanded)["data"]["user"] == "sarah"

    @pytest.mark.parametrize(("user", "message"), [
        ("nobody", "error: --user: no active user 'nobody'"),
        ("priya.shah", "error: --user: no active user 'priya.shah'"),
    ])
    def test_refuses_a_user_who_is_not_active_counsel(self, sarah, users, demanded, user,
                                                      message, timeline) -> None:
        before = timeline(demanded)
        result = users("refer-legal", demanded, "--counsel", "Lowe LLP", "--user", user)
        assert (result.exit_code, result.stderr.strip()) == (2, message)
        assert timeline(demanded) == before

    def test_refuses_a_user_of_another_role(self, sarah, users, demanded) -> None:
        users("users", "set-role", "sarah", "collector")
        result = users("mediate", demanded, "--mediator", "M Ltd", "--user", "sarah")
        assert result.exit_code == 2
        assert result.stderr.strip() == ("error: --user: 'sarah' has the role collector, not "
                                         "counsel: a referral names a counsel user")

    def test_without_a_user_names_none(self, ok, last_event, demanded) -> None:
        ok("refer-legal", demanded, "--counsel", "Lowe LLP")
        assert last_event(demanded)["data"]["user"] == ""
