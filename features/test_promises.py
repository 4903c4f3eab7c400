"""A logged call with a promise to pay, kept or broken (features/calls/promise_to_pay.feature)."""

from pytest_bdd import scenarios

scenarios("calls/promise_to_pay.feature")
