"""Campaigns in the caller's scope."""

from __future__ import annotations

from collections import defaultdict

from flask_login import current_user

from audit import access
from audit.api.errors import Blueprint
from audit.api.schemas import CampaignSchema
from audit.extensions import db
from audit.models.campaigns import Campaign

blp = Blueprint("api_campaigns", __name__, url_prefix="/api/v1/campaigns",
                description="Campaigns")


@blp.get("")
@blp.response(200, CampaignSchema(many=True))
@blp.errors()
def list_campaigns():
    """Campaigns the caller may see; branch ids are limited to the caller's branches (a
    shopper's: those of their own visits in the campaign)."""
    campaigns = db.session.scalars(
        access.campaigns_query(current_user).order_by(Campaign.starts_on, Campaign.id)
    ).all()
    branches: dict[int, list[int]] = defaultdict(list)
    for campaign_id, branch_id in db.session.execute(
            access.campaign_branches_query(current_user)):
        branches[campaign_id].append(branch_id)
    rows = []
    for campaign in campaigns:
        rows.append({
            "id": campaign.id,
            "name": campaign.name,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "channel": campaign.channel,
            "visits_per_branch": campaign.visits_per_branch,
            "checklist_version_id": campaign.checklist_version_id,
            "scenario": campaign.scenario,
            "branch_ids": sorted(branches[campaign.id]),
        })
    return rows

