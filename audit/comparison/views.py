"""The branch-comparison page: ranking, heat map, radar, trend, weakest questions and KPI
tiles."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from audit import access
from audit.campaigns.service import latest_with_results
from audit.comparison.charts import heatmap_for, radar_for, trend_for
from audit.comparison.service import branch_comparison
from audit.extensions import db
from audit.ids import id_or_none
from audit.models.campaigns import Campaign
from audit.models.orgs import Franchisee, Region
from audit.targets.service import comparison_targets
from audit.textsort import by_name

bp = Blueprint("comparison", __name__)
TOP = 10  # with many branches, the ranking and heat map show the top and bottom TOP


def _int_arg(name: str) -> int | None:
    return id_or_none(request.args.get(name))


@bp.get("/comparison")
@access.require(access.can_compare)
def page():
    campaigns = db.session.scalars(
        access.campaigns_query(current_user).order_by(Campaign.starts_on)).all()
    if not campaigns:
        return render_template("comparison/page.html", campaigns=[], data=None)
    latest = latest_with_results(current_user)
    campaign_id = _int_arg("campaign") or (latest or campaigns[-1]).id
    scope = {"region_id": _int_arg("region"), "franchisee_id": _int_arg("franchisee"),
             "include_submitted": request.args.get("include_submitted") == "1"}
    trend_ids = [i for i in map(id_or_none, request.args.getlist("trend")) if i is not None]
    data = branch_comparison(current_user, campaign_id, trend_campaign_ids=trend_ids, **scope)
    locale = str(get_locale())
    rows = [r for r in data["branches"] if r["n"]]
    show_all = request.args.get("all") == "1" or len(rows) <= 2 * TOP + 5
    shown = rows if show_all else rows[:TOP] + rows[-TOP:]
    charts = {}
    if rows:
        charts.update(heatmap_for(shown, break_after=None if show_all else TOP))
        chosen = next((r for r in rows if r["branch"].id == _int_arg("branch")), rows[0])
        charts["radar"] = radar_for(chosen, data["brand_dimensions"])
        charts["radar_branch"] = chosen["branch"].id
        charts["radar_row"] = chosen
    if data["trend"]:
        charts["trend"] = trend_for(data["trend"], locale)
    filters = _filters()
    campaign = next(c for c in campaigns if c.id == data["campaign"])
    targets = comparison_targets(current_user, campaign_id, **scope)
    return render_template("comparison/page.html", campaigns=campaigns, data=data,
                           campaign=campaign,
                           charts=charts, campaign_id=campaign_id, scope=scope, rows=rows,
                           targets=targets, shown=shown, show_all=show_all, top=TOP,
                           trend_ids=trend_ids or [c.id for c in campaigns], **filters)


def _filters() -> dict:
    if not access.can_see_shopper(current_user):  # owners: their own franchisee only
        return {"regions": [], "franchisees": []}
    brand_id = current_user.brand_id
    regions = select(Region)
    franchisees = select(Franchisee)
    if brand_id is not None:
        regions = regions.where(Region.brand_id == brand_id)
        franchisees = franchisees.where(Franchisee.brand_id == brand_id)
    return {"regions": by_name(db.session.scalars(regions)),
            "franchisees": by_name(db.session.scalars(franchisees))}
