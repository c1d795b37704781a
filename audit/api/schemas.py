"""Marshmallow schemas of the API's bodies; they also generate the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from audit.disputes.operations import COMMENT_LIMIT as DISPUTE_COMMENT_LIMIT
from audit.ids import MAX_ID
from audit.vocabulary import VISIT_STATUSES

Translated = fields.Dict(keys=fields.String(), values=fields.String())


def Id(**kwargs) -> fields.Integer:  # noqa: N802 - used like a field class
    """An id in a query or body: a number larger than any id is refused (422)."""
    return fields.Integer(validate=ma.validate.Range(min=0, max=MAX_ID), **kwargs)


class TokenRequest(ma.Schema):
    email = fields.String(required=True)
    password = fields.String(required=True)


class TokenResponse(ma.Schema):
    token = fields.String(required=True)
    expires_in_days = fields.Integer()


class NamedRef(ma.Schema):
    id = fields.Integer()
    name = fields.String()


class MeSchema(ma.Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    locale = fields.String(allow_none=True)
    brand = fields.Nested(NamedRef, allow_none=True)
    franchisee = fields.Nested(NamedRef, allow_none=True)


class OptionSchema(ma.Schema):
    value = fields.String()
    label = Translated
    fraction = fields.Float()


class QuestionSchema(ma.Schema):
    code = fields.String()
    kind = fields.String()
    text = Translated
    help = Translated
    points = fields.Float()
    dimension = fields.String(allow_none=True)
    step = fields.Integer(allow_none=True)
    factor = fields.String(allow_none=True)
    critical = fields.Boolean()
    allow_na = fields.Boolean()
    required = fields.Boolean()
    photo_required = fields.Boolean()
    min_value = fields.Float(allow_none=True)
    max_value = fields.Float(allow_none=True)
    pass_band = fields.Method("_pass_band", allow_none=True)
    no_passes = fields.Boolean()
    options = fields.List(fields.Nested(OptionSchema))
    condition = fields.Dict(allow_none=True)
    kpi = fields.String(allow_none=True)

    def _pass_band(self, question):
        if question.pass_min is None and question.pass_max is None:
            return None
        return {"min": question.pass_min, "max": question.pass_max}


class SectionSchema(ma.Schema):
    code = fields.String()
    title = Translated
    questions = fields.List(fields.Nested(QuestionSchema))


class VersionSummarySchema(ma.Schema):
    id = fields.Integer()
    number = fields.Integer()
    channel = fields.String()
    critical_policy = fields.String()
    published_at = fields.DateTime(allow_none=True)


class VersionSchema(VersionSummarySchema):
    description = Translated
    sections = fields.List(fields.Nested(SectionSchema))


class ChecklistSummarySchema(ma.Schema):
    id = fields.Integer()
    code = fields.String()
    title = Translated
    versions = fields.List(fields.Nested(VersionSummarySchema))


class ChecklistSchema(ChecklistSummarySchema):
    versions = fields.List(fields.Nested(VersionSchema))


class BranchSchema(ma.Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    address = fields.String()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    timezone = fields.String()
    region = fields.Nested(NamedRef)
    franchisee = fields.Nested(NamedRef, allow_none=True)


class CampaignSchema(ma.Schema):
    id = fields.Integer()
    name = Translated
    starts_on = fields.Date()
    ends_on = fields.Date()
    channel = fields.String()
    visits_per_branch = fields.Integer()
    checklist_version_id = fields.Integer()
    scenario = Translated
    branch_ids = fields.List(fields.Integer())


class BranchRef(ma.Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class VisitQuery(ma.Schema):
    campaign = Id()
    branch = Id()
    status = fields.String(
        validate=ma.validate.OneOf(VISIT_STATUSES)
    )


class VisitSummarySchema(ma.Schema):
    id = fields.Integer()
    campaign_id = fields.Integer()
    branch = fields.Nested(BranchRef)
    status = fields.String()
    channel = fields.String()
    due_from = fields.Date()
    due_until = fields.Date()
    visited_at = fields.DateTime(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    checklist_version_id = fields.Integer()
    shopper = fields.Nested(NamedRef, allow_none=True)
    score = fields.Float(allow_none=True)


class AnswerSchema(ma.Schema):
    question = fields.String()
    value = fields.Raw(allow_none=True)
    na = fields.Boolean()
    comment = fields.String()


class VisitSchema(VisitSummarySchema):
    revision = fields.Integer(metadata={
        "description": "The visit's version counter: every change of its answers, facts, "
                       "status or photos raises it"})
    scenario = Translated
    staff_description = fields.String()
    narrative = fields.String()
    facts = fields.Dict()
    reviewer_comment = fields.String()
    purged_at = fields.DateTime(allow_none=True, metadata={
        "description": "When photos and free text were removed under the retention policy"})
    answers = fields.List(fields.Nested(AnswerSchema))
    scores = fields.Dict(allow_none=True)
    ignored = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "Items not stored, with why (staff details a brand does not record)"})


class AnswerInput(ma.Schema):
    question = fields.String(required=True)
    value = fields.Raw(allow_none=True, load_default=None)
    na = fields.Boolean(load_default=False)
    comment = fields.String(load_default=None, allow_none=True)


class AnswersInput(ma.Schema):
    answers = fields.List(fields.Dict(), load_default=list, validate=ma.validate.Length(max=500))
    facts = fields.Dict(keys=fields.String(), load_default=None)


class ComparisonQuery(ma.Schema):
    campaign = Id(required=True)
    region = Id()
    franchisee = Id()
    include_submitted = fields.Boolean(load_default=False)
    trend = fields.List(Id(), load_default=list,
                        metadata={"description": "Campaigns of the trend (default: all)."})


class AggregateSchema(ma.Schema):
    n = fields.Integer()
    mean = fields.Float(allow_none=True)
    sd = fields.Float(allow_none=True)
    ci_low = fields.Float(allow_none=True)
    ci_high = fields.Float(allow_none=True)
    small_sample = fields.Boolean()
    rank = fields.Integer(allow_none=True)


class BranchComparisonSchema(AggregateSchema):
    branch = fields.Nested(BranchRef)
    dimensions = fields.Dict(keys=fields.String(), values=fields.Nested(AggregateSchema))
    steps = fields.Dict(keys=fields.String(), values=fields.Nested(AggregateSchema))


class WeakQuestionSchema(ma.Schema):
    code = fields.String()
    text = Translated
    dimension = fields.String(allow_none=True)
    step = fields.Integer(allow_none=True)
    critical = fields.Boolean()
    n = fields.Integer(metadata={"description": "Counted visits where the question scored."})
    earned = fields.Float()
    possible = fields.Float()
    mean_fraction = fields.Float(metadata={"description": "Σ earned / Σ possible, 0 to 1."})
    critical_fails = fields.Integer()


class TrendPointSchema(ma.Schema):
    campaign = fields.Integer()
    name = Translated
    starts_on = fields.Date()
    scope = fields.Nested(AggregateSchema, metadata={"description": "Branches in scope."})
    brand = fields.Nested(AggregateSchema)


class ComparisonSchema(ma.Schema):
    campaign = fields.Integer()
    include_submitted = fields.Boolean()
    branches = fields.List(fields.Nested(BranchComparisonSchema))
    brand = fields.Nested(AggregateSchema)
    brand_dimensions = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    brand_steps = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    scope = fields.Nested(AggregateSchema, metadata={"description": "Branches in scope."})
    scope_dimensions = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True),
                                   metadata={"description": "Branches in scope, per dimension."})
    kpis = fields.Dict()
    weakest_questions = fields.List(fields.Nested(WeakQuestionSchema))
    trend = fields.List(fields.Nested(TrendPointSchema))


class CsrfSchema(ma.Schema):
    csrf_token = fields.String()


class CheckInInput(ma.Schema):
    latitude = fields.Float(load_default=None, allow_none=True, allow_nan=False)
    longitude = fields.Float(load_default=None, allow_none=True, allow_nan=False)
    accuracy = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                            metadata={"description": "Metres, as the phone reported it."})
    at = fields.AwareDateTime(load_default=None, allow_none=True,
                              metadata={"description": "When the phone took the position."})
    refused = fields.String(load_default=None, allow_none=True,
                            validate=ma.validate.OneOf(["denied", "unavailable"]),
                            metadata={"description": "Why there is no position: the "
                                      "person denied the permission, or none was found."})


class CheckInSchema(ma.Schema):
    status = fields.String()
    distance_m = fields.Float(allow_none=True)
    radius_m = fields.Integer(allow_none=True)
    accuracy_m = fields.Float(allow_none=True)
    recorded_at = fields.DateTime()


class PhotoForm(ma.Schema):
    client_id = fields.String(
        load_default=None, validate=ma.validate.Regexp(r"^[A-Za-z0-9_-]{8,64}$"),
        metadata={"description": "The phone's own id for this photo: sending it again "
                  "returns the photo already stored."})
    question = fields.String(load_default=None)
    caption = fields.String(load_default="", validate=ma.validate.Length(max=500))
    captured_at = fields.DateTime(
        load_default=None, metadata={"description": "When the picture was taken, as read by "
                                     "the phone from the original file before downscaling; "
                                     "used only if the uploaded image carries no time."})


class PhotoSchema(ma.Schema):
    id = fields.Integer()
    visit_id = fields.Integer()
    question = fields.String(allow_none=True)
    caption = fields.String()
    width = fields.Integer(allow_none=True)  # null (like captured_at) once purged
    height = fields.Integer(allow_none=True)
    size_bytes = fields.Integer(allow_none=True)
    captured_at = fields.DateTime(allow_none=True)
    flags = fields.List(fields.String())
    url = fields.String()
    thumbnail_url = fields.String()
    purged_at = fields.DateTime(allow_none=True, metadata={
        "description": "Set when the file was removed under the retention policy (410)"})
    visit_revision = fields.Integer(metadata={
        "description": "The visit's version counter after this photo was added (adding or "
                       "removing a photo counts as a change of the visit)"})


# Disputes and targets (issue 5) -------------------------------------------------------


class DisputeInput(ma.Schema):
    question = fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    # Checked by the dispute (a message in the owner's language at the field, as on the
    # page): what is wrong with the answer, so not empty nor only spaces.
    comment = fields.String(required=True, metadata={
        "minLength": 1, "maxLength": DISPUTE_COMMENT_LIMIT, "pattern": r"\S",
        "description": "What is wrong with the answer (required, not only spaces)."})
    proposed_value = fields.Raw(load_default=None, allow_none=True)
    proposed_na = fields.Boolean(load_default=False)


class DisputeSchema(ma.Schema):
    """A dispute as its owner sees it: no shopper, no manager names."""

    id = fields.Integer()
    visit_id = fields.Integer()
    question = fields.Function(lambda d: d.question.code)
    comment = fields.String()
    proposed_value = fields.Raw(allow_none=True)
    proposed_na = fields.Boolean()
    status = fields.String()
    resolution_reason = fields.String()
    opened_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)


class TargetGapSchema(ma.Schema):
    id = fields.Integer()
    label = fields.String()
    scope = fields.String()
    region_id = fields.Integer(allow_none=True)
    branch_id = fields.Integer(allow_none=True)
    metric = fields.String()
    target = fields.Float()
    due_on = fields.Date()
    every_branch = fields.Boolean()
    n = fields.Integer()
    current = fields.Float(allow_none=True)
    gap = fields.Float(allow_none=True)
    branches_meeting = fields.Integer(allow_none=True)
    branches_measured = fields.Integer(allow_none=True)
    branches_total = fields.Integer(allow_none=True)


class ComparisonWithTargetsSchema(ComparisonSchema):
    targets = fields.List(fields.Nested(TargetGapSchema))
