"""Configuration classes; values come from the environment, read when the app is created."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    LANGUAGES = ("vi", "en")
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    MAX_PHOTO_BYTES = 25 * 1024 * 1024
    MAX_CONTENT_LENGTH = MAX_PHOTO_BYTES + 1024 * 1024  # the photo plus form fields
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    # CSRF is checked in audit.api's guard: every form post, and API calls made with the
    # session cookie; bearer-token API calls carry no ambient authority and skip it.
    WTF_CSRF_CHECK_DEFAULT = False
    API_TITLE = "Service audit API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    TOKEN_LIFETIME_DAYS = 90

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY")
        self.DATABASE_URL = os.environ.get("DATABASE_URL")
        # Reports: RQ when REDIS_URL is set, else a thread pool in each app process.
        self.REDIS_URL = os.environ.get("REDIS_URL")
        self.REPORTS_QUEUE = os.environ.get("REPORTS_QUEUE", "reports")
        self.REPORT_WORKERS = int(os.environ.get("REPORT_WORKERS", "2"))
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
        # Seconds a SQLite write waits for the one write lock before answering 503.
        self.SQLITE_BUSY_TIMEOUT = float(os.environ.get("SQLITE_BUSY_TIMEOUT", "15"))
        # How many reverse proxies stand in front of the app (0: none trusted).
        self.TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
        max_mb = os.environ.get("MAX_UPLOAD_MB")
        if max_mb:
            self.MAX_PHOTO_BYTES = int(float(max_mb) * 1024 * 1024)
            self.MAX_CONTENT_LENGTH = self.MAX_PHOTO_BYTES + 1024 * 1024


class DevelopmentConfig(Config):
    """Local use: a generated secret key kept in the instance folder."""

    DEBUG = False


class TestingConfig(Config):
    """The test suite: CSRF off for API-style posts unless a test turns it on."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    REPORTS_BACKEND = "inline"  # report jobs run in the request, inside the test's transaction

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or "test-secret-key"


class ProductionConfig(Config):
    """Deployments: refuse to start without an explicit secret key."""

    def __init__(self) -> None:
        super().__init__()
        if not self.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production (AUDIT_ENV=production).")
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> Config:
    """Build the config object named by `name` or the AUDIT_ENV variable."""
    name = name or os.environ.get("AUDIT_ENV", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"Unknown AUDIT_ENV {name!r}; use one of {sorted(CONFIGS)}") from None


def instance_secret_key(instance_path: str) -> str:
    """Read (or create once) the development secret key kept in the instance folder."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
