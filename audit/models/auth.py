"""People who use the platform and their API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from audit.core.clock import utcnow
from audit.core.passwords import WeakPasswordError, password_problems
from audit.extensions import db
from audit.models.orgs import Brand, Franchisee
from audit.textfold import fold

ROLES = ("admin", "quality_manager", "franchise_owner", "shopper")


class User(UserMixin, db.Model):
    """A person with one role; a manager belongs to a brand, an owner to a franchisee."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin', 'quality_manager', 'franchise_owner', 'shopper')", name="role"
        ),
        CheckConstraint("role != 'quality_manager' OR brand_id IS NOT NULL", name="manager_brand"),
        CheckConstraint(
            "role != 'franchise_owner' OR franchisee_id IS NOT NULL", name="owner_franchisee"
        ),
        CheckConstraint("locale IS NULL OR locale IN ('vi', 'en')", name="locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str | None] = mapped_column(String(5))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id"), index=True)
    franchisee_id: Mapped[int | None] = mapped_column(ForeignKey("franchisees.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Lockout after repeated failed log-ins (audit.auth.lockout), kept here so every app
    # process sees the same count.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    last_failed_login_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    # The last successful log-in (page or API token request): an admin tells dormant
    # accounts, which should be deactivated, from people at work.
    last_login_at: Mapped[datetime | None]
    # Set when the person was erased on request: name and e-mail are a pseudonym since.
    erased_at: Mapped[datetime | None]
    # Name and e-mail folded for the People search (audit.textfold), kept on every write.
    search_text: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # The middle part of the id a session (or remember-me) cookie holds
    # (`audit.auth.session.session_id`): replaced with every new password, so a cookie
    # issued before, a stolen one included, no longer loads the person (Flask-Login's
    # "alternative tokens"). NULL on accounts whose password has not changed since
    # migration 0011sessions. Logging out ends one browser instead (`LoginSession`).
    session_key: Mapped[str | None] = mapped_column(String(32))

    brand: Mapped[Brand | None] = relationship()
    franchisee: Mapped[Franchisee | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def get_id(self) -> str:  # Flask-Login's; open_session then names the log-in too
        return f"{self.id}:{self.session_key}" if self.session_key else str(self.id)

    def holds_session(self, session_key: str) -> bool:
        """True when a cookie's key (the part of its id after the colon, "" for a bare id)
        is this account's current one."""
        return hmac.compare_digest((self.session_key or "").encode(), session_key.encode())

    def set_password(self, password: str) -> None:
        """Store the password's hash; refuse one the policy rejects (WeakPasswordError).
        A new password ends every session opened with the old one (`session_key`)."""
        problems = password_problems(password, self.email)
        if problems:
            raise WeakPasswordError(problems)
        self.password_hash = generate_password_hash(password)
        self.session_key = secrets.token_urlsafe(16)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _fold_user_search_text(mapper, connection, user: User) -> None:  # noqa: ARG001
    user.search_text = fold(user.name, user.email)[:500]


class LoginSession(db.Model):
    """One log-in of one browser, so that logging out ends it on the server: the session
    cookie (and a remember-me cookie, which carries the same id) names it by a secret whose
    SHA-256 alone is stored. Logging out deletes the row, and a copy of the cookie loads
    nobody since; the person's other browsers keep their own rows."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Kept to a few minutes (audit.auth.session): a session idle for longer than the
    # session lifetime is over, whatever its cookie says.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def open(cls, user: User) -> tuple[LoginSession, str]:
        """A new row for `user` and its secret in clear (it goes into the cookie only)."""
        secret = secrets.token_urlsafe(24)
        return cls(user_id=user.id, key_hash=cls.hash(secret)), secret


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, so a database leak reveals no token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, lifetime_days: int) -> tuple[ApiToken, str]:
        """Create a token row and return it with the clear token, shown once."""
        clear = secrets.token_urlsafe(32)
        row = cls(
            user=user,
            token_hash=cls.hash(clear),
            expires_at=utcnow() + timedelta(days=lifetime_days),
        )
        return row, clear

    def usable(self, now: datetime) -> bool:
        expires = self.expires_at
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return self.revoked_at is None and expires > now and self.user.active
