"""Mediation and legal referral (features/referrals/mediation_and_counsel.feature)."""

from pytest_bdd import scenarios

scenarios("referrals/mediation_and_counsel.feature")
