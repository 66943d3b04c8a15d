"""Username, email and password rules, kept in one place for the UI, the API and the CLI."""

from __future__ import annotations

import re
import unicodedata

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 32
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024
EMAIL_MAX_LENGTH = 254

_USERNAME_PUNCTUATION = frozenset("._-")
_LETTER_OR_DIGIT = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"})
# Deliberately loose: one @, no spaces, a dot in the domain. Delivery is the real test.
_EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PolicyError(ValueError):
    """Input that breaks a rule; `field` names the form field and the message is for people."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalize_username(username: str) -> str:
    """The key that makes usernames unique (NFKC, casefold, trimmed): Alice and alice are one."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())
    return folded.strip()


def check_username(username: str) -> str:
    """Return the username as it will be stored (NFKC, trimmed) or raise PolicyError."""
    name = unicodedata.normalize("NFKC", username.strip())
    if not USERNAME_MIN_LENGTH <= len(name) <= USERNAME_MAX_LENGTH:
        raise PolicyError(
            "username",
            f"Username must be {USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} characters long.",
        )
    for char in name:
        if char not in _USERNAME_PUNCTUATION and unicodedata.category(char) not in _LETTER_OR_DIGIT:
            raise PolicyError(
                "username", "Username may contain only letters, digits, '.', '_' and '-'."
            )
    return name


def check_email(email: str | None) -> str | None:
    """Return the email trimmed (None when blank) or raise PolicyError."""
    if email is None or not email.strip():
        return None
    value = email.strip()
    if len(value) > EMAIL_MAX_LENGTH or not _EMAIL_PATTERN.match(value):
        raise PolicyError("email", "Enter a valid email address, or leave it empty.")
    return value


def check_password(password: str) -> str:
    """Return the password NFKC-normalised or raise PolicyError; length counts code points."""
    if len(password) > PASSWORD_MAX_LENGTH:
        raise PolicyError(
            "password", f"Password must be at most {PASSWORD_MAX_LENGTH} characters long."
        )
    value = unicodedata.normalize("NFKC", password)
    if "\x00" in value:
        raise PolicyError("password", "Password must not contain a NUL character.")
    if len(value) < PASSWORD_MIN_LENGTH:
        raise PolicyError(
            "password", f"Password must be at least {PASSWORD_MIN_LENGTH} characters long."
        )
    if len(value) > PASSWORD_MAX_LENGTH:
        raise PolicyError(
            "password", f"Password must be at most {PASSWORD_MAX_LENGTH} characters long."
        )
    return value


def normalize_password(password: str) -> str:
    """The form in which a password is hashed and verified."""
    return unicodedata.normalize("NFKC", password)


def password_strength(password: str) -> tuple[int, str]:
    """A rough 0-4 score and label for the live hint on the signup page."""
    if not password:
        return 0, ""
    if len(password) < PASSWORD_MIN_LENGTH:
        return 0, f"Too short: at least {PASSWORD_MIN_LENGTH} characters"
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    distinct = len(set(password))
    score = 1 + (len(password) >= 12) + (len(password) >= 16) + (classes >= 3 and distinct >= 8)
    score = min(score, 4) if distinct > 3 else 1
    return score, ("Weak", "Weak", "Fair", "Good", "Strong")[score]
