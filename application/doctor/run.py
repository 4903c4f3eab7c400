"""Every check, in order; the ones that need the database only when it answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from application.clock import Clock
from application.doctor import database, host, readside, schedule
from application.doctor.checks import Check, Level, fail, worst
from application.readmodels.database import make_engine, readmodel_url
from application.readmodels.status import error_text
from application.service import CaseService

NEEDS_DATABASE = ("tables", "events", "schema", "projection", "schedule")


def examine(url: str, clock: Clock, environ: Mapping[str, str]) -> list[Check]:
    reached = database.reachable(url)
    checks = [reached]
    if reached.level is Level.FAIL:
        checks += [fail(name, "not checked: the database does not answer",
                        "fix the database first") for name in NEEDS_DATABASE]
    else:
        checks += _store(url, clock)
    checks.append(host.disk(host.var_dir(database.sqlite_file(url))))
    checks.append(host.smtp(environ))
    return checks


def _store(url: str, clock: Clock) -> list[Check]:
    service = CaseService(url, clock=clock, create_table=False)
    engine = make_engine(readmodel_url(url))
    try:
        tables = _safely("tables", lambda: database.tables(service))
        if tables.level is Level.FAIL:
            return [tables, *(fail(name, "not checked: the event store's tables are missing",
                                   "create the tables first") for name in NEEDS_DATABASE[1:])]
        return [tables,
                _safely("events", lambda: database.events(service)),
                _safely("schema", lambda: readside.schema(engine)),
                _safely("projection", lambda: readside.projection(service, engine)),
                _safely("schedule", lambda: schedule.last_run(service, clock))]
    finally:
        service.close()
        engine.dispose()


def _safely(name: str, check: Callable[[], Check]) -> Check:
    try:
        return check()
    except Exception as error:  # a check that cannot run is a failed check, never a crash
        return fail(name, f"the check could not run: {error_text(error)}",
                    "see the error; `arrears doctor` again once it is fixed")


def report(checks: list[Check]) -> dict[str, Any]:
    level = worst(checks)
    return {"ok": level is Level.OK, "status": level.value,
            "checks": [check.as_dict() for check in checks]}
