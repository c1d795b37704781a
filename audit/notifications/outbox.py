"""Hand e-mails to the job queue after the transaction that wrote them commits: a job that
ran earlier could miss the row (another connection) or send the message of an action
that then rolls back. Session events collect the ids of new messages to e-mail at once
when they are flushed, and enqueue them after the commit; a rollback forgets them. The
tick also sends whatever is due, so a message whose job was lost (a process stopped,
Redis flushed) still leaves, later."""

from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from audit.models.notifications import Notification

log = logging.getLogger(__name__)
KEY = "notifications_to_send"


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context: object) -> None:
    ids = [
        obj.id
        for obj in session.new
        if isinstance(obj, Notification) and obj.mail_status == "queued"
    ]
    if ids:
        session.info.setdefault(KEY, set()).update(ids)


@event.listens_for(Session, "after_commit")
def _hand_over(session: Session) -> None:
    ids = session.info.pop(KEY, None)
    if not ids:
        return
    from audit.notifications import sending  # the mail stack loads on the first message

    for ident in sorted(ids):
        try:
            sending.enqueue(ident)
        except Exception:  # noqa: BLE001 - a queue that is down must not fail the action
            log.exception("notification %s: could not be queued; the tick sends it", ident)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(KEY, None)
