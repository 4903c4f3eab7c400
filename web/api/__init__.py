"""The JSON API under /api/v1 (see web/api/*.py)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)

# The routes register themselves on `bp` when imported.
from web.api import (  # noqa: E402, F401
    attachments,
    audit,
    cases,
    commands,
    errors,
    openapi,
    overview,
)
