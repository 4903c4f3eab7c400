"""Users in the event store and who may read which case, on SQLite and PostgreSQL: the
access read model follows the referrals that name a counsel user (ADR 17)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest

from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.errors import CaseNotFound
from application.users.directory import DIRECTORY_ID
from domain.errors import InvalidValue
from domain.money import Money
from domain.values import Debtor
from tests.access import CHEAP_HASHER, PASSWORD
from tests.commands import execute, open_case


@pytest.fixture
def arrears(database_url: str) -> Iterator[Arrears]:
    app = build(database_url, clock=FixedClock.on(date(2026, 3, 2)))
    app.service.users.hasher = CHEAP_HASHER
    for name in ("lena", "mo"):
        app.service.users.add(name, "counsel", PASSWORD, actor="ops")
    yield app
    app.close()


def demanded(arrears: Arrears, invoice: str) -> UUID:
    case_id = open_case(arrears.service, occurred_on=date(2026, 1, 1), creditor="C",
                        invoice_number=invoice, debtor=Debtor(f"{invoice} Ltd", "business"),
                        amount=Money.of("100", "EUR"), issue_date=date(2026, 1, 1),
                        due_date=date(2026, 1, 31))
    execute(arrears.service, case_id, "issue_demand", occurred_on=date(2026, 2, 5),
            deadline=date(2026, 2, 20), consequences="counsel")
    return case_id


def visible(arrears: Arrears, user: str) -> set[str]:
    arrears.projector.catch_up()
    return {r["invoice_number"] for r in arrears.views.for_user(user).list_cases().rows}


class TestCaseAccess:
    def test_follows_the_latest_referral_of_each_kind(self, arrears: Arrears) -> None:
        one = demanded(arrears, "A-1")
        demanded(arrears, "A-2")
        execute(arrears.service, one, "refer_to_mediation", occurred_on=date(2026, 2, 21),
                mediator="M", user="lena")
        assert (visible(arrears, "lena"), visible(arrears, "mo")) == ({"A-1"}, set())
        execute(arrears.service, one, "refer_to_counsel", occurred_on=date(2026, 2, 22),
                counsel="Mo LLP", user="mo", override_reason="urgent", mediation="keep_open")
        assert (visible(arrears, "lena"), visible(arrears, "mo")) == ({"A-1"}, {"A-1"})
        execute(arrears.service, one, "refer_to_counsel", occurred_on=date(2026, 2, 23),
                counsel="Other LLP", override_reason="urgent", mediation="keep_open")
        assert (visible(arrears, "lena"), visible(arrears, "mo")) == ({"A-1"}, set())

    def test_is_the_same_rebuilt_from_the_events(self, arrears: Arrears) -> None:
        case_id = demanded(arrears, "B-1")
        execute(arrears.service, case_id, "refer_to_counsel", occurred_on=date(2026, 2, 21),
                counsel="Lena LLP", user="lena")
        before = visible(arrears, "lena")
        arrears.projector.rebuild()
        assert visible(arrears, "lena") == before == {"B-1"}

    def test_a_referral_to_a_user_who_is_not_counsel_stores_nothing(self, arrears) -> None:
        case_id = demanded(arrears, "C-1")
        arrears.service.users.set_role("lena", "auditor", actor="ops")
        with pytest.raises(InvalidValue, match="'lena' has the role auditor, not counsel"):
            execute(arrears.service, case_id, "refer_to_counsel",
                    occurred_on=date(2026, 2, 21), counsel="Lena LLP", user="lena")
        assert len(arrears.service.history(case_id)) == 2

    def test_the_users_live_beside_the_cases_and_the_read_models_skip_them(
            self, arrears: Arrears) -> None:
        demanded(arrears, "D-1")
        arrears.projector.catch_up()
        status = arrears.projector.status()
        assert (status.lag, status.fault) == (0, None)
        assert [a.name for a in arrears.service.users.all()] == ["lena", "mo"]

    def test_the_users_aggregate_is_no_case(self, arrears: Arrears) -> None:
        with pytest.raises(CaseNotFound):
            arrears.service.resolve(str(DIRECTORY_ID))

    def test_a_page_of_only_the_users_events_is_passed_over(self, database_url: str) -> None:
        app = build(database_url, clock=FixedClock.on(date(2026, 3, 2)))
        try:
            app.service.users.hasher = CHEAP_HASHER
            app.service.users.add("solo", "collector", PASSWORD, actor="ops")
            app.projector.catch_up()
            status = app.projector.status()
            assert (status.position, status.lag, status.fault) == (status.head, 0, None)
            demanded(app, "E-1")
            app.projector.catch_up()
            assert [r["invoice_number"] for r in app.views.list_cases().rows] == ["E-1"]
        finally:
            app.close()
