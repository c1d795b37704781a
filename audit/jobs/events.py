"""New jobs on the board, told to the shoppers who would take them (the scheduled tick).

The board lists every claimable visit to every shopper; a message is narrower, so it does
not become noise: a shopper hears of jobs in the regions they work in (the regions of the
branches of visits they hold or made), and a shopper with no visit yet of every job, as
the board shows them. A job at a branch whose previous visit the shopper made is left out
(they may not take it). Each job is announced once per shopper (dedupe key "job:<id>");
the kind's delivery is the daily digest, so a busy board is one e-mail a day."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit.campaigns import service
from audit.campaigns.assignment import may_take
from audit.extensions import db
from audit.jobs.operations import BOARD_SIZE, claimable_query
from audit.models.auth import User
from audit.models.notifications import Notification
from audit.models.orgs import Branch
from audit.models.visits import Visit
from audit.notifications import notify, periodic
from audit.notifications.audience import path_for
from audit.notifications.facts import visit_facts

KIND = "board_new_jobs"


def _regions_by_shopper() -> dict[int, set[int]]:
    """The regions each shopper works in: those of the branches of their visits."""
    rows = db.session.execute(
        select(Visit.shopper_id, Branch.region_id)
        .join(Branch, Branch.id == Visit.branch_id)
        .where(Visit.shopper_id.is_not(None))
        .distinct()
    )
    regions: dict[int, set[int]] = defaultdict(set)
    for shopper_id, region_id in rows:
        regions[shopper_id].add(region_id)
    return regions


def _announced(keys: list[str]) -> set[tuple[int, str]]:
    """(shopper, job key) pairs already told, in one query rather than one per pair."""
    if not keys:
        return set()
    return set(
        db.session.execute(
            select(Notification.user_id, Notification.dedupe_key).where(
                Notification.kind == KIND, Notification.dedupe_key.in_(keys)
            )
        ).all()
    )


@periodic("jobs.board_new_jobs")
def announce_new_jobs(now: datetime) -> int:
    """Each job on the board, told once to each active shopper it is for."""
    jobs = list(
        db.session.scalars(
            claimable_query(now.date())
            .options(selectinload(Visit.branch), selectinload(Visit.campaign))
            .order_by(Visit.due_until, Visit.id)
            .limit(BOARD_SIZE)
        )
    )
    if not jobs:
        return 0
    shoppers = list(
        db.session.scalars(
            select(User).where(User.role == "shopper", User.active.is_(True)).order_by(User.id)
        )
    )
    regions = _regions_by_shopper()
    last = service.last_shoppers(sorted({job.branch_id for job in jobs}))
    keys = {job.id: f"job:{job.id}" for job in jobs}
    told = _announced(list(keys.values()))
    link = path_for("jobs.board")
    sent = 0
    for shopper in shoppers:
        mine = regions.get(shopper.id)
        for job in jobs:
            if mine is not None and job.branch.region_id not in mine:
                continue
            if (shopper.id, keys[job.id]) in told or not may_take(shopper.id, job.branch_id, last):
                continue
            if notify(shopper, KIND, context=visit_facts(job), link=link, dedupe_key=keys[job.id]):
                sent += 1
    db.session.commit()
    return sent
