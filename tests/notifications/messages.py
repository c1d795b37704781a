"""Rendering a notification's templates the way its e-mail is made: subject, text, HTML in
the recipient's language, with the variables the delivery side passes."""

from __future__ import annotations

from pathlib import Path

from flask import render_template
from flask_babel import force_locale
from jinja2 import ChoiceLoader, FileSystemLoader

STAND_IN = Path(__file__).parent / "templates"


def render_message(app, n, locale: str) -> dict[str, str]:
    """{"subject", "text", "html"} of notification `n` in `locale`. The stand-in base
    template is used only where the app has no templates/notifications/base.html."""
    loader = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([loader, FileSystemLoader(STAND_IN)])
    try:
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
    finally:
        app.jinja_env.loader = loader
