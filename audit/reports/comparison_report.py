"""The branch-comparison report: the comparison service's numbers, the page's SVG charts,
and the evidence behind them (critical fails, corrective actions, photos of failed items,
targets), for a campaign and a scope, following the viewer's rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from audit import access
from audit.actions import labels as action_labels
from audit.comparison.charts import (
    BRANCH_COLOUR,
    BRAND_COLOUR,
    dimensions_radar,
    heatmap_cells,
    heatmap_table,
    key_radar,
    radar_key,
    small_radar_for,
    trend_for,
)
from audit.comparison.findings import summary_findings
from audit.comparison.queries import branch_moments
from audit.comparison.service import branch_comparison
from audit.errors import Forbidden
from audit.extensions import db
from audit.i18n import localized
from audit.models.actions import CorrectiveAction
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.orgs import Franchisee, Region
from audit.models.visits import Photo, Visit
from audit.reports.pdf import render_html, render_pdf
from audit.reports.registry import Progress, ReportKind, register
from audit.reports.visit_report import report_lang
from audit.scoring import percentiles
from audit.scoring.stored import StoredScores
from audit.storage import storage_for
from audit.targets.service import comparison_targets
from audit.textsort import sort_key
from audit.vocabulary import COUNTED

MAX_PHOTOS = 24
MAX_ACTIONS = 200


def _brand_percentiles(campaign_id: int) -> dict[int, float | None]:
    """The brand's distribution of branch means in the campaign (published visits), the
    only view an owner gets of the other branches: numbers, no names."""
    means = [m.columns["overall"].mean for m in branch_moments([campaign_id], COUNTED,
                                                               ["overall"])]
    return percentiles(means)


def _failed_photos(visits: list[Visit]) -> list[tuple[Visit, Photo]]:
    """Photos tied to a question the visit did not earn full points on (not those removed
    under the retention policy)."""
    found = []
    for visit in visits:
        failed = {row.code for row in visit.score_record.questions if row.failed}
        for photo in visit.photos:
            if (photo.question is not None and photo.question.code in failed
                    and photo.purged_at is None):
                found.append((visit, photo))
    return found[:MAX_PHOTOS]


def critical_by_branch(visits: Sequence[Visit], rows: Sequence[dict[str, Any]]
                       ) -> list[dict[str, Any]]:
    """Critical fails one row per branch (most first): a 50-branch report lists which
    branches fail and on what, not one line per visit."""
    counted = {r["branch"].id: r["n"] for r in rows}
    grouped: dict[int, dict[str, Any]] = {}
    for visit in visits:
        if not visit.critical_fail:
            continue
        entry = grouped.setdefault(visit.branch_id, {"branch": visit.branch, "visits": [],
                                                     "codes": Counter()})
        entry["visits"].append(visit)
        entry["codes"].update(StoredScores.from_json(visit.scores).critical_failures)
    out = sorted(grouped.values(),
                 key=lambda e: (-len(e["visits"]), sort_key(e["branch"].name)))
    for entry in out:
        entry["n"] = counted.get(entry["branch"].id, len(entry["visits"]))
        entry["codes"] = sorted(entry["codes"].items(), key=lambda c: (-c[1], c[0]))
    return out


def comparison_context(user: User, params: dict[str, Any], lang: str,
                       progress: Progress = lambda _pct: None) -> dict[str, Any]:
    """Everything the template shows, each part through the viewer's access rules."""
    if not access.can_compare(user):
        raise Forbidden
    campaign_id = int(params["campaign"])
    region_id, franchisee_id = params.get("region"), params.get("franchisee")
    data = branch_comparison(user, campaign_id, region_id=region_id,
                             franchisee_id=franchisee_id)
    progress(20)
    campaign = db.session.get(Campaign, campaign_id)
    rows = [r for r in data["branches"] if r["n"]]
    branch_ids = [r["branch"].id for r in data["branches"]]
    charts: dict[str, Any] = {
        "heatmap": heatmap_table(rows, data), "radar_key": radar_key(),
        "key_radar": key_radar(data["brand_dimensions"]),
        "radars": [(r, small_radar_for(r, data["brand_dimensions"])) for r in rows],
        "colours": (BRANCH_COLOUR, BRAND_COLOUR)}
    table = charts["heatmap"]
    table.update(heatmap_cells([*table["heatmap_grid"], table["heatmap_brand"]]))
    table["brand_cells"] = table["heatmap_cells"].pop()
    if len(data["trend"]) > 1:
        charts["trend"] = trend_for(data["trend"], lang, width=720)
    progress(50)
    visits = db.session.scalars(
        access.visits_query(user).where(
            Visit.campaign_id == campaign_id, Visit.branch_id.in_(branch_ids),
            Visit.status.in_(access.counted_statuses(user, False)))
        .options(selectinload(Visit.photos).selectinload(Photo.question),
                 selectinload(Visit.branch))
        .order_by(Visit.visited_at, Visit.id)).all()
    # The actions this campaign's visits raised, and no other campaign's (defect 13).
    actions = db.session.scalars(
        access.actions_query(user).where(
            CorrectiveAction.branch_id.in_(branch_ids),
            CorrectiveAction.visit_id.in_([v.id for v in visits]))
        .options(selectinload(CorrectiveAction.branch),
                 selectinload(CorrectiveAction.question))
        .order_by(CorrectiveAction.due_on, CorrectiveAction.id).limit(MAX_ACTIONS)).all()
    photos = _failed_photos(visits)
    owner = not access.can_see_shopper(user)
    scope_names = []
    if region_id and (region := db.session.get(Region, region_id)):
        scope_names.append(region.name)
    if franchisee_id and (franchisee := db.session.get(Franchisee, franchisee_id)):
        scope_names.append(franchisee.name)
    targets = comparison_targets(user, campaign_id, region_id=region_id,
                                 franchisee_id=franchisee_id)
    critical = critical_by_branch(visits, rows)
    # A manager's report on the whole brand compares it with nothing but itself.
    whole_brand = not owner and region_id is None and franchisee_id is None
    scope_label = " · ".join(scope_names) or (
        _("Your branches") if owner else _("Whole brand") if whole_brand
        else _("Branches in scope"))
    if rows:
        charts["scope_radar"] = dimensions_radar(
            scope_label, data["scope_dimensions"],
            None if whole_brand else data["brand_dimensions"])
    progress(70)
    return {
        "data": data, "campaign": campaign, "rows": rows, "charts": charts,
        "critical_visits": [v for v in visits if v.critical_fail],
        "critical_by_branch": critical,
        "findings": summary_findings(data, targets, critical),
        "actions": actions, "photos": photos, "owner": owner,
        "brand_percentiles": _brand_percentiles(campaign_id) if owner else None,
        "targets": targets, "scope_names": scope_names, "scope_label": scope_label,
        "whole_brand": whole_brand,
        "best": rows[0] if rows else None, "worst": rows[-1] if rows else None,
        "report_title": localized(campaign.name, lang),
        "report_brand": campaign.brand.name,
        "generated": datetime.now(UTC), "action_labels": action_labels,
    }


def comparison_html(user: User, params: dict[str, Any], lang: str) -> str:
    """The report's final HTML (for the benchmark and tests)."""
    lang = report_lang(lang)
    with force_locale(lang):  # the charts' labels are translated when they are drawn
        context = comparison_context(user, params, lang)
    return render_html("reports/comparison.html", lang, **context)


def render_comparison(user: User, params: dict[str, Any], lang: str,
                      progress: Progress = lambda _pct: None) -> bytes:
    """The comparison PDF; params {"campaign": id, "region": id|None, "franchisee": id|None}."""
    lang = report_lang(lang)
    with force_locale(lang):
        context = comparison_context(user, params, lang, progress)
    cleared = {photo.id: photo for _visit, photo in context["photos"]}
    pdf = render_pdf("reports/comparison.html", lang, cleared_photos=cleared,
                     storage=storage_for(current_app), **context)
    progress(100)
    return pdf


COMPARISON = register(ReportKind("comparison", render_comparison))
