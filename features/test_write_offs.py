"""A write-off when the debtor has vanished (features/write_offs/vanished_debtor.feature)."""

from pytest_bdd import scenarios

scenarios("write_offs/vanished_debtor.feature")
