"""The composition root: builds the service, the projector and the views from settings."""

from __future__ import annotations

from dataclasses import dataclass

from application.clock import Clock, SystemClock
from application.readmodels.database import make_engine, readmodel_url
from application.readmodels.projector import Projector
from application.readmodels.queries import CaseViews
from application.schedule.tasks import TaskViews
from application.service import CaseService
from application.settings import database_url


@dataclass
class Arrears:
    """Everything a process needs: the one writer, the projector and the read side."""

    service: CaseService
    projector: Projector
    views: CaseViews

    @property
    def clock(self) -> Clock:
        return self.service.clock

    @property
    def tasks(self) -> TaskViews:
        """The schedule's tasks (a read model beside the case summary)."""
        return TaskViews(self.projector.engine, self.clock)

    def close(self) -> None:
        """Close the event store's connections and the read models' pool."""
        self.service.close()
        self.projector.engine.dispose()


def build(url: str | None = None, *, clock: Clock | None = None, readmodels: str | None = None,
          create_table: bool = True, creditor: str = "") -> Arrears:
    events_url = url or database_url()
    clock = clock or SystemClock()
    service = CaseService(events_url, clock=clock, create_table=create_table,
                          creditor=creditor)
    engine = make_engine(readmodels or readmodel_url(events_url))
    return Arrears(service, Projector(service, engine), CaseViews(engine, clock))
