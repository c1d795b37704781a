"""Tokens and the caller's identity."""

from __future__ import annotations

from flask import current_app, g
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from audit.api.errors import Blueprint, api_error
from audit.api.schemas import CsrfSchema, MeSchema, TokenRequest, TokenResponse
from audit.auth import lockout
from audit.auth.operations import authenticate, issue_token, revoke_token

blp = Blueprint("api_auth", __name__, url_prefix="/api/v1", description="Authentication")


@blp.post("/auth/token")
@blp.arguments(TokenRequest)
@blp.response(201, TokenResponse)
@blp.doc(security=[])
@blp.errors(400, 413, 422, 429)
def create_token(credentials: dict):
    """Exchange an e-mail and password for a bearer token (shown once, stored hashed).

    Failed attempts count towards the account's lockout and, per client address, towards a
    rate limit (429 once over); the 401 answer never says whether the e-mail exists.
    """
    user = authenticate(credentials["email"], credentials["password"], "api")
    if user is None:
        api_error(401, lockout.failure_message())
    lifetime = current_app.config["TOKEN_LIFETIME_DAYS"]
    return {"token": issue_token(user), "expires_in_days": lifetime}


@blp.get("/me")
@blp.response(200, MeSchema)
@blp.errors()
def me():
    """The authenticated user."""
    user = current_user
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "locale": user.locale,
        "brand": user.brand,
        "franchisee": user.franchisee,
    }


@blp.delete("/auth/token")
@blp.response(204)
@blp.errors(400)
def delete_token():
    """Revoke the bearer token this request was made with."""
    if not current_user.is_authenticated:  # loads the token's user and g.api_token
        api_error(401, _("The token is invalid, expired or revoked."))
    token = g.get("api_token")
    if token is None:
        api_error(400, _("Send the token to revoke in the Authorization header."))
    revoke_token(token)


@blp.get("/csrf")
@blp.response(200, CsrfSchema)
@blp.errors()
def csrf_token():
    """A fresh CSRF token for this browser session. A phone's outbox sends changes made
    offline hours ago, when the token in the page it cached has long expired."""
    return {"csrf_token": generate_csrf()}
