"""The domain's fixed words, each defined once (pure: no Flask, no database).

Models, rules, scoring, pages and exports import these names; translated labels
(`audit/labels.py`, `audit/checklists/labels.py`, `audit/actions/labels.py`) key off them.
"""

from __future__ import annotations

# The five SERVQUAL dimensions and the five steps of the care protocol (DESIGN.md §4).
DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
STEPS = (1, 2, 3, 4, 5)

# Question kinds: the scored ones earn points; a condition may test only those.
SCORED_KINDS = ("yes_no", "scale", "choice", "number")
KINDS = (*SCORED_KINDS, "text", "photo", "time", "date")
CONDITION_KINDS = SCORED_KINDS
FACTORS = ("product", "convenience", "people")
KPIS = ("nps", "csat", "ces", "fcr", "wait_seconds")
# What a failed critical question does to the overall score: zero it, or flag the visit.
CRITICAL_POLICIES = ("zero", "flag")

IN_PERSON = "in_person"  # the channel where a shopper can check in on arrival
CHANNELS = (IN_PERSON, "phone", "email", "chat")

# Visit statuses (DESIGN.md §3). A published visit is stored as "approved", the word of
# the first schema; code says PUBLISHED and pages say "Published".
OPEN = "open"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
RETURNED = "returned"
PUBLISHED = "approved"
VISIT_STATUSES = (OPEN, ASSIGNED, IN_PROGRESS, SUBMITTED, RETURNED, PUBLISHED)

# Which visit statuses count where.
SHOPPER_EDITABLE = (ASSIGNED, IN_PROGRESS, RETURNED)  # the shopper's draft, not a result
SENT = (SUBMITTED, PUBLISHED)  # the shopper has sent the report
WORKED = (IN_PROGRESS, SUBMITTED, RETURNED, PUBLISHED)  # visits holding a shopper's work
# Owners, comparisons, targets and reports count published visits; managers may add the
# submitted ones to a comparison or a target's progress, labelled as such.
COUNTED = (PUBLISHED,)
COUNTED_WITH_SUBMITTED = (PUBLISHED, SUBMITTED)

# Corrective-action statuses; an unresolved action is the branch's work and can be overdue.
ACTION_STATUSES = ("open", "in_progress", "done", "verified")
ACTION_UNRESOLVED = ("open", "in_progress")
ACTION_CLOSED = ("done", "verified")

DISPUTE_STATUSES = ("open", "accepted", "rejected")

# Where a presence check-in stands: inside or outside the campaign's radius, or why there is
# no distance (the permission denied, no position found, no coordinates for the branch).
CHECK_IN_STATUSES = ("inside", "outside", "denied", "unavailable", "no_branch_location")

# What a notification is about (issue 16), each with the roles it may reach and how it is
# delivered unless the person chooses otherwise: "email" at once, "digest" in the daily
# e-mail, "in_app" only under the bell. Every kind is also listed under the bell.
DELIVERIES = ("email", "digest", "in_app")
NOTICE_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    # the mystery shopper
    "visit_assigned": (("shopper",), "email"),
    "visit_due_tomorrow": (("shopper",), "email"),
    "visit_overdue": (("shopper",), "email"),
    "visit_returned": (("shopper",), "email"),
    "board_new_jobs": (("shopper",), "digest"),
    # the quality manager (and the administrator, who sees every brand)
    "visit_submitted": (("quality_manager", "admin"), "digest"),
    "critical_fail": (("quality_manager", "admin"), "email"),
    "score_alert": (("quality_manager", "admin", "franchise_owner"), "email"),
    "dispute_opened": (("quality_manager", "admin"), "email"),
    "review_overdue": (("quality_manager", "admin"), "email"),
    "visit_auto_published": (("quality_manager", "admin"), "digest"),
    # the franchise owner
    "visit_published": (("franchise_owner",), "email"),
    "comparison_ready": (("franchise_owner", "quality_manager"), "email"),
    "dispute_resolved": (("franchise_owner",), "email"),
    "action_assigned": (("franchise_owner", "quality_manager"), "email"),
    "action_due_soon": (("franchise_owner", "quality_manager"), "email"),
    "action_overdue": (("franchise_owner", "quality_manager"), "email"),
}

# Score triggers (issue 16): what makes a scored visit tell people, per brand rule. The
# overall score or one dimension under a number, any critical fail, or a dimension under
# the target set for the branch (audit/models/targets.py).
TRIGGER_CONDITIONS = ("overall_below", "critical_fail", "dimension_below_target",
                      "dimension_below")
# The conditions that need a number, and those that name one dimension (or every one).
TRIGGER_THRESHOLD_CONDITIONS = ("overall_below", "dimension_below")
TRIGGER_DIMENSION_CONDITIONS = ("dimension_below_target", "dimension_below")
# The kinds whose message may name the shopper of the visit (`shopper_name` in its context):
# they reach only people who may see shoppers, and erasing the shopper renames them there.
NAMES_THE_SHOPPER = ("visit_submitted", "critical_fail", "review_overdue",
                     "visit_auto_published")
