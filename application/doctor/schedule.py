"""The daily schedule's last run, as the store knows it.

A run records each step it takes under the idempotency key `schedule:<case>:<step>:<day>`
(application.schedule.engine), with the time it was stored; the newest such key is the last
run that took a step. A run with nothing due leaves no trace, so a quiet spell is a warning,
not a failure.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from application.clock import Clock
from application.doctor.checks import Check, ok, warn
from application.service import CaseService
from application.transfer.tables import tables_of

STALE_AFTER = timedelta(days=3)  # a daily run, a weekend without steps due
TIMER = ("run `arrears schedule run` every day (deploy/arrears-schedule.timer, or cron: "
         "README, Running for a firm)")


def last_run(service: CaseService, clock: Clock) -> Check:
    keys = [row for row in tables_of(service.chain_recorder).keys()
            if str(row["idempotency_key"]).startswith("schedule:")]
    if not keys:
        return warn("schedule", "the schedule has not recorded a step yet", TIMER,
                    last_step_at=None, last_day=None)
    newest = max(keys, key=lambda row: _at(row["recorded_at"]))
    at = _at(newest["recorded_at"])
    day = str(newest["idempotency_key"]).rsplit(":", 1)[-1]
    details = {"last_step_at": at.isoformat(), "last_day": day}
    if clock.now() - at > STALE_AFTER:
        return warn("schedule", f"the schedule last recorded a step on {at.date().isoformat()}",
                    f"if steps were due since, the daily run is not running: {TIMER}",
                    **details)
    return ok("schedule", f"last step recorded {at.isoformat(timespec='minutes')} "
                          f"(run for {day})", **details)


def _at(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
