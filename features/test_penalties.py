"""Late-payment penalties and waivers (features/penalties/late_payment_penalty.feature)."""

from pytest_bdd import scenarios

scenarios("penalties/late_payment_penalty.feature")
