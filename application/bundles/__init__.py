"""Evidence bundles: the zip a lawyer takes away, and its offline check (ADR 0020).

A bundle holds the chronology (PDF and HTML), the case's events as JSON lines with their
chain hashes, every attachment, the public key, SHA256SUMS, a README and a manifest of
SHA-256 hashes signed with Ed25519. `produce.deliver` makes one and records that it was
made; `verify.verify_bundle` checks one with nothing but the zip. The ports it needs
(signer, chain, attachments) are in `ports`; `wiring` says which adapters are used.
"""
