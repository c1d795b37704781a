"""What a visit's shopper and managers are told, and when: assigned (by someone else), due
tomorrow and overdue (the scheduled tick), sent for review and failed a critical question
(at submission), and published (its branch's owners). Each message is one `notify` per
person in the transaction of the change that caused it, with a dedupe key so that no event
is announced twice (a repeated request, a second tick)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit import access
from audit.core.clock import local_day
from audit.extensions import db
from audit.i18n import LANGUAGES
from audit.models.auth import User
from audit.models.visits import Visit
from audit.notifications import Attachment, notify, periodic
from audit.notifications.audience import path_for, visit_managers, visit_owners
from audit.notifications.facts import visit_facts
from audit.vocabulary import ASSIGNED, IN_PROGRESS

# Visits a shopper still has to make (a returned one has its own resubmission deadline).
TO_MAKE = (ASSIGNED, IN_PROGRESS)
# A visit overdue for longer than this when reminders start (a first tick after an upgrade)
# is not announced: the shopper's list already shows it, and a flood helps nobody.
OVERDUE_LOOKBACK = timedelta(days=7)


def announce_assigned(visit: Visit, actor: User) -> None:
    """Tell the shopper a visit was given to them; a shopper who claimed it needs no word."""
    shopper = visit.shopper
    if shopper is None or actor.id == shopper.id:
        return
    notify(
        shopper,
        "visit_assigned",
        context=visit_facts(visit),
        link=path_for("visits.show", visit_id=visit.id),
        dedupe_key=f"visit:{visit.id}:assigned:r{visit.revision}",
    )


def _critical_failures(visit: Visit) -> list[dict[str, object]]:
    """The failed critical questions, code and text in both languages."""
    failed = set(visit.score_record.critical_failures)
    return [
        {"code": q.code, "text": {lang: (q.text or {}).get(lang, "") for lang in LANGUAGES}}
        for q in visit.checklist_version.ordered_questions()
        if q.code in failed
    ]


def announce_submitted(visit: Visit) -> None:
    """Tell the brand's managers a report came in (each submission), and at once when it
    failed a critical question, with the visit's PDF."""
    stamp = visit.submitted_at.isoformat() if visit.submitted_at else f"r{visit.revision}"
    link = path_for("review.visit", visit_id=visit.id)
    for manager in visit_managers(visit):
        context = visit_facts(visit, with_shopper=access.can_see_shopper(manager), with_scores=True)
        notify(
            manager,
            "visit_submitted",
            context=context,
            link=link,
            dedupe_key=f"visit:{visit.id}:submitted:{stamp}",
        )
        if visit.critical_fail:
            notify(
                manager,
                "critical_fail",
                context={**context, "failures": _critical_failures(visit)},
                link=link,
                attachment=Attachment("visit_pdf", visit.id),
                dedupe_key=f"visit:{visit.id}:critical:{stamp}",
            )


def announce_published(visit: Visit) -> None:
    """Tell the owners of the visit's branch its result is out, with its PDF (their copy,
    which never names the shopper); the context holds no shopper either."""
    for owner in visit_owners(visit):
        notify(
            owner,
            "visit_published",
            context=visit_facts(visit, with_scores=True),
            link=path_for("portal.visit", visit_id=visit.id),
            attachment=Attachment("visit_pdf", visit.id),
            dedupe_key=f"visit:{visit.id}:published",
        )


def _to_make(now: datetime, first: int, last: int) -> list[Visit]:
    """Visits still to make whose last day is within [first, last] days of `now` (UTC
    dates, a day wider than any branch's clock), for the caller to read on the branch's."""
    today = now.date()
    return list(
        db.session.scalars(
            select(Visit)
            .where(
                Visit.status.in_(TO_MAKE),
                Visit.shopper_id.is_not(None),
                Visit.due_until >= today + timedelta(days=first - 1),
                Visit.due_until <= today + timedelta(days=last + 1),
            )
            .options(
                selectinload(Visit.branch),
                selectinload(Visit.campaign),
                selectinload(Visit.shopper),
            )
            .order_by(Visit.id)
        )
    )


@periodic("visits.due_tomorrow")
def remind_due_tomorrow(now: datetime) -> int:
    """The shopper of each visit whose last day is tomorrow on its branch's clock hears it
    once (per visit and due date)."""
    sent = 0
    for visit in _to_make(now, 1, 1):
        if visit.due_until != local_day(now, visit.zone) + timedelta(days=1):
            continue
        if notify(
            visit.shopper,
            "visit_due_tomorrow",
            context=visit_facts(visit),
            link=path_for("visits.show", visit_id=visit.id),
            dedupe_key=f"visit:{visit.id}:due:{visit.due_until.isoformat()}",
        ):
            sent += 1
    db.session.commit()
    return sent


@periodic("visits.overdue")
def remind_overdue(now: datetime) -> int:
    """The shopper of each visit past its last day (on its branch's clock) and not yet sent
    hears it once per visit and due date."""
    sent = 0
    lookback = OVERDUE_LOOKBACK.days
    for visit in _to_make(now, -lookback, -1):
        today = local_day(now, visit.zone)
        if not today - OVERDUE_LOOKBACK <= visit.due_until < today:
            continue
        if notify(
            visit.shopper,
            "visit_overdue",
            context=visit_facts(visit),
            link=path_for("visits.show", visit_id=visit.id),
            dedupe_key=f"visit:{visit.id}:overdue:{visit.due_until.isoformat()}",
        ):
            sent += 1
    db.session.commit()
    return sent
