"""The JSON API under /api/v1 (see web/api/*.py)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)
