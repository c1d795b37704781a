"""The JSON API under /api/v1 (flask-smorest generates /api/v1/openapi.json)."""

from __future__ import annotations

import marshmallow as ma
from flask import Flask, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Api

from audit.api.errors import api_error
from audit.auth.session import bearer_token
from audit.extensions import csrf

PREFIX = "/api/v1"
PUBLIC_PATHS = (f"{PREFIX}/auth/token", f"{PREFIX}/openapi.json")


class ErrorSchema(ma.Schema):
    """Every API error: a message in the user's language, details where they help."""

    error = ma.fields.String(required=True)
    details = ma.fields.Raw()


class AuditApi(Api):
    """flask-smorest's Api, leaving error rendering to the app (one format for all errors).
    Operations list their client errors (`Blueprint.errors`); `default` is for 5xx."""

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = "SERVER_ERROR"

    def _register_error_handlers(self) -> None:
        return None


api = AuditApi()


def init_api(app: Flask) -> None:
    from flask_smorest.spec.plugins import integerconverter2paramschema

    from audit.api import auth, branches, campaigns, checklists, comparison, photos, visits
    from audit.api import disputes as disputes_api
    from audit.api import notifications as notifications_api
    from audit.api import portal as portal_api
    from audit.api import reports as reports_api
    from audit.ids import IdConverter

    api.init_app(
        app,
        spec_kwargs={
            "info": {"description": "Mystery-shopping and service-audit platform."},
        },
    )
    api.register_converter(IdConverter, integerconverter2paramschema)
    api.spec.components.response(AuditApi.DEFAULT_ERROR_RESPONSE_NAME, {
        "description": "A failure on the server's side; nothing was saved. 503 with "
                       "Retry-After when the database is busy: retry after that many seconds.",
        "content": {"application/json": {"schema": ErrorSchema}}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearerAuth": []}]
    for module in (auth, checklists, branches, campaigns, visits, photos, comparison, disputes_api,
                   portal_api, reports_api, notifications_api):
        api.register_blueprint(module.blp)

    @app.before_request
    def _guard() -> None:
        """CSRF for cookie sessions; API calls a valid bearer token authenticated carry no
        ambient authority (a mere Authorization header is not enough: the cookie would
        still be what authenticates)."""
        api_call = request.path.startswith(PREFIX + "/")
        if api_call and request.path not in PUBLIC_PATHS:
            if bearer_token(request) and not current_user.is_authenticated:
                api_error(401, _("The token is invalid, expired or revoked."))
            if not current_user.is_authenticated:
                api_error(401, _("You need to log in."))
        if request.routing_exception is not None:
            return  # no such page or method: the 404 or 405 (with Allow) says so, not CSRF
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            if getattr(app.view_functions.get(request.endpoint), "signed_link", False):
                return  # a signed link from an e-mail (unsubscribe): no session, no token
            if api_call and (g.get("api_token") is not None or request.path in PUBLIC_PATHS):
                return
            if app.config.get("WTF_CSRF_ENABLED", True):
                csrf.protect()
