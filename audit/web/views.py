"""The landing page of each role and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from audit.extensions import db
from audit.web import dashboards

bp = Blueprint("web", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness and database reachability, for load balancers and `make run` checks."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


@bp.get("/")
@login_required
def home():
    """Each role lands on its own overview."""
    role = current_user.role
    context = dashboards.BUILDERS[role](current_user)
    return render_template(f"home/{role}.html", **context)
