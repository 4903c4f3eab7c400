"""Escalation: demand, mediate, conclude-mediation, refer-legal, assign-agency,
bankruptcy-claim."""

from __future__ import annotations

import pytest


@pytest.fixture
def demanded(ok, case):
    ok("demand", case, "--deadline", "2026-03-15", "--consequences", "Referral to counsel",
       "--letter-reference", "LOC-1")
    return case


class TestEscalation:
    def test_demand_is_for_what_is_outstanding(self, demanded, show, last_event):
        data = last_event(demanded)["data"]
        assert len(data.pop("letter_sha256")) == 64  # its letter (tests/cli/test_letters.py)
        assert data == {
            "amount": {"amount": "1200.00", "currency": "GBP"}, "deadline": "2026-03-15",
            "consequences": "Referral to counsel", "letter_reference": "LOC-1"}
        assert show(demanded)["stage"] == "demanded"

    def test_demand_may_name_an_amount(self, ok, case, last_event):
        ok("demand", case, "--deadline", "2026-03-15", "--consequences", "Court", "--amount",
           "1000")
        assert last_event(case)["data"]["amount"]["amount"] == "1000.00"

    def test_mediation_then_its_conclusion(self, ok, demanded, show):
        ok("mediate", demanded, "--mediator", "CEDR", "--reference", "M-1")
        assert show(demanded)["stage"] == "in_mediation"
        ok("conclude-mediation", demanded, "--outcome", "failed", "--notes", "no show")
        assert show(demanded)["stage"] == "demanded"

    def test_refer_legal_after_a_demand(self, ok, demanded, show, last_event):
        ok("refer-legal", demanded, "--counsel", "Hargreaves & Lowe", "--reference", "HL/1")
        assert show(demanded)["stage"] == "with_counsel"
        assert last_event(demanded)["data"] == {"counsel": "Hargreaves & Lowe",
                                                "reference": "HL/1", "override_reason": "",
                                                "mediation_kept_open": False,
                                                "user": ""}

    def test_refer_legal_without_a_demand_needs_an_override_reason(self, ok, case, show):
        ok("refer-legal", case, "--counsel", "HL", "--override-reason", "Limitation near")
        assert show(case)["stage"] == "with_counsel"

    def test_assign_agency(self, ok, case, show, last_event):
        ok("assign-agency", case, "--agency", "Albion Credit Recovery", "--reference", "A-9")
        assert show(case)["stage"] == "with_agency"
        assert last_event(case)["data"] == {"agency": "Albion Credit Recovery",
                                            "reference": "A-9", "override_reason": "",
                                            "mediation_kept_open": False}

    def test_bankruptcy_claim(self, ok, case, show, last_event):
        ok("bankruptcy-claim", case, "--court", "High Court", "--insolvency-case-number",
           "CR-2026-000123")
        assert show(case)["stage"] == "in_insolvency"
        assert last_event(case)["data"]["amount"]["amount"] == "1200.00"
