"""The branch-comparison page: ranking, heat map, radar, trend and KPI tiles."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from audit import access
from audit.campaigns.models import Campaign
from audit.charts import heatmap, radar, trend
from audit.comparison.service import STEP_KEYS, branch_comparison
from audit.extensions import db
from audit.i18n import localized
from audit.labels import DIMENSION, STEP
from audit.orgs.models import Franchisee, Region
from audit.targets.service import comparison_targets
from audit.visits.models import DIMENSIONS

bp = Blueprint("comparison", __name__)
BRANCH_COLOUR, BRAND_COLOUR = "#0b5cad", "#8a5a00"


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.get("/comparison")
@login_required
def page():
    if not access.can_compare(current_user):
        abort(403)
    campaigns = db.session.scalars(
        access.campaigns_query(current_user).order_by(Campaign.starts_on)).all()
    if not campaigns:
        return render_template("comparison/page.html", campaigns=[], data=None)
    campaign_id = _int_arg("campaign") or campaigns[-1].id
    scope = {"region_id": _int_arg("region"), "franchisee_id": _int_arg("franchisee"),
             "include_submitted": request.args.get("include_submitted") == "1"}
    data = branch_comparison(current_user, campaign_id, **scope)
    locale = str(get_locale())
    columns = [str(DIMENSION[d]) for d in DIMENSIONS] + [f"{k}. {STEP[k]}" for k in STEP_KEYS]
    rows = [r for r in data["branches"] if r["n"]]
    charts = {}
    if rows:
        grid = [[r["dimensions"][d]["mean"] for d in DIMENSIONS]
                + [r["steps"][k]["mean"] for k in STEP_KEYS] for r in rows]
        keep = [j for j in range(len(columns)) if any(line[j] is not None for line in grid)]
        charts["heatmap"] = heatmap(
            [r["branch"].name for r in rows], [columns[j] for j in keep],
            [[line[j] for j in keep] for line in grid],
            title=_("Scores by branch, dimension and step"))
        chosen = next((r for r in rows if r["branch"].id == _int_arg("branch")), rows[0])
        charts["radar"] = radar(
            [str(DIMENSION[d]) for d in DIMENSIONS],
            [(chosen["branch"].name, [chosen["dimensions"][d]["mean"] for d in DIMENSIONS],
              BRANCH_COLOUR),
             (_("Brand average"), [data["brand_dimensions"][d] for d in DIMENSIONS],
              BRAND_COLOUR)],
            title=_("%(branch)s against the brand average", branch=chosen["branch"].name))
        charts["radar_branch"] = chosen["branch"].id
    trend_means = [branch_comparison(current_user, c.id, **scope) for c in campaigns]
    charts["trend"] = trend(
        [localized(c.name, locale) for c in campaigns],
        [(_("Branches in scope"), [_scope_mean(t) for t in trend_means], BRANCH_COLOUR),
         (_("Brand average"), [t["brand"]["mean"] for t in trend_means], BRAND_COLOUR)],
        title=_("Mean score over campaigns"))
    filters = _filters()
    targets = comparison_targets(current_user, campaign_id, **scope)
    return render_template("comparison/page.html", campaigns=campaigns, data=data,
                           charts=charts, campaign_id=campaign_id, scope=scope, rows=rows,
                           targets=targets, **filters)


def _scope_mean(result: dict) -> float | None:
    """Mean over the visits of the branches in scope (each visit weighs the same)."""
    total = sum((r["mean"] or 0) * r["n"] for r in result["branches"])
    count = sum(r["n"] for r in result["branches"])
    return total / count if count else None


def _filters() -> dict:
    if not access.can_see_shopper(current_user):  # owners: their own franchisee only
        return {"regions": [], "franchisees": []}
    brand_id = current_user.brand_id
    regions = select(Region).order_by(Region.name)
    franchisees = select(Franchisee).order_by(Franchisee.name)
    if brand_id is not None:
        regions = regions.where(Region.brand_id == brand_id)
        franchisees = franchisees.where(Franchisee.brand_id == brand_id)
    return {"regions": db.session.scalars(regions).all(),
            "franchisees": db.session.scalars(franchisees).all()}
