"""The read-model tables. Money is stored as integer minor units (exact on every database)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# Bump when a table or index changes: the projector then drops the read models and
# rebuilds them from the events (the events are the data; read models have no migrations).
SCHEMA_VERSION = 11  # 3: rm_fault; 4: summaries with plurals and promise standings;
# 5: rm_case_attachment; 6: rm_case_access; 7: rm_task and the summary's schedule_steps;
# 8: the summary's limitation, statutory demand and offer
# 9: debtors keyed by tax id, email or name (domain.debtors), rm_debtor's tax_id, name_key
# 10: the summary's held_through; the pages' aggregates rm_case_totals, rm_stage_totals,
#     rm_case_action, rm_action_day (application.readmodels.aggregates, ADR 0033)
# 11: the list's indexes end in invoice_number after due_date (its order, ADR 0042)

schema_version = Table(
    "rm_schema", metadata,
    Column("version", Integer, primary_key=True),
)

tracking = Table(
    "rm_tracking", metadata,
    Column("projection", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

# The event a projection is stuck at (the one after its position), while it cannot apply it.
fault = Table(
    "rm_fault", metadata,
    Column("projection", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("error", Text, nullable=False),
)

case_summary = Table(
    "rm_case_summary", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("creditor", String(200), nullable=False),
    Column("invoice_number", String(100), nullable=False, index=True),
    Column("debtor_key", String(200), nullable=False, index=True),
    Column("debtor_name", String(200), nullable=False),
    Column("debtor_kind", String(20), nullable=False),
    Column("currency", String(3), nullable=False, index=True),
    Column("principal", BigInteger, nullable=False),
    Column("penalties", BigInteger, nullable=False),
    Column("paid", BigInteger, nullable=False),
    Column("waived", BigInteger, nullable=False),
    Column("written_off", BigInteger, nullable=False),
    Column("outstanding", BigInteger, nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),  # ix_rm_summary_by_due
    Column("stage", String(20), nullable=False, index=True),
    Column("is_closed", Boolean, nullable=False, index=True),
    Column("on_hold", Boolean, nullable=False),
    Column("hold_reason", String(100), nullable=False),
    Column("hold_until", Date),
    Column("held_through", Date, nullable=False),  # domain.action_lists.held_through
    Column("next_instalment_due", Date),
    Column("last_contact_on", Date),
    Column("last_reminder_on", Date),
    Column("next_promised_date", Date, index=True),
    Column("demand_deadline", Date),
    Column("schedule_steps", Text, nullable=False),  # the steps passed, space-separated
    Column("limitation_date", Date, index=True),
    Column("limitation_basis", Text, nullable=False, default=""),
    Column("statutory_demand_deadline", Date),
    Column("offer_kind", String(20)),
    Column("offer_amount", BigInteger),  # what the open offer settles for, in minor units
    Column("offer_expires_on", Date),
    Column("opened_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

# Narrow covering indexes: the dashboard's and the list's scans read these, not the table.
# The list's order is (due date, invoice number): with invoice_number right after due_date
# an index gives the first page in order, whatever number of cases share a due date.
Index("ix_rm_summary_by_due", case_summary.c.due_date, case_summary.c.invoice_number)
Index("ix_rm_summary_by_aging", case_summary.c.is_closed, case_summary.c.due_date,
      case_summary.c.invoice_number, case_summary.c.currency, case_summary.c.outstanding)
Index("ix_rm_summary_by_stage", case_summary.c.stage, case_summary.c.due_date,
      case_summary.c.invoice_number)
Index("ix_rm_summary_by_actions", case_summary.c.is_closed, case_summary.c.stage,
      case_summary.c.due_date, case_summary.c.on_hold, case_summary.c.hold_until,
      case_summary.c.hold_reason, case_summary.c.next_instalment_due,
      case_summary.c.next_promised_date, case_summary.c.demand_deadline,
      case_summary.c.last_reminder_on)
Index("ix_rm_summary_by_money", case_summary.c.currency, case_summary.c.is_closed,
      case_summary.c.due_date, case_summary.c.invoice_number, case_summary.c.stage,
      case_summary.c.principal, case_summary.c.penalties, case_summary.c.paid,
      case_summary.c.waived, case_summary.c.written_off, case_summary.c.outstanding)

case_state = Table(
    "rm_case_state", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("topic", String(200), nullable=False),
    Column("state", LargeBinary, nullable=False),
)

debtor = Table(
    "rm_debtor", metadata,
    Column("debtor_key", String(200), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("email", String(200), nullable=False),
    Column("phone", String(50), nullable=False),
    Column("address", Text, nullable=False),
    Column("case_count", Integer, nullable=False),
    Column("tax_id", String(50), nullable=False, server_default=""),
    Column("name_key", String(200), nullable=False, index=True, server_default=""),
)

audit_trail = Table(
    "rm_audit_trail", metadata,
    Column("position", BigInteger, primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("invoice_number", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("event_type", String(60), nullable=False, index=True),
    Column("actor", String(100), nullable=False, index=True),
    Column("occurred_on", Date, nullable=False, index=True),
    Column("recorded_at", String(40), nullable=False, index=True),
    Column("summary", Text, nullable=False),
)

case_timeline = Table(
    "rm_case_timeline", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("occurred_on", Date, nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("summary", Text, nullable=False),
    Column("details", Text, nullable=False),
)

# The documents attached to each case (their bytes are in the blob store, named by sha256).
case_attachment = Table(
    "rm_case_attachment", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("name", String(255), nullable=False),
    Column("media_type", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("description", Text, nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
)
Index("ix_rm_attachment_by_hash", case_attachment.c.case_id, case_attachment.c.sha256)

# Who may read a case besides collectors and auditors: the user named by its latest referral
# to counsel and by its latest referral to mediation (ADR 17). `via`: counsel | mediation.
case_access = Table(
    "rm_case_access", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("via", String(20), primary_key=True),
    Column("user", String(100), nullable=False, index=True),
)

# The tasks the escalation schedule set (domain.tasks), open and done, as the case keeps them.
task = Table(
    "rm_task", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("step", String(40), primary_key=True),
    Column("what", Text, nullable=False),
    Column("due_on", Date, nullable=False, index=True),
    Column("actions", Text, nullable=False),  # the commands that do it, space-separated
    Column("prefill", Text, nullable=False),  # JSON: what their forms open with
    Column("created_on", Date, nullable=False),
    Column("done_on", Date, index=True),
    Column("done_by", String(60), nullable=False),
)

# The pages' aggregates (application.readmodels.aggregates, ADR 0033), kept by the projector
# with the summary so that a page reads a handful of rows whatever the size of the book.
# The case summary's money and counts per group of the list's filter dimensions: each
# group's cases share a currency, a stored stage, closed or not, a due date and the last day
# they are held (domain.action_lists.held_through). Days depend on today only by comparison.
AMOUNT_COLUMNS = ("principal", "penalties", "paid", "waived", "written_off", "outstanding")


def _totals(name: str, *by_date: str) -> Table:
    """A totals table: its group (currency, stage, closed, the `by_date` columns, the last
    day held) and, per group, the count of cases and each amount in minor units."""
    return Table(
        name, metadata,
        Column("currency", String(3), primary_key=True),
        Column("stage", String(20), primary_key=True),
        Column("is_closed", Boolean, primary_key=True),
        *(Column(column, Date, primary_key=True) for column in (*by_date, "held_through")),
        Column("cases", BigInteger, nullable=False),
        *(Column(column, BigInteger, nullable=False) for column in AMOUNT_COLUMNS),
    )


case_totals = _totals("rm_case_totals", "due_date")

# The same without the due date: the figures of filters that compare no date with today
# (the whole book, a currency, a stage other than open or overdue, held or not): a few rows.
stage_totals = _totals("rm_stage_totals")

# The days each case is on each dashboard action list (domain.action_lists.action_windows).
case_action = Table(
    "rm_case_action", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("action", String(30), primary_key=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date),  # None: until the case changes
    Column("due_date", Date, nullable=False),
)
# Covering, for each list's first rows: the windows that do not end (ends_on NULL) in due-date
# order, and those that end within MAX_WINDOW_DAYS of today (a range on ends_on).
Index("ix_rm_case_action_open", case_action.c.action, case_action.c.ends_on,
      case_action.c.due_date, case_action.c.case_id, case_action.c.starts_on)

# The same windows as counts: `delta` cases join the list on `day` (negative: leave it), so
# the cases on a list today are the sum of its deltas up to today (a few hundred rows).
action_day = Table(
    "rm_action_day", metadata,
    Column("action", String(30), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("delta", BigInteger, nullable=False),
)

READ_MODELS = (case_summary, case_state, debtor, audit_trail, case_timeline, case_attachment,
               case_access, task, case_totals, stage_totals, case_action, action_day)
