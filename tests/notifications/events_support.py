"""What the event tests share: reading a person's notifications, and rendering one message
the way delivery does (subject, text and HTML, in a language) to look inside it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from audit.models.notifications import Notification
from audit.visits import operations
from tests.support import perfect_answers

SECRET_SHOPPER = "Nguyễn Bí Mật"  # the `world` shopper's name, never in an owner's message


def rows(session, user, kind: str | None = None) -> list[Notification]:
    session.flush()
    query = select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(session.scalars(query.order_by(Notification.id)))


def kinds(session, user) -> list[str]:
    return [n.kind for n in rows(session, user)]


def rendered(n: Notification, lang: str) -> str:
    """Subject, text and HTML of a notification in `lang`, as one string."""
    values = {
        "recipient": n.user,
        "n": n,
        "ctx": n.context,
        "link": f"https://audit.example{n.link}",
        "why": "why",
        "unsubscribe_url": "https://audit.example/unsubscribe/x",
        "preferences_url": "https://audit.example/notifications/preferences",
    }
    with force_locale(lang):
        return "\n".join(
            render_template(f"notifications/{n.kind}.{part}", **values)
            for part in ("subject.txt", "txt", "html")
        )


def assert_names_no_shopper(n: Notification) -> None:
    """Nothing an owner receives names the shopper: context, link, any rendering."""
    assert SECRET_SHOPPER not in json.dumps(n.context, ensure_ascii=False)
    assert "shopper" not in json.dumps(n.context)
    assert SECRET_SHOPPER not in n.link
    for lang in ("vi", "en"):
        assert SECRET_SHOPPER not in rendered(n, lang)


def submit(visit, shopper, failing=()) -> None:
    operations.save_answers(visit, perfect_answers(visit, failing=failing), shopper)
    operations.submit(visit, shopper)


def now() -> datetime:
    return datetime.now(UTC)
