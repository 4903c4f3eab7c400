"""A month-end export becomes cases (features/imports/month_end_export.feature)."""

from pytest_bdd import scenarios

from features.import_steps import *  # noqa: F403 (the import features' steps and fixtures)

scenarios("imports/month_end_export.feature")
