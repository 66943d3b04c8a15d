"""Username, email and password rules, kept in one place for the UI, the API and the CLI."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from zxcvbn.frequency_lists import FREQUENCY_LISTS

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 32
# The default of the PASSWORD_MIN_LENGTH setting; callers pass the configured value.
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 1024
EMAIL_MAX_LENGTH = 254
# Typed text may be longer than the rule before NFKC normalisation shortens it: generous caps
# that stop huge input early, while the rules above decide.
USERNAME_INPUT_MAX = 4 * USERNAME_MAX_LENGTH
EMAIL_INPUT_MAX = 4 * EMAIL_MAX_LENGTH

APP_NAMES = ("nfp_app", "nfp app", "nfpapp")
ON_COMMON_LIST = "This password is on a list of common or breached passwords; choose another."
# Long, well-known passwords that zxcvbn's list (mostly shorter ones) lacks.
_EXTRA_COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "correcthorsebatterystaple",
        "iloveyou1234",
        "letmein12345",
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "qwerty123456789",
        "qwertyuiop123",
        "qwertyuiopasdfgh",
        "welcome12345",
    }
)
# Control, format (zero-width, bidi) and surrogate characters have no place in an address.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_NOT_PLAIN_TEXT = _INVISIBLE_CATEGORIES | {"Co", "Cn"}
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
    invisible = any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in value)
    if invisible or len(value) > EMAIL_MAX_LENGTH or not _EMAIL_PATTERN.match(value):
        raise PolicyError("email", "Enter a valid email address, or leave it empty.")
    return value


def is_plain_text(value: str) -> bool:
    """No control, format, surrogate, private-use or unassigned characters: text people type
    (a NUL would also make PostgreSQL refuse the statement)."""
    return not any(unicodedata.category(char) in _NOT_PLAIN_TEXT for char in value)


def normalize_password(password: str) -> str:
    """The form in which a password is hashed and verified."""
    return unicodedata.normalize("NFKC", password)


@functools.cache
def _common_passwords() -> frozenset[str]:
    bundled = (word.casefold() for word in FREQUENCY_LISTS["passwords"])
    return frozenset(bundled) | _EXTRA_COMMON_PASSWORDS


def _context_words(username: str, email: str | None) -> Iterable[tuple[str, str]]:
    yield normalize_username(username), "Password is too close to your username."
    local_part = (email or "").partition("@")[0]
    yield normalize_username(local_part), "Password is too close to your email address."
    for name in APP_NAMES:
        yield name, "Password is too close to the name of this app."


def password_weakness(
    password: str, *, username: str = "", email: str | None = None, min_length: int
) -> str | None:
    """Why a normalised password is guessable (common, or built on a name), or None."""
    folded = password.casefold()
    if folded in _common_passwords():
        return ON_COMMON_LIST
    for word, reason in _context_words(username, email):
        # Short words would match by chance; what is left without the word must be long enough.
        if len(word) >= USERNAME_MIN_LENGTH and len(folded.replace(word, "")) < min_length:
            return reason
    return None


def check_password(
    password: str,
    *,
    username: str = "",
    email: str | None = None,
    min_length: int = PASSWORD_MIN_LENGTH,
) -> str:
    """Return the password NFKC-normalised or raise PolicyError; length counts code points."""
    too_long = f"Password must be at most {PASSWORD_MAX_LENGTH} characters long."
    # Checked before normalising, so a megabyte of input costs nothing.
    if len(password) > PASSWORD_MAX_LENGTH:
        raise PolicyError("password", too_long)
    value = normalize_password(password)
    if "\x00" in value:
        raise PolicyError("password", "Password must not contain a NUL character.")
    if len(value) < min_length:
        raise PolicyError("password", f"Password must be at least {min_length} characters long.")
    if len(value) > PASSWORD_MAX_LENGTH:
        raise PolicyError("password", too_long)
    weakness = password_weakness(value, username=username, email=email, min_length=min_length)
    if weakness is not None:
        raise PolicyError("password", weakness)
    return value
