"""A comparison report finished in the library: who is told, with what.

- The person who asked for it (a manager or an owner), with the file attached and a link
  to download it: they asked, the job ran in the background, now it is there.
- When a manager asked (the report may cover the whole brand and name every branch), the
  franchise owners whose branches are in the report's campaign and scope and who have at
  least one published visit in it: they get their own copy (scoped to their franchisee,
  rendered with their rights when the e-mail is sent, `attachments.comparison_pdf`) and a
  link that renders that same scoped copy, never the manager's file. An owner is told again
  for the same campaign only when it holds published visits they have not been told of
  (the dedupe key carries their count), so managers re-running a report add no noise.

A report rendered inside a request (a direct download) announces nothing: its reader has
it already."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from audit import access
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign, campaign_branches
from audit.models.orgs import Branch
from audit.models.reports import Report
from audit.models.visits import Visit
from audit.notifications import Attachment, notify
from audit.notifications.audience import path_for
from audit.notifications.facts import campaign_name


def _campaign_facts(campaign: Campaign) -> dict[str, Any]:
    return {
        "campaign_id": campaign.id,
        "campaign": campaign_name(campaign),
        "brand_name": campaign.brand.name,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
    }


def _owners_in_scope(report: Report) -> list[User]:
    """The active owners of franchisees with branches in the report's campaign and scope."""
    params = report.params
    branches = (
        select(Branch.franchisee_id)
        .join(campaign_branches, campaign_branches.c.branch_id == Branch.id)
        .where(
            campaign_branches.c.campaign_id == params["campaign"], Branch.franchisee_id.is_not(None)
        )
    )
    if params.get("region"):
        branches = branches.where(Branch.region_id == params["region"])
    if params.get("franchisee"):
        branches = branches.where(Branch.franchisee_id == params["franchisee"])
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == "franchise_owner",
                User.active.is_(True),
                User.franchisee_id.in_(branches),
            )
            .order_by(User.id)
        )
    )


def _published_for(owner: User, campaign_id: int) -> int:
    """How many of the campaign's visits the owner may read (published, their branches)."""
    scoped = access.visits_query(owner).where(Visit.campaign_id == campaign_id).subquery()
    return db.session.scalar(select(func.count()).select_from(scoped)) or 0


def announce_comparison_ready(report: Report) -> None:
    """Tell who should know that the comparison report `report` is done."""
    if report.kind != "comparison" or report.status != "done":
        return
    campaign = db.session.get(Campaign, report.params.get("campaign"))
    if campaign is None:
        return
    facts = _campaign_facts(campaign)
    requester = report.requested_by
    notify(
        requester,
        "comparison_ready",
        context={**facts, "own_copy": False},
        link=path_for("reports.download", report_id=report.id),
        attachment=Attachment("comparison_pdf", report.id),
        dedupe_key=f"report:{report.id}:ready",
    )
    if access.scoped_to_own_franchisee(requester):
        return  # an owner's report is their own copy; other owners are not told of it
    for owner in _owners_in_scope(report):
        if owner.id == requester.id:
            continue
        published = _published_for(owner, campaign.id)
        if not published:
            continue
        notify(
            owner,
            "comparison_ready",
            context={**facts, "own_copy": True, "published_visits": published},
            link=path_for("reports_pdf.comparison_pdf", campaign=campaign.id),
            attachment=Attachment("comparison_pdf", report.id),
            dedupe_key=f"campaign:{campaign.id}:comparison:n{published}",
        )
