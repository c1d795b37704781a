"""E-mails sent by several job threads at once (the embedded thread pool on SQLite): each
message leaves once and its outcome is recorded, although other senders commit while one
is talking to the server (a read held across the conversation could not write afterwards
on SQLite, and the message would have been sent again after its claim ran out)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from audit.extensions import db
from audit.models.auth import User
from audit.models.notifications import Notification
from audit.notifications import mailer, notify, sending
from tests.concurrency.conftest import own_session


def test_messages_sent_side_by_side_leave_once_and_are_recorded(race, engine, monkeypatch):
    with own_session(race.app, engine) as s:
        shopper = s.get(User, race.ids.users["shopper"])
        rows = [notify(shopper, "visit_assigned", context={"branch": f"R{i}"}, link="/",
                       dedupe_key=f"race-mail-{i}") for i in range(8)]
        s.commit()
        ids = [row.id for row in rows]
    delivered, lock = [], threading.Lock()

    def slow_server(message):
        time.sleep(0.05)  # the conversation: other senders commit meanwhile
        with lock:
            delivered.append(message.subject)
        return "sent"

    monkeypatch.setattr(mailer, "deliver", slow_server)

    def send(ident: int) -> bool:
        with race.app.app_context():
            try:
                return sending.send(ident)
            finally:
                db.session.remove()  # this thread's session of the scoped session below

    # One scoped session on the tests' engine for every thread (a session per thread):
    # swapping db.session inside each thread would race on the module attribute.
    with own_session(race.app, engine), ThreadPoolExecutor(4) as pool:
        results = list(pool.map(send, ids))
    assert results == [True] * 8
    assert len(delivered) == 8
    rows = race.read(lambda s: s.scalars(select(Notification).where(
        Notification.id.in_(ids))).all())
    assert {(r.mail_status, r.attempts) for r in rows} == {("sent", 1)}
    with own_session(race.app, engine):  # nothing is due again: nothing leaves twice
        assert sending.send_due() == 0


def test_two_ticks_sending_due_messages_together_send_each_once(race, engine, monkeypatch):
    """Two processes' ticks (here threads) run send_due over the same queued messages."""
    with own_session(race.app, engine) as s:
        shopper = s.get(User, race.ids.users["shopper"])
        rows = [notify(shopper, "visit_assigned", context={"branch": f"T{i}"}, link="/",
                       dedupe_key=f"race-due-{i}") for i in range(6)]
        s.commit()
        ids = [row.id for row in rows]
    delivered, lock = [], threading.Lock()

    def slow_server(message):
        time.sleep(0.03)
        with lock:
            delivered.append(message.subject)
        return "sent"

    monkeypatch.setattr(mailer, "deliver", slow_server)

    def tick() -> int:
        with race.app.app_context():
            try:
                return sending.send_due()
            finally:
                db.session.remove()

    with own_session(race.app, engine), ThreadPoolExecutor(2) as pool:
        counts = [f.result() for f in [pool.submit(tick), pool.submit(tick)]]
    assert sum(counts) == 6 and len(delivered) == 6
    rows = race.read(lambda s: s.scalars(select(Notification).where(
        Notification.id.in_(ids))).all())
    assert {(r.mail_status, r.attempts) for r in rows} == {("sent", 1)}
