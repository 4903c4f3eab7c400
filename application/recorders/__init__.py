"""The library's recorders, extended: what Arrears stores beside the events, in their transaction.

- idempotency keys (`application.idempotency`): a request's key with its events;
- the hash chain (`application.evidence.chain`): each event's hash, computed here from the
  head the event store passes (or the stored previous hash) and inserted with the event;
- the chain's seals (`arrears chain init`), the signed checkpoints, the snapshot seals;
- triggers refusing UPDATE, DELETE (and on PostgreSQL TRUNCATE) on the event tables.

Selected in `application.settings` (SQLITE_RECORDER, POSTGRES_RECORDER).
"""

from application.recorders.postgres import PostgresRecorder, PostgresSnapshotRecorder
from application.recorders.sqlite import SQLiteRecorder, SQLiteSnapshotRecorder

Recorder = SQLiteRecorder | PostgresRecorder
SnapshotRecorder = SQLiteSnapshotRecorder | PostgresSnapshotRecorder

__all__ = ["PostgresRecorder", "PostgresSnapshotRecorder", "Recorder", "SQLiteRecorder",
           "SQLiteSnapshotRecorder", "SnapshotRecorder"]
