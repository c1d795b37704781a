"""The password policy, a pure function (no Flask): long enough, not the e-mail address,
and not easy to guess.

"Easy to guess" is zxcvbn's estimate (Dropbox's strength estimator, with its bundled lists
of 30,000 common passwords, names, words, keyboard patterns, repeats and dates): a score
below 3 means fewer than 10⁸ guesses. Length beats composition rules (NIST SP 800-63B), so
there are none: "demo-Audit-2026" and a phrase of ordinary words both pass."""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128  # long enough for any passphrase; bounds the estimator's work
MIN_SCORE = 3

TOO_SHORT, TOO_LONG, IS_EMAIL, TOO_COMMON = "too_short", "too_long", "is_email", "too_common"


def password_problems(password: str, email: str | None = None) -> list[str]:
    """The policy's objections to `password` for the account `email` (empty: it is fine)."""
    if len(password) < MIN_LENGTH:
        return [TOO_SHORT]
    if len(password) > MAX_LENGTH:
        return [TOO_LONG]
    email = (email or "").strip().lower()
    local_part = email.partition("@")[0]
    if email and password.strip().lower() in {email, local_part}:
        return [IS_EMAIL]
    user_inputs = [email, local_part, *local_part.replace("_", ".").split(".")] if email else []
    if zxcvbn(password, user_inputs=user_inputs, max_length=MAX_LENGTH)["score"] < MIN_SCORE:
        return [TOO_COMMON]
    return []


class WeakPasswordError(ValueError):
    """Raised by User.set_password when the policy refuses the password."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems
