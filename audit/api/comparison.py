"""Branch comparison for a campaign."""

from __future__ import annotations

from flask_login import current_user

from audit.api.errors import Blueprint
from audit.api.schemas import ComparisonQuery, ComparisonWithTargetsSchema
from audit.comparison.service import branch_comparison
from audit.targets.service import comparison_targets

blp = Blueprint("api_comparison", __name__, url_prefix="/api/v1/comparison",
                description="Branch comparison")


@blp.get("")
@blp.arguments(ComparisonQuery, location="query")
@blp.response(200, ComparisonWithTargetsSchema)
@blp.errors(403, 404, 422)
def comparison(query: dict):
    """Per branch in scope: n, mean, sd, 95 % CI, small-sample flag, rank; per dimension and
    step too; the scope's KPIs, its weakest questions and the trend over campaigns. Only
    published visits count unless a manager adds submitted ones; the brand's targets that
    apply, with their gap."""
    scope = {"region_id": query.get("region"), "franchisee_id": query.get("franchisee"),
             "include_submitted": query["include_submitted"]}
    result = branch_comparison(current_user, query["campaign"],
                               trend_campaign_ids=query["trend"], **scope)
    return {**result, "targets": comparison_targets(current_user, query["campaign"], **scope)}
