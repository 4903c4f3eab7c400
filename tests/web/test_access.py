"""Who may open what: every page route and every API operation × every role × signed out ×
a case referred or not referred to the counsel user, as the README's table says; and no page
shows a counsel user anything of a case not referred to them.

Counsel user carol.counsel is named by the referral of INV-1003 (Bright Wholesale plc) to
counsel. INV-1008, another invoice of Bright Wholesale plc, is referred to nobody.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask

from application.attachments.policy import Upload
from tests.bank_files import Entry, camt
from tests.commands import execute
from tests.web.conftest import Seeder
from tests.web.pages_html import field_error, invoices, text

ROLES = {"anonymous": None, "admin": "ada.admin", "collector": "web-test",
         "counsel": "carol.counsel", "auditor": "otto.auditor"}
OK, SIGN_IN, NO_TOKEN, DENIED, NOT_FOUND = 200, 302, 401, 403, 404
CREATED, SEE_OTHER, UNPROCESSABLE = 201, 303, 422
API = "/api/v1"


def row(anonymous: int, admin: int, collector: int, counsel: int | tuple[int, int],
        auditor: int) -> dict[str, tuple[int, int]]:
    """Expected statuses by role, each for (a referred case, a case not referred)."""
    by_role = {"anonymous": anonymous, "admin": admin, "collector": collector,
               "counsel": counsel, "auditor": auditor}
    return {role: s if isinstance(s, tuple) else (s, s) for role, s in by_role.items()}


# The README's table (Users and access), one row per route: (method, path, body) → statuses.
# {case} is INV-1003 (referred to carol.counsel) or INV-1008 (not referred); {debtor} its
# debtor's key for the referred variant, a debtor with no referred case otherwise.
PAGE = row(SIGN_IN, DENIED, OK, OK, OK)
MATRIX: dict[str, tuple[str, str, dict[str, tuple[int, int]]]] = {
    "cases.index /": ("GET", "/", PAGE),
    "cases.index": ("GET", "/cases", PAGE),
    "dashboard.index": ("GET", "/dashboard", PAGE),
    "dashboard.aging_svg": ("GET", "/dashboard/aging.svg", PAGE),
    "case.show": ("GET", "/cases/{case}", row(SIGN_IN, DENIED, OK, (OK, NOT_FOUND), OK)),
    "debtors.show": ("GET", "/debtors/{debtor}", row(SIGN_IN, DENIED, OK, (OK, NOT_FOUND),
                                                     OK)),
    "opening.new": ("GET", "/cases/new", row(SIGN_IN, DENIED, OK, DENIED, DENIED)),
    "opening.create": ("POST", "/cases/new", row(SIGN_IN, DENIED, SEE_OTHER, DENIED, DENIED)),
    "case.command": ("POST", "/cases/{case}/add_note",
                     row(SIGN_IN, DENIED, SEE_OTHER, DENIED, DENIED)),
    "audit.index": ("GET", "/audit", row(SIGN_IN, DENIED, OK, DENIED, OK)),
    "audit.export": ("GET", "/audit.csv", row(SIGN_IN, DENIED, OK, DENIED, OK)),
    "users.index": ("GET", "/users", row(SIGN_IN, OK, DENIED, DENIED, DENIED)),
    "auth.login": ("GET", "/login", row(OK, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN)),
    "auth.sign_in": ("POST", "/login", row(NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN)),
    "auth.logout": ("POST", "/logout", row(SIGN_IN, SEE_OTHER, SEE_OTHER, SEE_OTHER,
                                           SEE_OTHER)),
    "healthz": ("GET", "/healthz", row(OK, OK, OK, OK, OK)),
    "static": ("GET", "/static/arrears.css", row(OK, OK, OK, OK, OK)),
    "api.list_cases": ("GET", f"{API}/cases", row(NO_TOKEN, DENIED, OK, OK, OK)),
    "api.dashboard": ("GET", f"{API}/dashboard", row(NO_TOKEN, DENIED, OK, OK, OK)),
    "api.case": ("GET", f"{API}/cases/{{case}}", row(NO_TOKEN, DENIED, OK, (OK, NOT_FOUND),
                                                      OK)),
    "api.timeline": ("GET", f"{API}/cases/{{case}}/timeline",
                     row(NO_TOKEN, DENIED, OK, (OK, NOT_FOUND), OK)),
    "api.debtor": ("GET", f"{API}/debtors/{{debtor}}",
                   row(NO_TOKEN, DENIED, OK, (OK, NOT_FOUND), OK)),
    "api.open_case_for_invoice": ("POST", f"{API}/cases",
                                  row(NO_TOKEN, DENIED, CREATED, DENIED, DENIED)),
    "api.command": ("POST", f"{API}/cases/{{case}}/add_note",
                    row(NO_TOKEN, DENIED, CREATED, DENIED, DENIED)),
    "api.audit": ("GET", f"{API}/audit", row(NO_TOKEN, DENIED, OK, DENIED, OK)),
    "api.openapi": ("GET", f"{API}/openapi.json", row(OK, OK, OK, OK, OK)),
    "attachments.upload": ("POST", "/cases/{case}/attach_document",
                           row(SIGN_IN, DENIED, SEE_OTHER, DENIED, DENIED)),
    "attachments.download": ("GET", "/cases/{case}/attachments/{sha}",
                             row(SIGN_IN, DENIED, OK, (OK, NOT_FOUND), OK)),
    "evidence.download": ("GET", "/cases/{case}/evidence.zip",
                          row(SIGN_IN, DENIED, OK, (OK, NOT_FOUND), OK)),
    "letters.download": ("GET", "/cases/{case}/letters/{letter}.pdf",
                         row(SIGN_IN, DENIED, OK, (OK, NOT_FOUND), OK)),
    "mail.send": ("POST", "/cases/{case}/reminders/send",
                  row(SIGN_IN, DENIED, SEE_OTHER, DENIED, DENIED)),
    "api.attachments": ("GET", f"{API}/cases/{{case}}/attachments",
                        row(NO_TOKEN, DENIED, OK, (OK, NOT_FOUND), OK)),
    "api.attach": ("POST", f"{API}/cases/{{case}}/attachments",
                   row(NO_TOKEN, DENIED, CREATED, DENIED, DENIED)),
    "imports.new": ("GET", "/imports/new", row(SIGN_IN, DENIED, OK, DENIED, DENIED)),
    "imports.create": ("POST", "/imports/new", row(SIGN_IN, DENIED, OK, DENIED, DENIED)),
    "statements.new": ("GET", "/payments/import", row(SIGN_IN, DENIED, OK, DENIED, DENIED)),
    "statements.create": ("POST", "/payments/import",
                          row(SIGN_IN, DENIED, OK, DENIED, DENIED)),
    "api.attachment": ("GET", f"{API}/cases/{{case}}/attachments/{{sha}}",
                       row(NO_TOKEN, DENIED, OK, (OK, NOT_FOUND), OK)),
    "payments.unmatched": ("GET", "/payments/unmatched",
                           row(SIGN_IN, DENIED, OK, DENIED, DENIED)),
    # No credit is queued in the matrix's store: the collector's request finds none (404).
    "payments.assign_credit": ("POST", "/payments/feedfeedfeedfeed/assign",
                               row(SIGN_IN, DENIED, NOT_FOUND, DENIED, DENIED)),
    "payments.mark_not_ours": ("POST", "/payments/feedfeedfeedfeed/not-ours",
                               row(SIGN_IN, DENIED, NOT_FOUND, DENIED, DENIED)),
    "debtors.hold": ("POST", "/debtors/hold/{debtor}",
                     row(SIGN_IN, DENIED, SEE_OTHER, DENIED, DENIED)),
    "debtors.release": ("POST", "/debtors/release/{debtor}",  # not on hold: refused
                        row(SIGN_IN, DENIED, UNPROCESSABLE, DENIED, DENIED)),
    "debtors.statement": ("GET", "/debtors/statement/{debtor}",
                          row(SIGN_IN, DENIED, OK, (OK, NOT_FOUND), OK)),
    "debtors.statement_as_pdf": ("GET", "/debtors/statement-pdf/{debtor}",
                                 row(SIGN_IN, DENIED, OK, (OK, NOT_FOUND), OK)),
}
# The document every case of the matrix has attached (its downloads are rows above).
NOTE = b"Called the debtor; they will pay on Friday.\n"
NOTE_SHA = hashlib.sha256(NOTE).hexdigest()


@pytest.fixture
def referred(app: Flask, seeder: Seeder) -> dict[str, str]:
    """INV-1003 referred to counsel carol.counsel; INV-1008 of the same debtor, not referred."""
    service = app.extensions["arrears"].service
    execute(service, UUID(seeder.ids["INV-1003"]), "refer_to_counsel", actor="ann",
            occurred_on=date(2026, 2, 1), counsel="Lowe LLP", user="carol.counsel")
    seeder.open("INV-1008", "Bright Wholesale plc", "900.00", "GBP", date(2026, 1, 5),
                date(2026, 2, 4))
    for invoice in ("INV-1003", "INV-1008"):
        app.extensions["arrears"].attachments.attach(
            Upload("call-note.txt", NOTE), case_id=UUID(seeder.ids[invoice]), actor="ann")
        # A reminder by post: its letter is the row letters.download (its version).
        seeder.ids[f"{invoice} letter"] = str(execute(
            service, UUID(seeder.ids[invoice]), "send_reminder", actor="ann",
            occurred_on=date(2026, 2, 10), channel="letter"))
    app.extensions["arrears"].projector.catch_up()
    return seeder.ids


def body(path: str, method: str) -> dict[str, Any]:
    if method != "POST":
        return {}
    if path.endswith("/add_note"):
        return {"text": "Looked at it"}
    if path in ("/cases/new", f"{API}/cases"):
        return {"invoice_number": f"M-{uuid4().hex[:8]}", "debtor_name": "Matrix Ltd",
                "amount": "10", "currency": "EUR", "issue_date": "2026-01-01",
                "due_date": "2026-01-31"}
    if path == "/login":
        return {"name": "nobody", "password": "wrong password"}
    if path.endswith(("/attach_document", "/attachments")):
        return {"file": (io.BytesIO(f"Another note {uuid4()}".encode()), "note.txt")}
    if path == "/imports/new":
        number = f"M-{uuid4().hex[:8]}"
        csv = (b"invoice_number,debtor_name,issue_date,due_date,currency,amount_due\n"
               + f"{number},Matrix Ltd,2026-01-01,2026-01-31,EUR,10\n".encode())
        return {"file": (io.BytesIO(csv), "open.csv")}
    if path == "/payments/import":  # a debit only: nothing is matched, nothing stored
        statement = camt([Entry("10.00", ref=f"M-{uuid4().hex[:8]}", direction="DBIT")])
        return {"file": (io.BytesIO(statement.encode()), "statement.xml")}
    if path.endswith("/reminders/send"):
        return {"level": "after_due"}
    if path.startswith("/debtors/hold/"):
        return {"reason": "insolvency proceedings"}
    return {}


def status(app: Flask, role: str, method: str, path: str) -> int:
    client = app.test_client(user=ROLES[role])
    data = body(path, method)
    if method == "GET":
        with client.get(path) as response:  # a static file's stream is closed
            return response.status_code
    if path.startswith(API) and "file" in data:
        return client.post(path, data=data, content_type="multipart/form-data").status_code
    if path.startswith(API):
        return client.post(path, json=data).status_code
    # Failed sign-ins are limited per address: each request here comes from its own.
    status.calls = getattr(status, "calls", 0) + 1
    address = f"127.0.{status.calls // 250}.{status.calls % 250 + 2}"
    return client.post(path, data=data, environ_base={"REMOTE_ADDR": address}).status_code


class TestWhatPagesOffer:
    @pytest.mark.parametrize(("user", "offered"), [
        ("web-test", {"/cases", "/dashboard", "/audit", "/cases/new"}),
        ("carol.counsel", {"/cases", "/dashboard"}),
        ("otto.auditor", {"/cases", "/dashboard", "/audit"}),
        ("ada.admin", {"/users"})])
    def test_links_only_to_what_the_role_may_open(self, app: Flask, referred: dict[str, str],
                                                  user: str, offered: set[str]) -> None:
        page = "/users" if user == "ada.admin" else "/cases"
        html = text(app.test_client(user=user).get(page))
        links = {"/cases", "/dashboard", "/audit", "/cases/new", "/users"}
        assert {link for link in links if f'href="{link}"' in html} == offered


class TestTheMatrix:
    def test_every_route_has_a_row(self, app: Flask) -> None:
        endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
        assert endpoints == {name.split(" ")[0] for name in MATRIX}

    @pytest.mark.parametrize("name", list(MATRIX))
    def test_each_role_gets_what_the_table_says(self, app: Flask, referred: dict[str, str],
                                                name: str) -> None:
        method, template, expected = MATRIX[name]
        variants = (("INV-1003", "bright wholesale plc"), ("INV-1008", "acme trading ltd"))
        found = {}
        for role in ROLES:
            found[role] = tuple(
                status(app, role, method, template.format(case=referred[case], debtor=debtor,
                                                         sha=NOTE_SHA,
                                                         letter=referred[f"{case} letter"]))
                for case, debtor in variants)
        assert found == expected

    def test_signed_out_pages_go_to_sign_in_and_come_back(self, app: Flask,
                                                          referred: dict[str, str]) -> None:
        response = app.test_client(user=None).get("/cases?stage=demanded")
        assert response.headers["Location"] == "/login?next=/cases?stage%3Ddemanded"

    def test_the_api_asks_for_a_bearer_token(self, app: Flask) -> None:
        response = app.test_client(user=None).get(f"{API}/cases")
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="arrears"'
        assert "Authorization: Bearer" in response.json["errors"]["authorization"][0]

    def test_a_role_without_the_permission_learns_nothing_of_the_case(
            self, app: Flask, referred: dict[str, str]) -> None:
        admin = app.test_client(user="ada.admin")
        known = admin.get(f"/cases/{referred['INV-1003']}")
        unknown = admin.get(f"/cases/{uuid4()}")
        assert known.status_code == unknown.status_code == 403
        assert "Bright" not in text(known)


OTHERS = ["INV-1001", "INV-1002", "INV-1004", "INV-1005", "INV-1006", "INV-1007", "INV-1008"]
OTHER_DEBTORS = ["Acme Trading", "Carla Jensen", "Delta Foods", "Echo Media", "Fern Logistics"]


class TestCounselSeesOnlyTheirCases:
    @pytest.fixture
    def counsel(self, app: Flask, referred: dict[str, str]) -> Any:
        return app.test_client(user="carol.counsel")

    def leaks(self, body: str, ids: dict[str, str]) -> list[str]:
        return [w for w in [*OTHERS, *OTHER_DEBTORS, *(ids[n] for n in OTHERS)] if w in body]

    @pytest.mark.parametrize("path", ["/", "/cases", "/dashboard", "/dashboard/aging.svg",
                                      "/debtors/bright wholesale plc",
                                      "/cases/{INV-1003}", "/cases?q=INV",
                                      f"{API}/cases", f"{API}/dashboard",
                                      f"{API}/debtors/bright wholesale plc",
                                      f"{API}/cases/{{INV-1003}}/timeline"])
    def test_no_page_shows_another_case(self, counsel: Any, referred: dict[str, str],
                                        path: str) -> None:
        response = counsel.get(path.replace("{INV-1003}", referred["INV-1003"]))
        assert response.status_code == 200
        assert self.leaks(text(response), referred) == []

    def test_the_list_and_the_debtor_show_the_referred_case(self, counsel: Any) -> None:
        assert "INV-1003" in text(counsel.get("/cases"))
        debtor = counsel.get(f"{API}/debtors/bright wholesale plc").json
        assert [c["invoice_number"] for c in debtor["cases"]] == ["INV-1003"]
        assert debtor["totals"]["GBP"]["outstanding"] == "5070.00"

    def test_the_dashboard_counts_only_the_referred_case(self, counsel: Any) -> None:
        dashboard = counsel.get(f"{API}/dashboard").json
        assert sum(dashboard["stages"].values()) == 1
        assert dashboard["currencies"] == ["GBP"]

    def test_a_lookup_of_another_invoice_finds_nothing(self, counsel: Any) -> None:
        assert counsel.get(f"{API}/cases?invoice=INV-1001").json["total"] == 0
        response = counsel.get("/cases?q=INV-1001&go=1")  # no redirect to the case
        assert response.status_code == 200
        assert invoices(text(response)) == []

    def test_the_case_page_has_no_forms(self, counsel: Any, referred: dict[str, str]) -> None:
        html = text(counsel.get(f"/cases/{referred['INV-1003']}"))
        assert 'method="post" action="/cases/' not in html
        assert "Lowe LLP" in html

    def test_a_later_referral_to_other_counsel_ends_the_access(
            self, app: Flask, counsel: Any, referred: dict[str, str]) -> None:
        arrears = app.extensions["arrears"]
        arrears.service.users.add("dan.counsel", "counsel", "a test password", actor="ops")
        execute(arrears.service, UUID(referred["INV-1003"]), "refer_to_counsel", actor="ann",
                occurred_on=date(2026, 2, 10), counsel="Other LLP", user="dan.counsel")
        arrears.projector.catch_up()
        assert counsel.get(f"/cases/{referred['INV-1003']}").status_code == 404
        other = app.test_client(user="dan.counsel")
        assert other.get(f"/cases/{referred['INV-1003']}").status_code == 200

    def test_access_is_rebuilt_from_the_events(self, app: Flask, counsel: Any,
                                               referred: dict[str, str]) -> None:
        app.extensions["arrears"].projector.rebuild()
        assert counsel.get(f"/cases/{referred['INV-1003']}").status_code == 200
        assert counsel.get(f"/cases/{referred['INV-1008']}").status_code == 404


class TestTheReferralFormNamesTheUser:
    def test_records_the_counsel_user_who_then_sees_the_case(self, app: Flask,
                                                             seeded: dict[str, str]) -> None:
        case_id = seeded["INV-1003"]  # demanded
        response = app.test_client().post(f"/cases/{case_id}/refer_to_counsel", data={
            "counsel": "Lowe LLP", "user": "carol.counsel"})
        assert response.status_code == 303
        last = app.extensions["arrears"].service.history(UUID(case_id))[-1]
        assert (last["type"], last["data"]["user"]) == ("LegalReferral", "carol.counsel")
        assert app.test_client(user="carol.counsel").get(f"/cases/{case_id}").status_code == 200

    def test_a_user_who_is_not_counsel_is_refused_beside_the_field(
            self, app: Flask, seeded: dict[str, str]) -> None:
        case_id = seeded["INV-1003"]
        response = app.test_client().post(f"/cases/{case_id}/refer_to_mediation", data={
            "mediator": "M Ltd", "user": "otto.auditor"})
        assert response.status_code == 422
        assert field_error(text(response), "refer_to_mediation-user") == (
            "'otto.auditor' has the role auditor, not counsel: a referral names a counsel "
            "user")
        assert len(app.extensions["arrears"].service.history(UUID(case_id))) == 4  # as seeded
