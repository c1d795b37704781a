"""Listing claimable visits and claiming one. Two shoppers claiming the same visit at once:
the visit's `revision` version counter makes the second UPDATE match no row, so exactly one
wins and the other is told it was taken.

One shopper claiming several visits at once (two phones, a double tap): the cap and the
twice-in-a-row rule are counts read before the write, so each claim first locks the
shopper's own row (`_hold_claims`) and the claims run one after the other. A lock on the
parent row rather than a stored counter: the count stays a query over the visits, which
the lifecycle already keeps true, and nothing else must remember to move a counter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from audit.campaigns import service
from audit.campaigns.assignment import may_take
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.orgs import Branch
from audit.models.visits import Visit
from audit.visits import lifecycle

# The cap stops a shopper hoarding work from the board: visits held but not yet started.
MAX_OPEN_ASSIGNMENTS = 5
NOT_STARTED = ("assigned",)
BOARD_SIZE = 100


class ClaimRefused(Exception):
    """The claim failed; `reason` is "taken", "twice_in_a_row" or "cap"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def claimable_query(today: date) -> Select[tuple[Visit]]:
    """Open visits at active branches of campaigns that allow claims and have not ended."""
    return (select(Visit).join(Visit.campaign).join(Visit.branch)
            .where(Visit.status == "open", Campaign.allow_claims.is_(True),
                   Campaign.ends_on >= today, Branch.active.is_(True)))


@dataclass
class Board:
    visits: list[Visit]
    blocked: set[int]  # visits at a branch whose previous visit this shopper made
    load: int
    cap: int


def board(shopper: User, today: date | None = None) -> Board:
    """What the shopper may claim, earliest due first, and how many they already hold."""
    visits = list(db.session.scalars(
        claimable_query(today or date.today())
        .options(selectinload(Visit.branch), selectinload(Visit.campaign))
        .order_by(Visit.due_until, Visit.id).limit(BOARD_SIZE)))
    last = service.last_shoppers(sorted({v.branch_id for v in visits}))
    blocked = {v.id for v in visits if not may_take(shopper.id, v.branch_id, last)}
    load = service.shopper_loads([shopper.id], NOT_STARTED)[shopper.id]
    return Board(visits, blocked, load, MAX_OPEN_ASSIGNMENTS)


def _hold_claims(shopper: User) -> None:
    """Serialise one shopper's claims until the commit: SELECT ... FOR NO KEY UPDATE on the
    shopper's row on PostgreSQL (a later claim waits, then counts what the first one wrote;
    rows that merely point at the user, such as log entries, are not held up). SQLite has no
    row locks: its requests that write start with BEGIN IMMEDIATE (`audit.db_setup`), which
    serialises them already, and SQLAlchemy leaves the clause out there."""
    db.session.execute(select(User.id).where(User.id == shopper.id)
                       .with_for_update(key_share=True))


def claim(visit_id: int, shopper: User, today: date | None = None) -> Visit:
    """Assign an open visit to the shopper who claims it, through the lifecycle."""
    _hold_claims(shopper)
    visit = db.session.scalars(claimable_query(today or date.today())
                               .where(Visit.id == visit_id)).first()
    if visit is None:
        raise ClaimRefused("taken")
    if not may_take(shopper.id, visit.branch_id, service.last_shoppers([visit.branch_id])):
        raise ClaimRefused("twice_in_a_row")
    if service.shopper_loads([shopper.id], NOT_STARTED)[shopper.id] >= MAX_OPEN_ASSIGNMENTS:
        raise ClaimRefused("cap")
    visit.shopper = shopper
    lifecycle.move(visit, "assigned", shopper, reason="claimed on the job board")
    try:
        db.session.commit()  # UPDATE ... WHERE id = ? AND revision = ?: one winner
    except StaleDataError:
        db.session.rollback()
        raise ClaimRefused("taken") from None
    return visit
