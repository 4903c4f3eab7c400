"""What the CLI prints: JSON for --json, otherwise short text for people."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import click

from application.wording import plural

Record = dict[str, Any]


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def recorded(case: Record, new_events: list[Record], as_json: bool) -> None:
    """After a command: the case's id and version, or the events it recorded."""
    if as_json:
        emit_json({"case_id": case["case_id"], "version": case["version"]})
        return
    click.echo(f"Case {case['invoice_number']} ({case['case_id']}), "
               f"version {case['version']}:")
    for event in new_events:
        click.echo(f"  {event['occurred_on']}  {event['summary']}")


def _money(amount: str, width: int = 12) -> str:
    return f"{Decimal(amount):,}".rjust(width)


def _balance_lines(case: Record) -> list[str]:
    currency, balance = case["currency"], case["balance"]
    rows = [("principal", "principal"), ("+ penalties", "penalties"), ("- paid", "paid"),
            ("- waived", "waived"), ("- written off", "written_off"),
            ("= outstanding", "outstanding")]
    return [f"  {label:<14}{currency} {_money(balance[key])}" for label, key in rows]


def _state_lines(case: Record) -> list[str]:
    lines = []
    if case["on_hold"]:
        lines.append(f"  on hold: {case['hold_reason']}" + (" (disputed)" if case["disputed"]
                                                             else ""))
    if case["next_promised_date"] or case["broken_promises"]:
        lines.append(f"  next promise: {case['next_promised_date'] or '-'}, "
                     f"broken promises: {case['broken_promises']}")
    if case["mediation_open"] and case["stage"] != "in_mediation":
        lines.append("  mediation still open beside the referral")
    if case["demand_deadline"]:
        lines.append(f"  demand deadline: {case['demand_deadline']}")
    lines.append(f"  last contact: {case['last_contact_on'] or '-'}, "
                 f"limitation date: {case['limitation_date']}")
    return lines + _law_lines(case)


def _law_lines(case: Record) -> list[str]:
    """The limitation's basis, a statutory demand served, an offer made."""
    lines = [f"  {case['limitation_basis']}"] if case.get("limitation_basis") else []
    if case.get("statutory_demand_deadline"):
        lines.append(f"  statutory demand: to pay by {case['statutory_demand_deadline']}")
    if offer := case.get("offer"):
        lines.append(f"  offer ({offer['kind']}): {offer['amount']['currency']} "
                     f"{_money(offer['amount']['amount'], 0)} in full settlement, until "
                     f"{offer['expires_on']}")
    return lines


def known_at(record: Record) -> None:
    """The label of a view as known at a recorded time, and how much it leaves out."""
    moment = datetime.fromisoformat(record["as_of"]).strftime("%Y-%m-%d %H:%M:%S UTC")
    later = record["events_later"]
    left_out = (f"; {plural(later, 'event')} recorded later left out" if later
                else "; nothing was recorded after it")
    click.echo(f"As known on {moment}: {plural(record['events_known'], 'event')} recorded "
               f"by then{left_out}.")


def show(case: Record) -> None:
    """A compact summary of a case with its money breakdown."""
    debtor = case["debtor"]
    click.echo(f"Case {case['invoice_number']}  {debtor['name']} ({debtor['kind']})")
    click.echo(f"  id {case['case_id']}, version {case['version']}, "
               f"creditor {case['creditor']}")
    click.echo(f"  stage {case['stage']}, {plural(case['days_overdue'], 'day')} overdue "
               f"(issued {case['issue_date']}, due {case['due_date']})")
    for line in _balance_lines(case) + _state_lines(case):
        click.echo(line)


def _recorded_at(text: str) -> str:
    return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M")


def timeline(events: list[Record]) -> None:
    """A table: occurred on (and back-dated, if so), recorded at (UTC), actor, summary."""
    header = ("occurred on", "recorded at (UTC)", "actor", "summary")
    rows = [(e["occurred_on"] + (" back-dated" if e.get("backdated") else ""),
             _recorded_at(e["recorded_at"]), e["actor"], e["summary"]) for e in events]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[3]]))
