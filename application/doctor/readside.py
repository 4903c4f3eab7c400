"""The read models: their schema version, and how far behind the event log they are."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, select

from application.doctor.checks import Check, fail, ok, warn
from application.readmodels.projector import NAME
from application.readmodels.status import Fault, Status
from application.readmodels.tables import SCHEMA_VERSION, fault, schema_version, tracking
from application.service import CaseService

REBUILD = "`arrears projections rebuild`, or start the projection worker (`arrears project`)"


def _has(engine: Engine, table: str) -> bool:
    """Whether the table exists (in the schema `?schema=` names, on PostgreSQL)."""
    translate = engine.get_execution_options().get("schema_translate_map") or {}
    return inspect(engine).has_table(table, schema=translate.get(None))


def schema(engine: Engine) -> Check:
    """The read models exist at this version's schema."""
    if not _has(engine, schema_version.name):
        return warn("schema", "the read models are not created yet", REBUILD,
                    expected=SCHEMA_VERSION, found=None)
    with engine.connect() as conn:
        found = conn.execute(select(schema_version.c.version)).scalar()
    if found != SCHEMA_VERSION:
        return warn("schema", f"the read models are at schema {found}, this version "
                    f"uses {SCHEMA_VERSION}", f"they are rebuilt from the events on the next "
                    f"start of the app or worker, or by {REBUILD}",
                    expected=SCHEMA_VERSION, found=found)
    return ok("schema", f"read-model schema {SCHEMA_VERSION}", expected=SCHEMA_VERSION,
              found=found)


def projection(service: CaseService, engine: Engine) -> Check:
    """The projection's lag, and the event it is stuck at."""
    status = _status(service, engine)
    details = {k: v for k, v in status.as_dict().items() if k != "name"}
    if status.fault:
        return fail("projection", f"{status.describe()}",
                    "the views hold every event before it; fix the cause (README, When the "
                    "views are behind), then `arrears projections rebuild`", **details)
    if status.lag:
        return warn("projection", status.behind, "is the projection worker running? "
                    "(`systemctl status arrears-worker`, or `arrears project`)", **details)
    return ok("projection", f"up to date at event #{status.position}", **details)


def _status(service: CaseService, engine: Engine) -> Status:
    head = service.recorder.max_notification_id() or 0
    if not _has(engine, tracking.name):
        return Status(NAME, 0, head)
    with engine.connect() as conn:
        position = conn.execute(select(tracking.c.position)
                                .where(tracking.c.projection == NAME)).scalar() or 0
        row = conn.execute(select(fault).where(fault.c.projection == NAME)).first() \
            if _has(engine, fault.name) else None
    stuck = Fault(row.position, row.case_id, row.version, row.event_type, row.error) \
        if row is not None and row.position > position else None
    return Status(NAME, position, head, stuck)
