"""The landing page of each role and the health check."""

from __future__ import annotations

import hashlib
import io
from functools import cache
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    render_template,
    request,
    send_file,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import text

from audit.extensions import db
from audit.models.visits import Visit
from audit.vocabulary import SENT
from audit.web import dashboards

bp = Blueprint("web", __name__)


@cache
def _favicon(static_folder: str) -> tuple[bytes, str]:
    data = Path(static_folder, "icons", "favicon.ico").read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:16]


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on every site whatever the page links (it answered 404
    on every page, defect 18). Served from memory: browsers drop this request when a page
    moves on, and a dropped response must leave no file open behind it."""
    data, etag = _favicon(current_app.static_folder)
    return send_file(io.BytesIO(data), mimetype="image/vnd.microsoft.icon",
                     max_age=7 * 24 * 3600, etag=etag, conditional=True)


@bp.get("/healthz")
def healthz():
    """Liveness and database reachability, for load balancers and `make run` checks."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


def _confirm_sent(visit_id: str) -> None:
    """The visit form's script sends the report through the API, then opens the start page
    with ?sent=<visit>: the shopper sees the same confirmation as after a plain post
    (defect 14: nothing said the report had gone)."""
    visit = db.session.get(Visit, int(visit_id)) if visit_id.isascii() and visit_id.isdigit() \
        else None
    if visit is not None and visit.shopper_id == current_user.id and visit.status in SENT:
        flash(_("Thank you, your report is sent."), "info")


@bp.get("/")
@login_required
def home():
    """Each role lands on its own overview."""
    role = current_user.role
    _confirm_sent(request.args.get("sent", ""))
    context = dashboards.BUILDERS[role](current_user)
    return render_template(f"home/{role}.html", **context)
