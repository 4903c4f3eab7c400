"""The composition root: builds the service, the projector, the views and the ports (clock,
mailer, SMS transport) from settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from application.clock import Clock, SystemClock
from application.mail import (
    FileOutbox,
    FileSmsOutbox,
    Mailer,
    SmsTransport,
    mailer_from_env,
    sms_from_env,
)
from application.readmodels.database import make_engine, readmodel_url
from application.readmodels.projector import Projector
from application.readmodels.queries import CaseViews
from application.service import CaseService
from application.settings import database_url


@dataclass
class Arrears:
    """Everything a process needs: the one writer, the projector, the read side, the ports."""

    service: CaseService
    projector: Projector
    views: CaseViews
    mailer: Mailer = field(default_factory=FileOutbox)
    sms: SmsTransport = field(default_factory=FileSmsOutbox)

    @property
    def clock(self) -> Clock:
        return self.service.clock

    def close(self) -> None:
        """Close the event store's connections and the read models' pool."""
        self.service.close()
        self.projector.engine.dispose()


def build(url: str | None = None, *, clock: Clock | None = None, readmodels: str | None = None,
          create_table: bool = True, creditor: str = "", mailer: Mailer | None = None,
          sms: SmsTransport | None = None) -> Arrears:
    """Mail goes by ARREARS_SMTP_* and ARREARS_MAIL_FROM unless a mailer is given."""
    events_url = url or database_url()
    clock = clock or SystemClock()
    service = CaseService(events_url, clock=clock, create_table=create_table,
                          creditor=creditor)
    engine = make_engine(readmodels or readmodel_url(events_url))
    return Arrears(service, Projector(service, engine), CaseViews(engine, clock),
                   mailer or mailer_from_env(), sms or sms_from_env())
