"""POST /cases and POST /cases/<id>/<command>: results, and refusals as JSON by field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import ACTOR, API, TODAY, invoice
from web.schemas.commands import COMMAND_SCHEMAS


def step(command: str, **body: Any) -> tuple[str, dict[str, Any]]:
    return command, body


# command → (steps before it, its body, the event it records, what the case shows after).
# The case: EUR 1,000.00 due 1 Dec 2025, seen on 1 Jan 2026.
COMMANDS: dict[str, tuple[list[tuple[str, dict[str, Any]]], dict[str, Any], str,
                          dict[str, Any]]] = {
    "log_call": ([], {"direction": "outbound", "person": "Jo", "outcome": "no_answer"},
                 "CallLogged", {"last_contact_on": TODAY}),
    "record_payment": ([], {"amount": "100", "method": "bank_transfer", "reference": "TX-1"},
                       "PaymentReceived", {"paid": "100.00", "outstanding": "900.00"}),
    "promise_payment": ([], {"amount": "200.00", "promised_on": "2026-01-15"},
                        "PaymentPromised", {"next_promised_date": "2026-01-15"}),
    "send_reminder": ([], {"channel": "email"}, "ReminderSent",
                      {"stage": "reminded", "last_reminder_on": TODAY}),
    "add_note": ([], {"text": "Debtor changed accounts team"}, "NoteAdded", {}),
    "apply_penalty": ([], {"kind": "late_fee", "amount": "40", "basis": "contract"},
                      "PenaltyApplied", {"penalties": "40.00", "outstanding": "1040.00"}),
    "waive_penalty": ([step("apply_penalty", kind="late_fee", amount="40")],
                      {"kind": "late_fee", "amount": "40", "reason": "goodwill"},
                      "PenaltyWaived", {"waived": "40.00", "outstanding": "1000.00"}),
    "issue_demand": ([], {"deadline": "2026-01-15", "consequences": "a claim in court"},
                     "DemandIssued", {"stage": "demanded", "demand_deadline": "2026-01-15"}),
    "raise_dispute": ([], {"reason": "goods arrived damaged"}, "DisputeRaised",
                      {"on_hold": True}),
    "resolve_dispute": ([step("raise_dispute", reason="damaged")],
                        {"outcome": "for_creditor"}, "DisputeResolved", {"on_hold": False}),
    "place_hold": ([], {"reason": "manual", "until": "2026-02-01"}, "HoldPlaced",
                   {"on_hold": True, "hold_until": "2026-02-01"}),
    "lift_hold": ([step("place_hold", reason="manual")], {"reason": "call back"},
                  "HoldLifted", {"on_hold": False}),
    "agree_payment_plan": ([], {"instalments": [{"due_on": "2026-02-01", "amount": "500"},
                                                {"due_on": "2026-03-01", "amount": "500"}]},
                           "PaymentPlanAgreed", {}),
    "agree_settlement": ([], {"amount": "800", "pay_by": "2026-02-01"},
                         "SettlementAgreed", {}),
    "refer_to_mediation": ([], {"mediator": "Mediate Ltd", "override_reason": "asked"},
                           "MediationReferred", {"stage": "in_mediation"}),
    "conclude_mediation": ([step("refer_to_mediation", mediator="M", override_reason="x")],
                           {"outcome": "failed"}, "MediationConcluded", {}),
    "refer_to_counsel": ([step("issue_demand", deadline="2026-01-15", consequences="court")],
                         {"counsel": "Smith LLP"}, "LegalReferral", {"stage": "with_counsel"}),
    "assign_agency": ([], {"agency": "Collect Co", "reference": "CC-1"},
                      "CollectionAgencyAssigned", {"stage": "with_agency"}),
    "file_bankruptcy_claim": ([], {"court": "High Court", "insolvency_case_number": "BR-1"},
                              "BankruptcyClaimFiled", {"stage": "in_insolvency"}),
    "acknowledge_debt": ([], {"document": "email of 2 Dec"}, "DebtAcknowledged", {}),
    "withdraw_service": ([], {"service": "support line"}, "ServiceWithdrawn", {}),
    "record_delivery": ([], {"method": "email", "proof": "read receipt"},
                        "InvoiceDelivered", {}),
    "write_off": ([], {"reason": "uncollectable"}, "WrittenOff",
                  {"stage": "written_off", "is_closed": True, "outstanding": "0.00",
                   "written_off": "1000.00"}),
    "waive_interest": ([], {"reason": "goodwill"}, "InterestWaived", {}),
    "serve_statutory_demand": ([], {}, "StatutoryDemandServed",
                               {"statutory_demand_deadline": "2026-01-22"}),
    "offer_settlement": ([], {"amount": "700", "expires_on": "2026-01-20"},
                         "SettlementOffered", {"offer_kind": "settlement",
                                               "offer_amount": "700.00",
                                               "offer_expires_on": "2026-01-20"}),
    "offer_discount": ([], {"amount": "30", "expires_on": "2026-01-20"}, "SettlementOffered",
                       {"offer_kind": "discount", "offer_amount": "970.00"}),
    "accept_offer": ([step("offer_settlement", amount="700", expires_on="2026-01-20")], {},
                     "OfferAccepted", {"offer_amount": None}),
    "withdraw_offer": ([step("offer_settlement", amount="700", expires_on="2026-01-20")],
                       {"reason": "no reply"}, "OfferWithdrawn", {"offer_kind": None}),
}
# The case above is a euro debt under English law, whose fixed sum in GBP the law refuses:
# claim_interest is tried on a GBP case (TestClaimInterest).
ELSEWHERE = {"claim_interest"}
# The case's opening, when not the suite's EUR invoice (statutory demands are in pounds).
OPENING = {"serve_statutory_demand": {"currency": "GBP"}}


def test_every_command_has_a_case_here():
    assert set(COMMANDS) | ELSEWHERE == set(COMMAND_SCHEMAS)


class TestClaimInterest:
    """GBP 1,000.00 due 1 Dec 2025, a business debtor in England and Wales: statutory
    interest from 2 December and the GBP 70 fixed sum (ADR 25)."""

    def test_claims_once_with_the_calculation_in_the_events(self, client, open_case):
        case_id = open_case(currency="GBP")["case_id"]
        first = client.post(f"{API}/cases/{case_id}/claim_interest", json={})
        assert first.status_code == 201, first.json
        claimed = [e for e in timeline(client, case_id) if e["type"] == "PenaltyApplied"]
        assert [e["details"]["kind"] for e in claimed] == ["statutory_interest", "compensation"]
        assert claimed[0]["details"]["principal"] == {"amount": "1000.00", "currency": "GBP"}
        again = client.post(f"{API}/cases/{case_id}/claim-interest", json={})
        assert again.status_code == 201
        assert again.json["version"] == first.json["version"]  # nothing recorded

    def test_until_after_today_is_422_naming_it(self, client, open_case):
        case_id = open_case(currency="GBP")["case_id"]
        response = client.post(f"{API}/cases/{case_id}/claim_interest",
                               json={"until": "2026-02-01"})
        assert response.status_code == 422
        assert list(response.json["errors"]) == ["until"]


def timeline(client, case_id: str) -> list[dict[str, Any]]:
    return client.get(f"{API}/cases/{case_id}/timeline").json["items"]


class TestOpenCase:
    def test_opens_a_case_and_says_where_it_is(self, client):
        body = invoice(invoice_number="INV-7", debtor_name="Acme Ltd", amount="1234.5",
                       currency="eur", creditor="Other Creditor Ltd")
        response = client.post(f"{API}/cases", json=body)
        assert response.status_code == 201
        case_id = response.json["case_id"]
        assert response.json["version"] == 1
        assert response.headers["Location"] == f"{API}/cases/{case_id}"
        case = client.get(response.headers["Location"]).json
        assert case == response.json["case"]
        assert (case["invoice_number"], case["creditor"], case["currency"],
                case["principal"]) == ("INV-7", "Other Creditor Ltd", "EUR", "1234.50")
        assert timeline(client, case_id)[0]["actor"] == ACTOR

    def test_the_debtors_tax_id_keys_the_debtor(self, client):
        body = invoice(debtor_name="Acme Ltd", debtor_tax_id="DE 123 456 789")
        response = client.post(f"{API}/cases", json=body)
        assert response.status_code == 201
        assert response.json["case"]["debtor_key"] == "tax:DE123456789"
        debtor = client.get(f"{API}/debtors/tax:DE123456789").json
        assert (debtor["name"], debtor["tax_id"]) == ("Acme Ltd", "DE 123 456 789")

    def test_a_second_case_for_the_same_invoice_is_a_conflict(self, client):
        body = invoice()
        assert client.post(f"{API}/cases", json=body).status_code == 201
        again = client.post(f"{API}/cases", json={**body, "amount": "5"})
        assert again.status_code == 409
        assert list(again.json["errors"]) == ["invoice_number"]
        assert client.get(f"{API}/cases").json["total"] == 1

    @pytest.mark.parametrize(("change", "field"), [
        ({"invoice_number": ""}, "invoice_number"),
        ({"amount": "lots"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"currency": "EURO"}, "currency"),
        ({"due_date": "1 Dec"}, "due_date"),
        ({"debtor_kind": "robot"}, "debtor_kind"),
        ({"payment_methods": ["card", "barter"]}, "payment_methods[2]"),
    ])
    def test_a_malformed_field_is_400_naming_it(self, client, change, field):
        response = client.post(f"{API}/cases", json=invoice(**change))
        assert response.status_code == 400
        assert field in response.json["errors"]
        assert client.get(f"{API}/cases").json["total"] == 0

    def test_a_missing_field_is_400_naming_it(self, client):
        body = invoice()
        del body["debtor_name"]
        response = client.post(f"{API}/cases", json=body)
        assert response.status_code == 400
        assert response.json["errors"] == {"debtor_name": ["Missing data for required field."]}

    @pytest.mark.parametrize(("change", "field"), [
        ({"due_date": "2025-10-01"}, "due_date"),
        ({"debtor_email": "not-an-address"}, "debtor_email"),
        ({"debtor_tax_id": "GB<123>"}, "debtor_tax_id"),
    ])
    def test_an_invalid_value_across_fields_is_400_naming_the_field(self, client, change,
                                                                     field):
        response = client.post(f"{API}/cases", json=invoice(**change))
        assert response.status_code == 400
        assert list(response.json["errors"]) == [field]

    @pytest.mark.parametrize(("change", "field"), [
        ({"occurred_on": "2026-01-02"}, "occurred_on"),
    ])
    def test_a_broken_rule_is_422_naming_the_field(self, client, change, field):
        response = client.post(f"{API}/cases", json=invoice(**change))
        assert response.status_code == 422
        assert list(response.json["errors"]) == [field]


class TestCommands:
    @pytest.mark.parametrize("name", list(COMMANDS))
    def test_a_command_is_recorded_and_shows_in_case_and_timeline(
            self, client, open_case, command, name):
        steps, body, event, shows = COMMANDS[name]
        case_id = open_case(**OPENING.get(name, {}))["case_id"]
        for before, fields in steps:
            command(case_id, before, **fields)
        version = client.get(f"{API}/cases/{case_id}").json["version"]

        response = client.post(f"{API}/cases/{case_id}/{name}", json=body)

        assert response.status_code == 201, response.json
        assert response.headers["Location"] == f"{API}/cases/{case_id}"
        result = response.json
        assert result["case_id"] == case_id
        assert result["version"] == version + 1
        assert result["case"]["version"] == result["version"]
        assert {k: result["case"][k] for k in shows} == shows
        assert client.get(f"{API}/cases/{case_id}").json == result["case"]
        last = timeline(client, case_id)[-1]
        assert (last["type"], last["version"], last["actor"], last["occurred_on"]) == \
            (event, version + 1, ACTOR, TODAY)

    def test_accepts_the_hyphenated_name_and_the_day_given_recorded_by_the_tokens_user(
            self, app, client, open_case):
        case_id = open_case()["case_id"]
        response = app.test_client(user="ann").post(
            f"{API}/cases/{case_id}/record-payment",
            json={"amount": 1000, "method": "card", "occurred_on": "2025-11-20"})  # on time
        assert response.status_code == 201
        assert response.json["case"]["stage"] == "paid"
        events = timeline(client, case_id)
        assert [e["type"] for e in events] == ["CaseOpened", "PaymentReceived", "CasePaid"]
        assert {(e["actor"], e["occurred_on"]) for e in events[1:]} == {("ann", "2025-11-20")}

    @pytest.mark.parametrize("path", ["/cases", "/cases/{case_id}/add_note"])
    def test_refuses_an_actor_in_the_body_and_stores_nothing(self, client, open_case, path):
        case_id = open_case()["case_id"]
        body = {**invoice(), "actor": "mallory"} if path == "/cases" else {
            "text": "hello", "actor": "mallory"}
        response = client.post(API + path.format(case_id=case_id), json=body)
        assert response.status_code == 400
        assert response.json == {"errors": {"actor": ["Unknown field."]}}
        assert len(timeline(client, case_id)) == 1


class TestRefusedCommands:
    @pytest.mark.parametrize(("name", "body", "field"), [
        ("record_payment", {"method": "card"}, "amount"),
        ("record_payment", {"amount": "ten", "method": "card"}, "amount"),
        ("record_payment", {"amount": "0", "method": "card"}, "amount"),
        ("record_payment", {"amount": "10", "method": "barter"}, "method"),
        ("send_reminder", {"channel": "pigeon"}, "channel"),
        ("add_note", {"text": ""}, "text"),
        ("place_hold", {"reason": "x", "until": "soon"}, "until"),
        ("agree_payment_plan", {"instalments": []}, "instalments"),
        ("agree_payment_plan", {"instalments": [{"due_on": "2026-02-01", "amount": "5"},
                                                {"due_on": "2026-03-01"}]},
         "instalments[2].amount"),
        ("record_payment", {"amount": "10", "method": "card", "occurred_on": "today"},
         "occurred_on"),
    ])
    def test_a_malformed_body_is_400_naming_the_field(self, client, open_case, name, body,
                                                      field):
        case_id = open_case()["case_id"]
        response = client.post(f"{API}/cases/{case_id}/{name}", json=body)
        assert response.status_code == 400
        assert field in response.json["errors"]
        assert len(timeline(client, case_id)) == 1

    @pytest.mark.parametrize("body", [
        {"data": "not json", "content_type": "application/json"},
        {"data": "amount=10&method=card", "content_type": "application/x-www-form-urlencoded"},
        {"json": ["amount", "10"]},
        {},
    ])
    def test_a_body_that_is_not_a_json_object_is_400(self, client, open_case, body):
        case_id = open_case()["case_id"]
        response = client.post(f"{API}/cases/{case_id}/record_payment", **body)
        assert response.status_code == 400
        assert list(response.json["errors"]) == ["body"]
        assert client.post(f"{API}/cases", **body).status_code == 400

    @pytest.mark.parametrize(("steps", "name", "body", "field"), [
        ([], "record_payment", {"amount": "1000.01", "method": "card"}, "amount"),
        ([], "refer_to_counsel", {"counsel": "Smith LLP"}, "override_reason"),
        ([], "refer_to_mediation", {"mediator": "M"}, "override_reason"),
        ([], "lift_hold", {}, "case"),
        ([], "conclude_mediation", {"outcome": "agreed"}, "case"),
        ([], "agree_settlement", {"amount": "1000", "pay_by": "2026-02-01"}, "amount"),
        ([], "issue_demand", {"deadline": "2026-01-01", "consequences": "court"},
         "deadline"),
        ([], "add_note", {"text": "later", "occurred_on": "2026-01-02"}, "occurred_on"),
        ([], "waive_penalty", {"kind": "late_fee", "amount": "1", "reason": "x"}, "amount"),
        ([step("place_hold", reason="manual")], "send_reminder", {"channel": "email"},
         "case"),
        ([step("write_off", reason="uncollectable")], "record_delivery",
         {"method": "email"}, "case"),
    ])
    def test_a_broken_rule_is_422_naming_the_field_and_stores_nothing(
            self, client, open_case, command, steps, name, body, field):
        case_id = open_case(**OPENING.get(name, {}))["case_id"]
        for before, fields in steps:
            command(case_id, before, **fields)
        before = client.get(f"{API}/cases/{case_id}").json
        response = client.post(f"{API}/cases/{case_id}/{name}", json=body)
        assert response.status_code == 422
        assert list(response.json["errors"]) == [field]
        assert response.json["errors"][field][0]
        assert client.get(f"{API}/cases/{case_id}").json == before
        assert len(timeline(client, case_id)) == before["version"]

    @pytest.mark.parametrize("case_id", ["00000000-0000-0000-0000-000000000000", "nope"])
    def test_an_unknown_case_is_404(self, client, case_id):
        response = client.post(f"{API}/cases/{case_id}/add_note", json={"text": "hello"})
        assert response.status_code == 404
        assert list(response.json["errors"]) == ["case"]

    @pytest.mark.parametrize("name", ["pay", "open_case", "execute", "record_payment_"])
    def test_an_unknown_command_is_404(self, client, open_case, name):
        case_id = open_case()["case_id"]
        response = client.post(f"{API}/cases/{case_id}/{name}", json={})
        assert response.status_code == 404
        assert list(response.json["errors"]) == ["url"]

    def test_a_post_to_the_timeline_is_405_naming_its_methods(self, client, open_case):
        case_id = open_case()["case_id"]
        response = client.post(f"{API}/cases/{case_id}/timeline", json={})
        assert response.status_code == 405
        assert list(response.json["errors"]) == ["method"]
        assert "POST" not in response.headers["Allow"]


class TestOpenCaseUnderALaw:
    def test_the_case_is_opened_under_the_jurisdiction_given(self, client):
        response = client.post(f"{API}/cases", json=invoice(jurisdiction="germany"))
        assert response.status_code == 201, response.json
        opened = timeline(client, response.json["case_id"])[0]
        assert opened["details"]["jurisdiction"] == "germany"

    def test_england_and_wales_when_left_out(self, client):
        response = client.post(f"{API}/cases", json=invoice())
        opened = timeline(client, response.json["case_id"])[0]
        assert opened["details"]["jurisdiction"] == "england-wales"

    def test_an_unknown_jurisdiction_is_refused_naming_the_field(self, client):
        response = client.post(f"{API}/cases", json=invoice(jurisdiction="france"))
        assert response.status_code == 400
        assert list(response.json["errors"]) == ["jurisdiction"]
