"""Rendering a notification's templates the way its e-mail is made: subject, text, HTML in
the recipient's language, with the variables the delivery side passes."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale


def render_message(app, n, locale: str) -> dict[str, str]:
    """{"subject", "text", "html"} of notification `n` in `locale`."""
    with app.test_request_context(), force_locale(locale):
        values = {
            "recipient": n.user,
            "n": n,
            "ctx": n.context,
            "link": f"https://audit.example{n.link}",
            "why": "WHY",
            "unsubscribe_url": "https://audit.example/u",
            "preferences_url": "https://audit.example/p",
        }
        return {
            part: render_template(f"notifications/{n.kind}.{ext}", **values)
            for part, ext in (("subject", "subject.txt"), ("text", "txt"), ("html", "html"))
        }
