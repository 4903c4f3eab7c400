"""Holds and disputes: dispute, resolve-dispute, hold, lift-hold."""

from __future__ import annotations


class TestHolds:
    def test_a_dispute_holds_the_case_until_resolved(self, ok, case, show, last_event):
        ok("dispute", case, "--reason", "Goods damaged")
        assert (show(case)["on_hold"], show(case)["disputed"]) == (True, True)
        ok("resolve-dispute", case, "--outcome", "for_creditor", "--notes", "photos checked")
        assert last_event(case)["data"] == {"outcome": "for_creditor",
                                            "notes": "photos checked"}
        assert (show(case)["on_hold"], show(case)["disputed"]) == (False, False)

    def test_a_hold_until_a_date_ends_after_it(self, ok, case, show):
        ok("hold", case, "--reason", "Director in hospital", "--until", "2026-03-15")
        assert show(case)["hold_reason"] == "Director in hospital"
        assert ok("show", case, "--on", "2026-03-16")["on_hold"] is False

    def test_lift_hold_resumes_collection(self, ok, case, show, last_event):
        ok("hold", case, "--reason", "Waiting for the accountant")
        ok("lift-hold", case, "--reason", "Accountant replied")
        assert show(case)["on_hold"] is False
        assert last_event(case)["summary"] == "Hold lifted: Accountant replied"
