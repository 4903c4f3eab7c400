"""The case page's evidence bundle: a download, recorded on the case like every other fact."""

from __future__ import annotations

import logging
import re
import tempfile
from uuid import UUID

from flask import Blueprint, Response, abort, current_app, request, send_file

from application.bundles.ports import BundleSources
from application.bundles.produce import BundleRefused, deliver
from application.bundles.wiring import bundle_sources
from application.errors import CaseNotFound, ConcurrentWrite
from domain.bundles import Interface
from web.context import arrears, catch_up

bp = Blueprint("evidence", __name__)
log = logging.getLogger(__name__)

IN_MEMORY = 16 << 20  # bundles up to 16 MiB stay in memory; larger ones go to a temp file
UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def sources() -> BundleSources:
    """This app's bundle sources, built once: BUNDLE_SOURCES from the config, else the
    installation's (`application.bundles.wiring`; key file SIGNING_KEY, else
    ARREARS_SIGNING_KEY)."""
    found = current_app.extensions.get("arrears_bundles")
    if found is None:
        found = current_app.config.get("BUNDLE_SOURCES") or bundle_sources(
            arrears().service, current_app.config.get("SIGNING_KEY"))
        current_app.extensions["arrears_bundles"] = found
    return found


@bp.get("/cases/<case_id>/evidence.zip")
def download(case_id: str) -> Response:
    """The case's evidence bundle as a zip; the download is recorded on the case (who, the
    zip's SHA-256, its files). Refused (403) when another site asks for it."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)
    try:
        case_uuid = UUID(case_id)
    except ValueError:
        abort(404)
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
    try:
        produced, _ = deliver(arrears().service, sources(), case_uuid, out,
                              actor=current_app.config["ACTOR"], interface=Interface.WEB)
    except CaseNotFound:
        out.close()
        abort(404)
    except (BundleRefused, ConcurrentWrite) as error:
        out.close()
        log.warning("evidence bundle of case %s refused: %s", case_id, error)
        abort(409, description=str(error))
    catch_up()  # the case page shows the download at once
    out.seek(0)
    name = UNSAFE.sub("_", produced.invoice_number)[:60]
    response = send_file(out, mimetype="application/zip", as_attachment=True,
                         download_name=f"evidence-{name}-v{produced.covers_version}.zip",
                         max_age=0)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
