"""GET /debtors/<key> and GET /dashboard."""

from __future__ import annotations

from tests.api.conftest import API


class TestDebtor:
    def test_shows_the_debtor_with_every_case_and_totals(self, client, open_case, command):
        first = open_case(debtor_name="Acme Trading Ltd", debtor_kind="business",
                          debtor_phone="+44 20 7946 0000")
        second = open_case(debtor_name="acme  trading LTD", amount="200")
        open_case(debtor_name="Someone Else")
        command(second["case_id"], "record_payment", amount="50", method="card")

        response = client.get(f"{API}/debtors/acme trading ltd")

        assert response.status_code == 200
        debtor = response.json
        assert (debtor["key"], debtor["kind"], debtor["case_count"]) == \
            ("email:accounts@acme-trading-ltd.example", "business", 2)
        assert {c["case_id"] for c in debtor["cases"]} == {first["case_id"],
                                                           second["case_id"]}
        assert debtor["totals"]["EUR"]["outstanding"] == "1150.00"
        assert debtor["totals"]["EUR"]["cases"] == 2

    def test_an_unknown_debtor_is_404(self, client):
        response = client.get(f"{API}/debtors/nobody%2Fat all")
        assert response.status_code == 404
        assert response.json == {"errors": {"debtor": ["no debtor 'nobody/at all'"]}}


class TestDashboard:
    def test_sums_outstanding_by_bucket_and_counts_stages_and_actions(
            self, client, open_case, command):
        overdue = open_case()  # due 1 Dec 2025: 31 days overdue
        open_case(currency="GBP", amount="70", issue_date="2025-12-20",
                  due_date="2026-01-20")
        held = open_case(amount="30", due_date="2025-12-20")
        command(held["case_id"], "place_hold", reason="manual")

        response = client.get(f"{API}/dashboard")

        assert response.status_code == 200
        board = response.json
        assert board["today"] == "2026-01-01"
        assert board["currencies"] == ["EUR", "GBP"]
        assert board["buckets"]["31-60"] == {"EUR": "1000.00"}
        assert board["buckets"]["1-30"] == {"EUR": "30.00"}
        assert board["buckets"]["current"] == {"GBP": "70.00"}
        assert board["stages"] == {"overdue": 2, "open": 1}
        reminders = board["actions"]["reminders_due"]
        assert reminders["total"] == 1
        assert [c["case_id"] for c in reminders["items"]] == [overdue["case_id"]]
        assert set(board["actions"]) >= {"broken_promises", "demands_due"}
