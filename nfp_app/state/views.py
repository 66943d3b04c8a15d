"""What the pages may show about stored rows: browser-safe views and their formatting."""

from __future__ import annotations

import dataclasses

from nfp_app.models import User


@dataclasses.dataclass(frozen=True)
class UserView:
    """What the browser may show about the signed-in user."""

    username: str
    email: str
    role: str
    created_at: str
    last_login_at: str


def format_time(value: object) -> str:
    """A timestamp as people read it, or a dash."""
    if value is None:
        return "—"
    return f"{value:%Y-%m-%d %H:%M} UTC"


def user_view(user: User) -> UserView:
    """The browser-safe view of a stored user."""
    return UserView(
        username=user.username,
        email=user.email or "—",
        role="Administrator" if user.is_admin else "User",
        created_at=format_time(user.created_at),
        last_login_at=format_time(user.last_login_at),
    )


@dataclasses.dataclass(frozen=True)
class UserRow:
    """One line of the admin table."""

    username: str
    email: str
    admin: str
    active: str
    created: str


def user_row(user: User) -> UserRow:
    """A stored user as a line of the admin table."""
    return UserRow(
        username=user.username,
        email=user.email or "",
        admin="yes" if user.is_admin else "no",
        active="yes" if user.is_active else "no",
        created=format_time(user.created_at),
    )
