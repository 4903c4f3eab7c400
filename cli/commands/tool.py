"""The tool's own commands: load the demo data set, serve the web app."""

from __future__ import annotations

import click

from application.demo import CASES, DEMO_PASSWORD, DEMO_USERS, load_demo
from application.wording import plural
from cli import output
from cli.casecommand import command
from cli.options import creditor_option, json_option
from cli.runtime import service

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def load_demo_cases(creditor: str, as_json: bool) -> None:
    """Load the demo data set and the demo users.

    About twenty cases of British and EU debtors in GBP and EUR, covering every
    stage and aging bucket, dated back from today (ARREARS_TODAY fixes it), and
    one user per role, all with the demo password (both printed). Running it
    again adds nothing.
    """
    svc = service()
    opened = load_demo(svc, svc.clock.today(), creditor)
    users = [{"name": name, "role": role.value} for name, role in DEMO_USERS.items()]
    if as_json:
        output.emit_json({"opened": opened, "skipped": len(CASES) - opened, "users": users,
                          "password": DEMO_PASSWORD})
        return
    if opened:
        click.echo(f"Opened {plural(opened, 'demo case')} for {creditor}.")
    else:
        click.echo(f"The demo data set is already loaded for {creditor}: nothing added.")
    click.echo(f"Sign in as any demo user with the password {DEMO_PASSWORD}:")
    for user in users:
        click.echo(f"  {user['name']:<12} {user['role']}")


@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=5000, envvar="PORT", show_default=True,
              show_envvar=True, help="Port to listen on.")
def serve_web(host: str, port: int) -> None:
    """Serve the web app with waitress.

    Listens on --host and --port ($PORT, default 5000); events from
    ARREARS_DATABASE_URL. Session cookies are sent over HTTPS only, except on a
    loopback --host (plain-HTTP development) unless ARREARS_SECURE_COOKIES=1
    (behind a TLS proxy on the same machine).
    """
    import os

    import waitress

    from web import create_app

    config = {}
    if host in LOOPBACK and os.environ.get("ARREARS_SECURE_COOKIES", "").strip() != "1":
        config["SESSION_COOKIE_SECURE"] = False
    waitress.serve(create_app(config), host=host, port=port)


demo = command("demo", load_demo_cases, load_demo_cases,
               after=[creditor_option(), json_option()])
serve = command("serve", serve_web, serve_web)

COMMANDS = [demo, serve]
