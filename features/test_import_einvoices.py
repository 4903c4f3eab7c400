"""An XRechnung PDF becomes a case (features/imports/xrechnung_pdf.feature)."""

from pytest_bdd import scenarios

from features.import_steps import *  # noqa: F403 (the import features' steps and fixtures)

scenarios("imports/xrechnung_pdf.feature")
