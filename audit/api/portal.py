"""The franchise owner's portal summary: the same numbers as the portal home."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user
from marshmallow import fields

from audit.api.errors import Blueprint
from audit.api.schemas import AggregateSchema, Id, TargetGapSchema
from audit.portal import service

blp = Blueprint("api_portal", __name__, url_prefix="/api/v1/portal",
                description="Franchise owner's portal")


class SummaryQuery(ma.Schema):
    campaign = Id(metadata={"description": "Default: the latest with published "
                                           "visits of the owner's branches."})


class PositionSchema(ma.Schema):
    low = fields.Integer(allow_none=True, metadata={"description": "Percentile below (None: "
                                                                   "under P10)."})
    high = fields.Integer(allow_none=True, metadata={"description": "Percentile above (None: "
                                                                    "P90 or more)."})


class PartSchema(AggregateSchema):
    brand = fields.Float(allow_none=True)
    position = fields.Nested(PositionSchema, allow_none=True)


class OwnBranchSchema(AggregateSchema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    position = fields.Nested(PositionSchema, allow_none=True)
    dimensions = fields.Dict(keys=fields.String(), values=fields.Nested(PartSchema))
    steps = fields.Dict(keys=fields.String(), values=fields.Nested(PartSchema))


class BrandPartSchema(ma.Schema):
    mean = fields.Float(allow_none=True)
    percentiles = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))


class BrandSchema(AggregateSchema):
    branches = fields.Integer(metadata={"description": "Branches with a published score."})
    percentiles = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True),
                              metadata={"description": "P10-P90 of the branch means."})
    dimensions = fields.Dict(keys=fields.String(), values=fields.Nested(BrandPartSchema))
    steps = fields.Dict(keys=fields.String(), values=fields.Nested(BrandPartSchema))


class CampaignRefSchema(ma.Schema):
    id = fields.Integer()
    name = fields.Dict(keys=fields.String(), values=fields.String())
    starts_on = fields.Date()
    ends_on = fields.Date()


class OpenDisputeSchema(ma.Schema):
    id = fields.Integer()
    visit_id = fields.Integer()
    branch = fields.String()
    question = fields.String()
    opened_at = fields.DateTime()


class PortalSummarySchema(ma.Schema):
    campaign = fields.Nested(CampaignRefSchema, allow_none=True)
    campaigns = fields.List(fields.Nested(CampaignRefSchema))
    branches = fields.List(fields.Nested(OwnBranchSchema))
    brand = fields.Nested(BrandSchema)
    targets = fields.List(fields.Nested(TargetGapSchema))
    open_actions = fields.Integer()
    open_disputes = fields.List(fields.Nested(OpenDisputeSchema))


@blp.get("/summary")
@blp.arguments(SummaryQuery, location="query")
@blp.response(200, PortalSummarySchema)
@blp.errors(403, 404, 422)
def summary(query: dict):
    """Own branches' published means (overall, dimensions, steps) with n and 95 % CI, where
    each sits among the brand's branch means, the brand average and percentiles, gaps to
    target, open actions and disputes. Other branches appear only as anonymous numbers."""
    data = service.summary(current_user, query.get("campaign"))
    if data is None:
        return {"campaign": None, "campaigns": [], "branches": [], "brand": {},
                "targets": [], "open_actions": service.open_actions(current_user),
                "open_disputes": []}
    return data
