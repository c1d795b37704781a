"""The service-audit platform: application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from audit.config import ROOT, Config, instance_secret_key, load_config
from audit.security import init_security
from audit.web.jsonprovider import SafeJSONProvider


def create_app(config: Config | dict[str, Any] | str | None = None) -> Flask:
    """Create the app; `config` is a config object, an environment name or overrides."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    overrides: dict[str, Any] = {}
    if isinstance(config, dict):
        overrides = config
        config = overrides.get("AUDIT_ENV") or ("testing" if overrides.get("TESTING") else None)
    app.config.from_object(config if isinstance(config, Config) else load_config(config))
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(
            app.config.get("DATABASE_URL"), app.instance_path
        )

    app.json = SafeJSONProvider(app)  # limits on JSON read from requests; readable Vietnamese
    _init_extensions(app)
    _register_blueprints(app)
    init_security(app)  # after the blueprints: it limits their credential endpoints
    _register_cli(app)
    return app


def database_uri(url: str | None, instance_path: str) -> str:
    """SQLite in the instance folder by default; DATABASE_URL (PostgreSQL) when set."""
    if not url:
        return f"sqlite:///{os.path.join(instance_path, 'audit.db')}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _init_extensions(app: Flask) -> None:
    from audit import db_setup
    from audit.auth.session import init_login
    from audit.extensions import babel, compress, csrf, db, mail, migrate
    from audit.notifications import timer
    from audit.web.locale import select_locale

    db.init_app(app)
    with app.app_context():
        db_setup.configure_engine(db.engine, float(app.config["SQLITE_BUSY_TIMEOUT"]))
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    compress.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "audit" / "translations"),
    )
    init_login(app)
    mail.init_app(app)
    timer.install(app)  # the periodic tick's thread, started by a process's first request


def _register_blueprints(app: Flask) -> None:
    from audit.actions.views import bp as actions_bp
    from audit.api import init_api
    from audit.auth.views import bp as auth_bp
    from audit.campaigns.views import bp as campaigns_bp
    from audit.checklists import editor_views, views  # noqa: F401 - their routes on the bp
    from audit.checklists.blueprint import bp as checklists_bp
    from audit.comparison.views import bp as comparison_bp
    from audit.disputes.views import bp as disputes_bp
    from audit.evidence.views import bp as evidence_bp
    from audit.ids import IdConverter
    from audit.jobs.views import bp as jobs_bp
    from audit.notifications.views import bp as notifications_bp
    from audit.orgs.views import bp as orgs_bp
    from audit.people.views import bp as people_bp
    from audit.portal.views import bp as portal_bp
    from audit.privacy.views import bp as privacy_bp
    from audit.reports.downloads import bp as reports_pdf_bp
    from audit.reports.views import bp as reports_bp
    from audit.review.views import bp as review_bp
    from audit.settings.views import bp as settings_bp
    from audit.targets.views import bp as targets_bp
    from audit.triggers.views import bp as triggers_bp
    from audit.visits.views import bp as visits_bp
    from audit.web.errors import register_error_handlers
    from audit.web.filters import register_filters
    from audit.web.offline import bp as offline_bp
    from audit.web.views import bp as web_bp

    app.url_map.converters["int"] = IdConverter  # before any rule is added
    register_filters(app)
    app.register_blueprint(web_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(visits_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(comparison_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(disputes_bp)
    app.register_blueprint(targets_bp)
    app.register_blueprint(triggers_bp)
    app.register_blueprint(orgs_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(campaigns_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(checklists_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(reports_pdf_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(notifications_bp)
    init_api(app)
    register_error_handlers(app)


def _register_cli(app: Flask) -> None:
    from audit.backup.cli import backup_cli
    from audit.demo.cli import demo_cli
    from audit.evidence.cli import storage_cli
    from audit.notifications.cli import jobs_cli
    from audit.people.cli import users_cli
    from audit.privacy.cli import privacy_cli
    from audit.reports.cli import reports_cli

    app.cli.add_command(backup_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(storage_cli)
