"""Keeps the read models following new events while a process runs."""

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
            try:
                self.projector.catch_up()
            except Exception:  # keep following; the next round retries from the position
                log.exception("projection catch-up failed; retrying")
            self._wake.wait(self.interval)
            self._wake.clear()
