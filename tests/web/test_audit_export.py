"""The audit trail's CSV: the page's rows in the page's order, with each event's details,
in a file named after the filters and the app's today."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient

from application.readmodels.queries import AuditFilter
from tests.web.conftest import TODAY
from tests.web.pages_html import text
from web.pages.audit import COLUMNS, export_name
from web.pages.display import event_details


def page_rows(client: FlaskClient, query: str = "") -> list[tuple[str, str, str]]:
    """(invoice, event type, summary) of each row of the audit page, top to bottom."""
    html = text(client.get(f"/audit?{query}"))
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    rows = re.findall(r'class="invoice"[^>]*>([^<]*)</a></td>\s*'
                      r'<td><span class="event-type">([^<]*)</span></td>\s*<td>([^<]*)</td>',
                      body)
    return [tuple(unescape(cell) for cell in row) for row in rows]


def exported(client: FlaskClient, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/audit.csv?{query}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(text(response))))


class TestTheOrder:
    @pytest.mark.parametrize("query", ["", "case=INV-1003", "actor=bob",
                                       "date_from=2026-01-01"])
    def test_is_the_pages_order_newest_first(self, client: FlaskClient, query: str) -> None:
        shown = page_rows(client, query)
        assert len(shown) > 1
        assert [(r["invoice_number"], r["event_type"], r["summary"])
                for r in exported(client, query)] == shown

    def test_the_newest_event_comes_first(self, client: FlaskClient,
                                          seeded: dict[str, str]) -> None:
        client.post(f"/cases/{seeded['INV-1004']}/add_note", data={"text": "called back"})
        assert exported(client)[0]["summary"] == "Note: called back"


class TestTheDetails:
    def test_each_row_carries_the_details_the_timeline_shows(
            self, app: Flask, client: FlaskClient, seeded: dict[str, str]) -> None:
        views = app.extensions["arrears"].views
        timeline = {(e["case_id"], str(e["version"])): e for e in views.timeline(
            seeded["INV-1003"])}
        rows = exported(client, "case=INV-1003")
        assert len(rows) == len(timeline) == 4
        for row in rows:
            shown = event_details(timeline[(row["case_id"], row["version"])]["details"])
            assert row["details"] == "\n".join(f"{label}: {value}" for label, value in shown)

    def test_the_details_read_as_on_the_page(self, client: FlaskClient) -> None:
        [demand] = exported(client, "event_type=DemandIssued")
        lines = demand["details"].splitlines()
        assert "Deadline: 2026-01-24" in lines
        assert "Consequences: Referral to counsel" in lines
        assert "Amount: GBP 5,070.00" in lines

    def test_the_details_come_after_the_summary(self) -> None:
        assert COLUMNS.index("details") == COLUMNS.index("summary") + 1


class TestTheFileName:
    @pytest.mark.parametrize(("query", "name"), [
        ("", "audit-2026-03-02.csv"),
        ("actor=bob&event_type=CasePaid", "audit-2026-03-02-actor-bob-type-CasePaid.csv"),
        ("case=INV-1003&date_from=2026-01-01&date_to=2026-01-31",
         "audit-2026-03-02-case-INV-1003-from-2026-01-01-to-2026-01-31.csv"),
        ("event_type=Teleported", "audit-2026-03-02.csv"),  # an ignored filter names nothing
    ])
    def test_names_the_filters_and_todays_date(self, client: FlaskClient, query: str,
                                               name: str) -> None:
        response = client.get(f"/audit.csv?{query}")
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'

    def test_today_is_the_apps_clock(self, app: Flask, client: FlaskClient) -> None:
        app.extensions["arrears"].clock.advance(days=30)
        assert client.get("/audit.csv").headers["Content-Disposition"] == \
            'attachment; filename="audit-2026-04-01.csv"'

    @pytest.mark.parametrize(("actor", "part"), [
        ('Zoë "the boss" O\'Brien', "actor-Zoe_the_boss_O_Brien"),
        ("../../etc/passwd", "actor-etc_passwd"),
        ("ann\r\nSet-Cookie: x=1", "actor-ann_Set-Cookie_x_1"),
        ("///", "actor-_"),
    ])
    def test_keeps_only_safe_characters(self, actor: str, part: str) -> None:
        assert export_name(AuditFilter(actor=actor), TODAY) == f"audit-2026-03-02-{part}.csv"

    def test_a_long_filter_is_cut_short(self) -> None:
        name = export_name(AuditFilter(actor="a" * 100, case="b" * 100), TODAY)
        assert name == f"audit-2026-03-02-actor-{'a' * 40}-case-{'b' * 40}.csv"
