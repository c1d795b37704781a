"""Who hears of a corrective action: its assignee when it is given to them (by someone
else), and as its due date nears and passes (the scheduled tick); an action nobody was
given is the branch's, so its owners hear instead; an overdue action also reaches the
brand's managers, who follow the fixes up. Every person is checked against the action's
scope (an owner reads it only once its visit is published), and each event is announced
once per action and due date, so a moved due date is announced again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit.core.clock import local_day
from audit.extensions import db
from audit.models.actions import CorrectiveAction
from audit.models.auth import User
from audit.notifications import notify, periodic
from audit.notifications.audience import (
    action_owners,
    brand_managers,
    may_hear_of_action,
    path_for,
)
from audit.notifications.facts import action_facts
from audit.vocabulary import ACTION_UNRESOLVED

DUE_SOON = timedelta(days=2)  # "due soon": within two days of the due date
# An action overdue for longer than this when reminders start (the first tick after an
# upgrade) is not announced: the overdue list shows it already.
OVERDUE_LOOKBACK = timedelta(days=7)


def _link(action: CorrectiveAction) -> str:
    return path_for("actions.detail", action_id=action.id)


def announce_assigned(action: CorrectiveAction, actor: User | None) -> None:
    """Tell the assignee the action is theirs, unless they gave it to themselves or may not
    read it yet (an owner, before its visit is published: said at publication)."""
    assignee = action.assignee
    if assignee is None or (actor is not None and actor.id == assignee.id):
        return
    if not may_hear_of_action(assignee, action):
        return
    notify(
        assignee,
        "action_assigned",
        context=action_facts(action),
        link=_link(action),
        dedupe_key=f"action:{action.id}:assigned:{assignee.id}",
    )


def _workers(action: CorrectiveAction) -> list[User]:
    """Who works on the fix: the assignee in scope, else the branch's owners."""
    if action.assignee is not None:
        return [action.assignee] if may_hear_of_action(action.assignee, action) else []
    return action_owners(action)


def _unresolved(now: datetime, first: int, last: int) -> list[CorrectiveAction]:
    """Unresolved actions due within [first, last] days of `now` (a day wider than any
    branch's clock; the caller reads the branch's)."""
    today = now.date()
    return list(
        db.session.scalars(
            select(CorrectiveAction)
            .where(
                CorrectiveAction.status.in_(ACTION_UNRESOLVED),
                CorrectiveAction.due_on >= today + timedelta(days=first - 1),
                CorrectiveAction.due_on <= today + timedelta(days=last + 1),
            )
            .options(selectinload(CorrectiveAction.branch), selectinload(CorrectiveAction.assignee))
            .order_by(CorrectiveAction.id)
        )
    )


@periodic("actions.due_soon")
def remind_due_soon(now: datetime) -> int:
    """Actions due within DUE_SOON on their branch's clock: their workers hear it once."""
    sent = 0
    for action in _unresolved(now, 0, DUE_SOON.days):
        today = local_day(now, action.branch.timezone)
        if not today <= action.due_on <= today + DUE_SOON:
            continue
        for person in _workers(action):
            if notify(
                person,
                "action_due_soon",
                context=action_facts(action),
                link=_link(action),
                dedupe_key=f"action:{action.id}:due_soon:{action.due_on.isoformat()}",
            ):
                sent += 1
    db.session.commit()
    return sent


@periodic("actions.overdue")
def remind_overdue(now: datetime) -> int:
    """Actions past their due date on their branch's clock: their workers and the brand's
    managers hear it once per due date."""
    sent = 0
    for action in _unresolved(now, -OVERDUE_LOOKBACK.days, -1):
        today = local_day(now, action.branch.timezone)
        if not today - OVERDUE_LOOKBACK <= action.due_on < today:
            continue
        people = {p.id: p for p in _workers(action)}
        people.update(
            {m.id: m for m in brand_managers(action.brand_id) if may_hear_of_action(m, action)}
        )
        for person in people.values():
            if notify(
                person,
                "action_overdue",
                context=action_facts(action),
                link=_link(action),
                dedupe_key=f"action:{action.id}:overdue:{action.due_on.isoformat()}",
            ):
                sent += 1
    db.session.commit()
    return sent


def announce_published(visit_id: int) -> None:
    """An owner given an action before its visit was published hears of it now."""
    for action in db.session.scalars(
        select(CorrectiveAction).where(
            CorrectiveAction.visit_id == visit_id, CorrectiveAction.assignee_id.is_not(None)
        )
    ):
        if action.assignee.role == "franchise_owner":
            announce_assigned(action, None)
