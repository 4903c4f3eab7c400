"""Evidence bundles for counsel (features/evidence/evidence_bundle.feature)."""

from pytest_bdd import scenarios

scenarios("evidence/evidence_bundle.feature")
