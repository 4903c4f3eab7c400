"""`arrears demo`: the demo data set, loaded once, covering every bucket and stage."""

from __future__ import annotations

from datetime import date

import pytest

from application.demo import CASES, DEMO_PASSWORD, DEMO_USERS
from application.service import CaseService
from application.users.roles import Role
from domain.stages import AGING_BUCKETS, aging_bucket
from tests.cli.conftest import TODAY

_CLOSED = {"paid", "settled", "written_off"}


@pytest.fixture
def loaded(ok):
    loaded = ok("demo")
    assert (loaded["opened"], loaded["skipped"]) == (len(CASES), 0)
    return {case.number: ok("show", case.number) for case in CASES}


class TestDemo:
    def test_adds_one_user_per_role_and_prints_them_with_the_password(self, arrears, env):
        result = arrears("demo")
        assert result.exit_code == 0
        assert f"Sign in as any demo user with the password {DEMO_PASSWORD}:" in result.stdout
        for name, role in DEMO_USERS.items():
            assert f"  {name:<12} {role.value}" in result.stdout
        service = CaseService(env["ARREARS_DATABASE_URL"])
        try:
            assert {a.name: a.role for a in service.users.all()} == DEMO_USERS
            assert service.users.sign_in("helen.lowe", DEMO_PASSWORD) is not None
        finally:
            service.close()
        assert set(DEMO_USERS.values()) == set(Role)

    def test_its_counsel_user_is_named_by_its_referrals_to_counsel(self, loaded, timeline):
        named = {number: [e["data"].get("user") for e in timeline(number)
                          if e["type"] == "LegalReferral"] for number in loaded}
        assert {n: users for n, users in named.items() if users} == {
            "INV-10331": ["helen.lowe"], "INV-10302": ["helen.lowe"]}

    def test_running_it_twice_adds_nothing_and_says_so(self, arrears, loaded, timeline):
        before = {number: timeline(number) for number in loaded}
        result = arrears("demo")
        assert result.exit_code == 0
        assert "already loaded" in result.stdout and "nothing added" in result.stdout
        assert {number: timeline(number) for number in loaded} == before

    def test_it_has_about_twenty_cases_in_gbp_and_eur(self, loaded):
        assert 15 <= len(loaded) <= 25
        assert {case["currency"] for case in loaded.values()} == {"GBP", "EUR"}

    def test_open_cases_fall_in_every_aging_bucket(self, loaded):
        today = date.fromisoformat(TODAY)
        buckets = {aging_bucket(date.fromisoformat(case["due_date"]), today)
                   for case in loaded.values() if case["stage"] not in _CLOSED}
        assert buckets == set(AGING_BUCKETS)

    def test_it_shows_every_stage(self, loaded):
        stages = {case["stage"] for case in loaded.values()}
        assert stages >= {"open", "reminded", "demanded", "in_mediation", "with_counsel",
                          "with_agency", "in_insolvency", "paid", "settled", "written_off"}

    def test_it_has_a_disputed_hold_a_broken_promise_and_a_plan(self, loaded):
        cases = list(loaded.values())
        assert any(case["disputed"] and case["on_hold"] for case in cases)
        assert any(case["broken_promises"] for case in cases)
        assert any(case["hold_reason"] == "plan" for case in cases)

    def test_every_event_happened_between_issue_and_today(self, loaded, timeline):
        for number, case in loaded.items():
            days = [event["occurred_on"] for event in timeline(number)]
            assert all(case["issue_date"] <= day <= TODAY for day in days), number

    def test_it_is_the_same_on_another_store(self, loaded, env, ok, tmp_path):
        env["ARREARS_DATABASE_URL"] = f"sqlite:///{tmp_path}/other.db"
        ok("demo")
        assert {case.number: ok("show", case.number) for case in CASES} == loaded
