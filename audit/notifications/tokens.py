"""The signed unsubscribe link of every e-mail: it names the person and the kind (or
"digest"), signed with the app's secret, so a click turns that e-mail off without a log-in
and a changed link is refused."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "notifications-unsubscribe"
DIGEST = "digest"  # the daily digest's link turns every digest kind of the person off


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps([user_id, kind])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a genuine link; None for a changed or foreign one."""
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind
