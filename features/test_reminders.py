"""Polite reminders before and after the due date (features/reminders/polite_reminder.feature)."""

from pytest_bdd import scenarios

scenarios("reminders/polite_reminder.feature")
