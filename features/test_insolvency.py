"""A proof of claim in the debtor's insolvency (features/insolvency/proof_of_claim.feature)."""

from pytest_bdd import scenarios

scenarios("insolvency/proof_of_claim.feature")
