"""Visits: read, save answers (autosave), submit."""

from __future__ import annotations

from typing import NoReturn

from flask_babel import gettext as _
from flask_login import current_user

from audit import access
from audit.api.errors import Blueprint, api_error
from audit.api.schemas import (
    AnswersInput,
    CheckInInput,
    CheckInSchema,
    VisitQuery,
    VisitSchema,
    VisitSummarySchema,
)
from audit.extensions import db
from audit.models.visits import Visit
from audit.visits import operations, presence, read_model, staff
from audit.visits.lifecycle import IllegalTransition
from audit.vocabulary import SENT

blp = Blueprint("api_visits", __name__, url_prefix="/api/v1/visits", description="Visits")


def visit_summary(view: read_model.VisitView) -> dict:
    """A visit as the caller may see it (the read model's role table): shopper names for
    managers only, the score where the caller may see it."""
    row = {
        "id": view.id,
        "campaign_id": view.campaign.id,
        "branch": view.branch,
        "status": view.status,
        "channel": view.channel,
        "due_from": view.due_from,
        "due_until": view.due_until,
        "visited_at": view.visited_at,
        "submitted_at": view.submitted_at,
        "approved_at": view.approved_at,
        "checklist_version_id": view.checklist_version_id,
    }
    if view.shows("shopper"):
        row["shopper"] = view.shopper
    if view.scores is not None:
        row["score"] = view.score_overall
    return row


def visit_detail(visit: Visit) -> dict:
    """The visit with its answers; staff details only where the brand records them."""
    view = read_model.build(current_user, visit)
    row = visit_summary(view)
    row.update({
        "revision": view.revision,
        "scenario": view.campaign.scenario,
        "staff_description": view.staff_description,
        "narrative": view.narrative,
        "facts": dict(view.recorded_facts),
        "reviewer_comment": view.reviewer_comment,
        "purged_at": view.purged_at,
        "answers": [
            {"question": a.code, "value": a.value, "na": a.na, "comment": a.comment}
            for a in sorted(view.answers.values(), key=lambda a: a.code)
            if a.code not in view.staff_hidden
        ],
    })
    if view.scores is not None:
        row["scores"] = view.scores.to_json()
    return row


@blp.get("")
@blp.arguments(VisitQuery, location="query")
@blp.response(200, VisitSummarySchema(many=True))
@blp.errors(422)
def list_visits(filters: dict):
    """Visits in the caller's scope, filtered by campaign, branch or status."""
    query = access.visits_query(current_user)
    if "campaign" in filters:
        query = query.where(Visit.campaign_id == filters["campaign"])
    if "branch" in filters:
        query = query.where(Visit.branch_id == filters["branch"])
    if "status" in filters:
        query = query.where(Visit.status == filters["status"])
    views = read_model.views_query(current_user, query.order_by(Visit.due_from, Visit.id),
                                   only=read_model.SUMMARY)
    return [visit_summary(v) for v in views]


@blp.get("/<int:visit_id>")
@blp.response(200, VisitSchema)
@blp.errors(404)
def get_visit(visit_id: int):
    """One visit with its answers and stored scores."""
    return visit_detail(load_visit(visit_id))


@blp.put("/<int:visit_id>/answers")
@blp.arguments(AnswersInput)
@blp.response(200, VisitSchema)
@blp.errors(400, 403, 404, 409, 413, 422)
def put_answers(body: dict, visit_id: int):
    """Save draft answers, merged by question code; all or nothing (422 lists the codes).
    Staff details a brand does not record are not stored; `ignored` says which."""
    visit = load_visit(visit_id)
    require_fill(visit)
    ignored = staff.withhold(visit, body["answers"], body["facts"])[2]
    try:
        operations.save_answers(visit, body["answers"], current_user, facts=body["facts"])
    except operations.AnswerErrors as errors:
        db.session.rollback()
        api_error(422, _("Some answers are not valid; nothing was saved."), errors.errors)
    except operations.VisitConflict:
        conflict()
    detail = visit_detail(visit)
    if ignored:
        detail["ignored"] = {key: str(message) for key, message in ignored.items()}
    return detail


@blp.post("/<int:visit_id>/submit")
@blp.response(200, VisitSchema)
@blp.errors(400, 403, 404, 409, 422)
def submit_visit(visit_id: int):
    """Submit the visit: checks required answers and stores the scores; repeats are harmless."""
    visit = load_visit(visit_id)
    if visit.status not in SENT:
        require_fill(visit)
    elif not access.can_resubmit(current_user, visit):
        api_error(403, _("You are not allowed to do this."))
    try:
        operations.submit(visit, current_user)
    except operations.MissingAnswers as missing:
        db.session.rollback()
        api_error(422, _("Answer the required questions first."), {"missing": missing.codes})
    except IllegalTransition:
        db.session.rollback()
        api_error(409, _("This visit cannot be submitted in its current state."))
    except operations.VisitConflict:
        conflict()
    return visit_detail(visit)


@blp.post("/<int:visit_id>/check-in")
@blp.arguments(CheckInInput)
@blp.response(200, CheckInSchema)
@blp.errors(400, 403, 404, 409, 413, 422)
def check_in(body: dict, visit_id: int):
    """Record where the phone was on arrival (campaigns that ask for it), or why there is
    no position; checking in again replaces the earlier one."""
    visit = load_visit(visit_id)
    require_fill(visit)
    try:
        return presence.record_check_in(
            visit, current_user, latitude=body["latitude"], longitude=body["longitude"],
            accuracy_m=body["accuracy"], device_at=body["at"], refused=body["refused"])
    except presence.CheckInRefused as refused:
        db.session.rollback()
        if str(refused) == "not_asked":
            api_error(409, _("This campaign does not ask for a check-in."))
        api_error(422, _("Send a position (latitude from -90 to 90, longitude from -180 to "
                         "180) or why there is none."), {"position": str(refused)})


def conflict() -> NoReturn:
    """409 for the loser of two requests changing the same visit at once."""
    api_error(409, _("This visit was changed by another request at the same moment; nothing "
                     "was saved. Load it again and retry."))


def load_visit(visit_id: int) -> Visit:
    return read_model.load(current_user, visit_id)


def require_fill(visit: Visit) -> None:
    if not access.can_fill(current_user, visit):
        if access.owns_visit(current_user, visit):
            api_error(409, _("This visit is no longer open for changes."))
        api_error(403, _("You are not allowed to do this."))
