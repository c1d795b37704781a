"""Translated names of the domain's fixed values, one place for pages, API and PDFs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from audit.vocabulary import (
    ASSIGNED,
    CHANNELS,
    CRITICAL_POLICIES,
    DELIVERIES,
    DIMENSIONS,
    DISPUTE_STATUSES,
    IN_PROGRESS,
    NOTICE_KINDS,
    OPEN,
    PUBLISHED,
    RETURNED,
    STEPS,
    SUBMITTED,
    TRIGGER_CONDITIONS,
    VISIT_STATUSES,
)


def keyed(words: Iterable[Any], labels: Mapping[Any, Any]) -> dict[Any, Any]:
    """`labels` (in the order pages list them), checked against the vocabulary: a word
    without a label, or a label without its word, fails at import rather than on a page."""
    words = tuple(words)
    if set(words) != set(labels):
        raise KeyError(f"labels {sorted(map(str, labels))} do not match {words}")
    return dict(labels)


STATUS = keyed(VISIT_STATUSES, {
    OPEN: _l("Open"),
    ASSIGNED: _l("Assigned"),
    IN_PROGRESS: _l("In progress"),
    SUBMITTED: _l("Submitted"),
    RETURNED: _l("Returned"),
    PUBLISHED: _l("Published"),
})
CHANNEL = keyed(CHANNELS, {
    "in_person": _l("In person"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "chat": _l("Chat"),
})
DIMENSION = keyed(DIMENSIONS, {
    "tangibles": _l("Tangibles"),
    "reliability": _l("Reliability"),
    "responsiveness": _l("Responsiveness"),
    "assurance": _l("Assurance"),
    "empathy": _l("Empathy"),
})
# Keyed by the step as text, the way the stored scores and URLs name it.
STEP = keyed((str(s) for s in STEPS), {
    "1": _l("Prepare"),
    "2": _l("Acknowledge"),
    "3": _l("Clarify"),
    "4": _l("Offer a solution"),
    "5": _l("Check satisfaction"),
})
ROLE = {
    "admin": _l("Administrator"),
    "quality_manager": _l("Quality manager"),
    "franchise_owner": _l("Franchise owner"),
    "shopper": _l("Mystery shopper"),
}
SHOPPER_GROUP = {
    "returned": _l("Returned for changes"),
    "overdue": _l("Overdue"),
    "today": _l("Due now"),
    "upcoming": _l("Upcoming"),
    "submitted": _l("Sent, awaiting review"),
    "done": _l("Done"),
}
FACT = {
    "visited_on": _l("Date of the visit"),
    "time_in": _l("Time in"),
    "time_out": _l("Time out"),
    "staff_description": _l("Staff who served you"),
    "number_called": _l("Number called"),
    "called_on": _l("Date of the call"),
    "called_at": _l("Time of the call"),
    "sent_at": _l("E-mail sent at"),
    "answered_at": _l("Answer received at"),
    "started_at": _l("Chat started at"),
    "first_reply_at": _l("First reply at"),
}
REVIEW_FLAG = {
    "critical_fail": _l("Critical fail"),
    "reused_photo": _l("Photo used before"),
    "outside_window": _l("Photo taken outside the visit window"),
    "missing_evidence": _l("Required photo missing"),
    "too_fast": _l("Completed suspiciously fast"),
    "far_from_branch": _l("Checked in far from the branch"),
    "no_check_in": _l("No check-in"),
    "not_resubmitted": _l("Not resubmitted in time"),
}
CHECK_IN_STATUS = {
    "inside": _l("At the branch"),
    "outside": _l("Away from the branch"),
    "denied": _l("The shopper did not allow the location"),
    "unavailable": _l("The phone found no position"),
    "no_branch_location": _l("The branch has no coordinates"),
}
TIMELINE = {
    "check_in": _l("Check-in"),
    "first_answer": _l("First answer"),
    "last_answer": _l("Last change to an answer"),
    "photo_taken": _l("Photo taken"),
    "photo_sent": _l("Photo sent"),
    "submitted": _l("Report sent"),
}
CRITICAL_POLICY = keyed(CRITICAL_POLICIES, {
    "flag": _l("Flag the visit, keep its score"),
    "zero": _l("The visit scores 0"),
})
DISPUTE_STATUS = keyed(DISPUTE_STATUSES, {
    "open": _l("Awaiting decision"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
})
TARGET_SCOPE = {
    "brand": _l("Whole brand"),
    "region": _l("Region"),
    "branch": _l("Branch"),
}
TARGET_STATUS = {
    "met": _l("Met"),
    "not_yet": _l("Not yet"),
    "missed": _l("Missed"),
}
METRIC = {
    "overall": _l("Overall score"),
    **DIMENSION,
    **{f"step_{key}": _l("Step %(number)s: %(name)s", number=key, name=name)
       for key, name in STEP.items()},
}

# What a notification is about: the preferences page lists these, and every message says it.
NOTICE_KIND = keyed(NOTICE_KINDS, {
    "visit_assigned": _l("A visit is assigned to me"),
    "visit_due_tomorrow": _l("A visit of mine is due tomorrow"),
    "visit_overdue": _l("A visit of mine is overdue"),
    "visit_returned": _l("A report of mine is returned for changes"),
    "board_new_jobs": _l("New jobs on the board in my regions"),
    "visit_submitted": _l("Reports sent for review"),
    "critical_fail": _l("A visit failed a critical question"),
    "score_alert": _l("A visit set off a score alert"),
    "dispute_opened": _l("A result is disputed"),
    "review_overdue": _l("A report waits past its review deadline"),
    "visit_auto_published": _l("A report was published automatically"),
    "visit_published": _l("A visit of my branch is published"),
    "comparison_ready": _l("A campaign's comparison report is ready"),
    "dispute_resolved": _l("A dispute of mine is decided"),
    "action_assigned": _l("A corrective action is assigned"),
    "action_due_soon": _l("A corrective action is due soon"),
    "action_overdue": _l("A corrective action is overdue"),
})
DELIVERY = keyed(DELIVERIES, {
    "email": _l("E-mail at once"),
    "digest": _l("Daily digest e-mail"),
    "in_app": _l("Only in the app"),
})

# Score triggers (issue 16): what sets a rule off, as the rules page and the messages say it.
TRIGGER_CONDITION = keyed(TRIGGER_CONDITIONS, {
    "overall_below": _l("Overall score under a number"),
    "critical_fail": _l("Any critical fail"),
    "dimension_below_target": _l("A dimension under its target"),
    "dimension_below": _l("A dimension under a number"),
})
