"""A fresh demo's bell is not empty: the messages a running programme would have sent about
the demo's latest work (reports waiting for review, the newest published results, open
disputes, visits given to shoppers), made by the same event code as the real actions, so
each reaches only the people in its scope and no owner's message names a shopper."""

from __future__ import annotations

from sqlalchemy import select

from audit.disputes import events as dispute_events
from audit.extensions import db
from audit.models.auth import User
from audit.models.disputes import Dispute
from audit.models.visits import Visit
from audit.visits import events as visit_events
from audit.vocabulary import ASSIGNED, OPEN, PUBLISHED, SUBMITTED

RECENT = 6  # of each kind of event: enough to show the bell, the list and the digest


def announce_recent(manager: User) -> int:
    """Announce the demo's latest events; returns how many events were announced."""
    latest = select(Visit).order_by(Visit.submitted_at.desc(), Visit.id.desc()).limit(RECENT)
    submitted = db.session.scalars(latest.where(Visit.status == SUBMITTED)).all()
    published = db.session.scalars(latest.where(Visit.status == PUBLISHED)).all()
    assigned = db.session.scalars(select(Visit).where(Visit.status == ASSIGNED)
                                  .order_by(Visit.id).limit(RECENT)).all()
    disputes = db.session.scalars(select(Dispute).where(Dispute.status == OPEN)
                                  .order_by(Dispute.id).limit(RECENT)).all()
    for visit in submitted:
        visit_events.announce_submitted(visit)
    for visit in published:
        visit_events.announce_published(visit)
    for visit in assigned:
        visit_events.announce_assigned(visit, manager)
    for dispute in disputes:
        dispute_events.announce_opened(dispute)
    return len(submitted) + len(published) + len(assigned) + len(disputes)
