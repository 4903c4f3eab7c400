"""The store as a file and back: `arrears export`, `arrears import`, `arrears backup`.

An export is JSON Lines (`format.py`): a header, every event in notification order with its
chain hash and the previous one, the idempotency keys and checkpoints, and a trailer with
the counts and the store digest's root. An import checks the whole file (`verify.py`) before
it writes anything, then writes it into an empty store in one transaction (`load.py`),
keeping each event's notification id, so the digest, checkpoints and read models of the
copy are those of the original. `backup.py` copies a live SQLite file with SQLite's
backup API.
"""
