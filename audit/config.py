"""Configuration classes; values come from the environment, read when the app is created."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project: templates, migrations, pyproject


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
    # Scripts, styles and the manifest travel compressed (a phone's first load of the form
    # stays small); pages and JSON do not: they carry CSRF tokens and typed text, and a
    # compressed secret beside attacker-chosen text leaks through its size (BREACH).
    COMPRESS_MIMETYPES = ["text/css", "text/javascript", "application/javascript",
                          "application/manifest+json", "image/svg+xml"]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    # Rate limits on the credential endpoints (Flask-Limiter): failed attempts per client
    # address; a 429 in the user's language once over. RATELIMIT_* are Flask-Limiter's keys.
    RATELIMIT_ENABLED = True
    RATELIMIT_KEY_PREFIX = "audit-ratelimit"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True  # a Redis outage must not lock everybody out
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
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
        # Seconds before each new attempt of a report job that raised (a locked SQLite file,
        # a lost connection, a renderer error): "1,4,15" is four attempts in about 20 s.
        self.REPORT_RETRY_DELAYS = tuple(
            float(x) for x in os.environ.get("REPORT_RETRY_DELAYS", "1,4,15").split(",")
            if x.strip())
        self._security_from_env(secure_default=False)
        # Backups of PostgreSQL: the folder of pg_dump/pg_restore when PATH's are not the
        # server's major version.
        self.PG_BIN_DIR = os.environ.get("PG_BIN_DIR")
        # Files (photos, action evidence, reports): local disk, or S3 for several machines.
        self.STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local").strip().lower()
        # The local store's folder (default: "photos" in the instance folder).
        self.PHOTO_ROOT = os.environ.get("PHOTO_ROOT") or None
        self.S3_BUCKET = os.environ.get("S3_BUCKET")
        self.S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")
        self.S3_PREFIX = os.environ.get("S3_PREFIX", "")
        self.S3_REGION = os.environ.get("S3_REGION")
        self.REPORT_KEEP_DAYS = int(os.environ.get("REPORT_KEEP_DAYS", "30"))
        if self.STORAGE_BACKEND not in ("local", "s3"):
            raise RuntimeError(f"Unknown STORAGE_BACKEND {self.STORAGE_BACKEND!r}; use local "
                               "or s3.")
        if self.STORAGE_BACKEND == "s3" and not self.S3_BUCKET:
            raise RuntimeError("STORAGE_BACKEND=s3 needs S3_BUCKET.")
        self._notifications_from_env()
        # Seconds a SQLite write waits for the one write lock before answering 503.
        self.SQLITE_BUSY_TIMEOUT = float(os.environ.get("SQLITE_BUSY_TIMEOUT", "15"))
        max_mb = os.environ.get("MAX_UPLOAD_MB")
        if max_mb:
            self.MAX_PHOTO_BYTES = int(float(max_mb) * 1024 * 1024)
            self.MAX_CONTENT_LENGTH = self.MAX_PHOTO_BYTES + 1024 * 1024

    def _notifications_from_env(self) -> None:
        """E-mail (unset MAIL_SERVER: written to the log), links, digests and the tick."""
        env = os.environ.get
        self.MAIL_SERVER = env("MAIL_SERVER") or None
        self.MAIL_PORT = int(env("MAIL_PORT", "25"))
        self.MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
        self.MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
        self.MAIL_USERNAME = env("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = env("MAIL_PASSWORD") or None
        self.MAIL_FROM = env("MAIL_FROM", "Service audit <no-reply@localhost>")
        self.MAIL_DEFAULT_SENDER = self.MAIL_FROM
        self.MAIL_SUPPRESS_SEND = False  # Flask-Mail's default suppresses under TESTING
        self.MAIL_TIMEOUT = float(env("MAIL_TIMEOUT", "30"))
        # Minutes before each new attempt of an e-mail the server refused: "1,5,30" is
        # four attempts in all; then the message is marked failed in the delivery log.
        self.MAIL_RETRY_MINUTES = tuple(
            float(x) for x in env("MAIL_RETRY_MINUTES", "1,5,30").split(",") if x.strip())
        self.MAIL_QUEUE = env("MAIL_QUEUE", "mail")
        # The links in e-mails are absolute: this is where people reach the app.
        self.BASE_URL = env("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.APP_TIMEZONE = env("APP_TIMEZONE", self.BABEL_DEFAULT_TIMEZONE)
        self.DIGEST_HOUR = int(env("DIGEST_HOUR", "7"))
        # Seconds between two runs of the scheduled tick by each app process's timer
        # thread (the database lease makes it run once per period across processes);
        # 0: no timer, run `flask --app wsgi.py jobs tick` from cron instead.
        self.TICK_SECONDS = float(env("TICK_SECONDS", "60"))

    def _security_from_env(self, *, secure_default: bool) -> None:
        """Cookies, session lifetime, proxy, HTTPS, rate limits and lockout from the environment."""
        env = os.environ.get
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", secure_default)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        # An idle timeout: the session cookie is renewed on every request.
        hours = float(env("SESSION_LIFETIME_HOURS", "12"))
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=hours)
        scheme = "https" if secure_default else "http"
        self.PREFERRED_URL_SCHEME = env("PREFERRED_URL_SCHEME", scheme)
        self.HSTS_SECONDS = int(env("HSTS_SECONDS", "0"))
        proxies = env("TRUSTED_PROXIES")
        # PROXY_FIX=1 alone trusts one proxy; TRUSTED_PROXIES gives the number of hops.
        self.TRUSTED_PROXIES = int(proxies) if proxies else int(_env_bool("PROXY_FIX", False))
        self.RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", type(self).RATELIMIT_ENABLED)
        self.RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI") or env("REDIS_URL") or "memory://"
        self.RATELIMIT_LOGIN = env("RATELIMIT_LOGIN", "10 per minute;50 per hour")
        self.RATELIMIT_TOKEN = env("RATELIMIT_TOKEN", "10 per minute;50 per hour")
        self.LOCKOUT_ATTEMPTS = int(env("LOCKOUT_ATTEMPTS", "5"))
        self.LOCKOUT_MINUTES = float(env("LOCKOUT_MINUTES", "15"))


class DevelopmentConfig(Config):
    """Local use: a generated secret key kept in the instance folder."""

    DEBUG = False


class TestingConfig(Config):
    """The test suite: CSRF off for API-style posts unless a test turns it on."""

    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False  # the rate-limit tests turn it on in their own apps
    REPORTS_BACKEND = "inline"  # report jobs run in the request, inside the test's transaction
    REPORT_RETRY_DELAYS = (0.0, 0.0)
    MAIL_BACKEND = "manual"  # e-mails stay queued; tests send them with send_queued()

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or "test-secret-key"
        self.REPORT_RETRY_DELAYS = (0.0, 0.0)
        self.MAIL_SERVER = None  # the mail tests point it at their own SMTP server
        self.TICK_SECONDS = 0.0  # no timer thread: tests call run_tick(now)


class ProductionConfig(Config):
    """Deployments: refuse to start without an explicit secret key."""

    def __init__(self) -> None:
        super().__init__()
        if not self.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production (AUDIT_ENV=production).")
        self._security_from_env(secure_default=True)


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
