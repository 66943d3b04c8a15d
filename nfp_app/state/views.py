"""What the pages may show about stored rows: browser-safe views and their formatting."""

from __future__ import annotations

import dataclasses

from nfp_app.models import AuthEvent, User
from nfp_app.security.user_agents import describe_device
from nfp_app.services.my_sessions import SessionView


@dataclasses.dataclass(frozen=True)
class UserView:
    """What the browser may show about the signed-in user."""

    username: str
    email: str
    role: str
    created_at: str
    last_login_at: str
    email_status: str = ""


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
        email_status=(
            "—" if not user.email else "confirmed" if user.email_verified_at else "not confirmed"
        ),
    )


@dataclasses.dataclass(frozen=True)
class SessionRow:
    """One line of the user's own sessions table."""

    id: int
    device: str
    ip: str
    created: str
    last_seen: str
    current: bool


def session_row(view: SessionView) -> SessionRow:
    """A live session as a line of the sessions table."""
    return SessionRow(
        id=view.id,
        device=view.device,
        ip=view.ip or "—",
        created=format_time(view.created_at),
        last_seen=format_time(view.last_seen_at),
        current=view.current,
    )


_EVENT_WORDS = {
    ("login", "success"): "Signed in",
    ("login", "failure"): "Failed sign-in",
    ("login", "throttled"): "Sign-in refused (too many attempts)",
    ("logout", "success"): "Signed out",
    ("password_change", "success"): "Password changed",
    ("session_revoke", "success"): "Session revoked",
    ("sessions_revoke", "success"): "Sessions revoked",
}


@dataclasses.dataclass(frozen=True)
class EventRow:
    """One line of the user's recent sign-in history."""

    time: str
    what: str
    ip: str
    device: str


def event_row(event: AuthEvent) -> EventRow:
    """An audit row in words."""
    return EventRow(
        time=format_time(event.created_at),
        what=_EVENT_WORDS.get((event.event, event.outcome), event.event.replace("_", " ")),
        ip=event.ip or "—",
        device=describe_device(event.user_agent) if event.user_agent else "—",
    )
