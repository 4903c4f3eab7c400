"""Keeps the read models following new events while a process runs.

An event the projector cannot apply is not an error here: the projector stops at it, logs
it once and retries it quietly each round. A failing database is logged with its traceback
the first time, then once more only when the error changes or when it recovers.
"""

from __future__ import annotations

import logging
import threading

from application.readmodels.projector import Projector

log = logging.getLogger(__name__)


class Follower:
    """A daemon thread that catches up now, then every `interval` seconds or when woken."""

    def __init__(self, projector: Projector, interval: float = 1.0) -> None:
        self.projector = projector
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="arrears-follower", daemon=True)
        self._failing = ""

    def start(self) -> Follower:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._round()
            self._wake.wait(self.interval)
            self._wake.clear()

    def _round(self) -> None:
        try:
            self.projector.catch_up()
        except Exception as error:  # keep following; the next round retries from the position
            said = f"{type(error).__name__}: {error}"
            if said != self._failing:
                log.exception("projection catch-up failed; retrying every %ss", self.interval)
            self._failing = said
            return
        if self._failing:
            log.info("projection catch-up works again")
            self._failing = ""
