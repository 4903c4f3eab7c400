"""Tamper evidence: every case's events are hash-chained, the store's heads are signed.

- `canonical`: the canonical JSON an event's hash covers (documented in ADR 0016).
- `chain`: hash_n = SHA-256(hash_{n-1} || canonical bytes of event n), checked on every load.
- `store`: the event store and snapshot store that check the chain (used by CaseService).
- `merkle`: RFC 6962 Merkle trees over the case heads; `digest`: the signed store digest.
- `keys`: the installation's Ed25519 key; `checkpoints`: saved signed tree heads,
  optionally time-stamped by an RFC 3161 authority (`tsa`).
- `verify`: the whole store checked, alone or against a checkpoint; `sealing`: `chain init`.
"""
