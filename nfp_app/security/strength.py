"""The live strength hint of the signup page: zxcvbn's 0-4 score, after the policy's own rules."""

from __future__ import annotations

from collections.abc import Iterable

from zxcvbn import zxcvbn

from nfp_app.security.policy import (
    APP_NAMES,
    PASSWORD_MIN_LENGTH,
    normalize_password,
    password_weakness,
)

# zxcvbn refuses longer input; the first 72 characters are enough to rate a password.
STRENGTH_MAX_CHARS = 72
STRENGTH_LABELS = ("Very weak", "Weak", "Fair", "Good", "Strong")


def password_strength(
    password: str, *, min_length: int = PASSWORD_MIN_LENGTH, user_inputs: Iterable[str] = ()
) -> tuple[int, str]:
    """A 0-4 zxcvbn score and its label, for the live hint on the signup page."""
    if not password:
        return 0, ""
    value = normalize_password(password)
    if len(value) < min_length:
        return 0, f"Too short: at least {min_length} characters"
    if password_weakness(value, min_length=min_length) is not None:
        return 0, "Too common"
    result = zxcvbn(value[:STRENGTH_MAX_CHARS], user_inputs=[*APP_NAMES, *user_inputs])
    score = max(0, min(4, int(result["score"])))
    return score, STRENGTH_LABELS[score]
