"""The plain values a message shows about a record (codes, names in both languages, ISO
dates, scores), taken while the record is at hand: a notification keeps them as JSON, so
it reads the same later whatever happens to the record, and never holds an ORM object.

What a person may not know stays out of the values themselves, not only out of the
templates: the shopper is named only to people who may see shoppers (`with_shopper`), so an
owner's message cannot name one whatever its template says."""

from __future__ import annotations

from datetime import date
from typing import Any

from audit.models.actions import CorrectiveAction
from audit.models.campaigns import Campaign
from audit.models.orgs import Branch
from audit.models.visits import Visit


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def campaign_name(campaign: Campaign) -> dict[str, str]:
    """The campaign's name in both languages (templates pick the reader's)."""
    name = campaign.name if isinstance(campaign.name, dict) else {"en": str(campaign.name)}
    return {
        "en": name.get("en") or name.get("vi") or "",
        "vi": name.get("vi") or name.get("en") or "",
    }


def branch_facts(branch: Branch) -> dict[str, Any]:
    return {"branch_code": branch.code, "branch_name": branch.name, "brand_name": branch.brand.name}


def visit_facts(
    visit: Visit, *, with_shopper: bool = False, with_scores: bool = False
) -> dict[str, Any]:
    """A visit in a message: where, which campaign, its window; scores and the shopper only
    when asked (`with_shopper` only for people who may see shoppers)."""
    facts: dict[str, Any] = {
        "visit_id": visit.id,
        **branch_facts(visit.branch),
        "campaign": campaign_name(visit.campaign),
        "channel": visit.channel,
        "due_from": _iso(visit.due_from),
        "due_until": _iso(visit.due_until),
        "visited_on": _iso(visit.visited_on),
    }
    if with_scores:
        facts["score"] = (
            None if visit.score_overall is None else round(float(visit.score_overall), 1)
        )
        facts["critical_fail"] = bool(visit.critical_fail)
    if with_shopper and visit.shopper is not None:
        facts["shopper_name"] = visit.shopper.name
    return facts


def action_facts(action: CorrectiveAction) -> dict[str, Any]:
    """A corrective action in a message: what to fix, where, how serious, by when."""
    title = action.title or (action.question.text if action.question else {}) or ""
    return {
        "action_id": action.id,
        **branch_facts(action.branch),
        "title": title if isinstance(title, dict) else {"en": title, "vi": title},
        "question_code": action.question_code,
        "severity": action.severity,
        "status": action.status,
        "due_on": _iso(action.due_on),
    }
