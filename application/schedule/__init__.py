"""The escalation schedule: a policy (the ladder of steps by day) applied to every open case,
once a day, idempotently; steps for a person become tasks.

- `policy`, `policyfile`, `policies`: the ladder as values, read from TOML, per creditor.
- `ladder`: which steps are due on a case today (pure).
- `steps`, `demands`, `interest`: what each step does; `hooks`: the ports it uses.
- `engine`: the run and the preview; `report`: what they did; `tasks`: the tasks' read side.

`build_schedule` is where the hooks are wired (the composition root of the schedule).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from application.schedule.engine import Hooks, Schedule
from application.schedule.messages import MessageSender
from application.schedule.policies import Policies

if TYPE_CHECKING:
    from application.bootstrap import Arrears


def build_schedule(app: Arrears, policies: Policies | None = None,
                   hooks: Hooks | None = None) -> Schedule:
    """The schedule over the app's cases: policies from ARREARS_POLICY_DIR unless given;
    unless hooks are given, reminders go by the app's mailer and SMS transport
    (`messages.MessageSender`), demands get the app's letters, interest is claimed by
    `domain.law`, each case under its own jurisdiction."""
    if hooks is None:
        sender = MessageSender(app.service, app.mailer, app.sms)
        hooks = (Hooks(reminders=sender, letters=app.letters) if app.letters is not None
                 else Hooks(reminders=sender))
    return Schedule(app.service, app.views, policies or Policies.from_env(), hooks)
