"""Composing an e-mail in its recipient's language: the kind's subject, HTML and plain-text
templates (templates/notifications/<kind>.*), the sentence saying why the person gets it,
absolute links from BASE_URL, the signed unsubscribe link (also as the RFC 8058
List-Unsubscribe headers), and the attachment made by its renderer at send time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from jinja2 import TemplateNotFound

from audit.labels import NOTICE_KIND
from audit.models.auth import User
from audit.models.notifications import Notification
from audit.notifications import labels
from audit.notifications.core import renderer
from audit.notifications.mailer import Message
from audit.notifications.tokens import DIGEST, unsubscribe_token


def language(user: User) -> str:
    """The recipient's language: their own choice, else the app's default."""
    config = current_app.config
    return user.locale if user.locale in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def mail_context(user: User) -> Iterator[None]:
    """A request on BASE_URL in the person's language: url_for(_external=True) then makes
    the links people click in their mail client."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.test_request_context(base_url=app.config["BASE_URL"]), force_locale(language(user)):
        yield


def _extends(name: str, base: str) -> bool:
    env = current_app.jinja_env
    source = env.loader.get_source(env, name)[0] if env.loader else ""
    return base in source


def _render(name: str, base: str, values: dict[str, Any]) -> str:
    """The kind's template, inside the base (its why-sentence, link and unsubscribe) when
    the kind's template does not extend it itself; the base alone when it is missing."""
    try:
        body = render_template(name, **values)
    except TemplateNotFound:
        return render_template(base, body=str(NOTICE_KIND[values["n"].kind]), **values)
    if _extends(name, base):
        return body
    return render_template(base, body=body, **values)


def subject(n: Notification, values: dict[str, Any]) -> str:
    """One line: the kind's subject template, else the kind's label."""
    try:
        text = render_template(f"notifications/{n.kind}.subject.txt", **values)
    except TemplateNotFound:
        text = str(NOTICE_KIND[n.kind])
    return " ".join(text.split())


def values_for(n: Notification, *, external: bool = True) -> dict[str, Any]:
    """What every template of a message is rendered with (the contract of issue 16)."""
    base = current_app.config["BASE_URL"] if external else ""
    token = unsubscribe_token(n.user_id, n.kind)
    return {
        "recipient": n.user,
        "n": n,
        "ctx": n.context or {},
        "link": base + (n.link or "/"),
        "why": labels.why(n.kind, n.delivery),
        "unsubscribe_url": url_for("notifications.unsubscribe", token=token, _external=external),
        "preferences_url": url_for("notifications.preferences", _external=external),
    }


def _headers(unsubscribe_url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def message_for(n: Notification) -> Message:
    """The e-mail of one notification, attachment included."""
    user = n.user
    with mail_context(user):
        values = values_for(n)
        message = Message(
            subject=subject(n, values),
            recipients=[user.email],
            sender=current_app.config["MAIL_FROM"],
            body=_render(f"notifications/{n.kind}.txt", "notifications/base.txt", values),
            html=_render(f"notifications/{n.kind}.html", "notifications/base.html", values),
            extra_headers=_headers(values["unsubscribe_url"]),
        )
    if n.attachment_kind:
        make = renderer(n.attachment_kind)
        made = make(user, n.attachment_ref) if make and n.attachment_ref is not None else None
        if made is not None:
            filename, data, media_type = made
            message.attach(filename, media_type, data)
    return message


def digest_for(user: User, rows: list[Notification]) -> Message:
    """The daily digest: one line per message (its subject and link), newest last."""
    with mail_context(user):
        items = [(subject(n, v), v["link"], n) for n in rows for v in [values_for(n)]]
        unsubscribe = url_for(
            "notifications.unsubscribe", token=unsubscribe_token(user.id, DIGEST), _external=True
        )
        values = {
            "recipient": user,
            "items": items,
            "why": labels.why_digest(),
            "unsubscribe_url": unsubscribe,
            "preferences_url": url_for("notifications.preferences", _external=True),
        }
        return Message(
            subject=" ".join(render_template("notifications/digest.subject.txt", **values).split()),
            recipients=[user.email],
            sender=current_app.config["MAIL_FROM"],
            body=render_template("notifications/digest.txt", **values),
            html=render_template("notifications/digest.html", **values),
            extra_headers=_headers(unsubscribe),
        )
