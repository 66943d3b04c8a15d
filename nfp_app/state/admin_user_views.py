"""What the console's page of one account may show: browser-safe, formatted views."""

from __future__ import annotations

import dataclasses

from nfp_app.services.admin_user_detail import AuditEntry, LiveSession, UserProfile
from nfp_app.state.views import format_time


@dataclasses.dataclass(frozen=True)
class ProfileView:
    """The account's profile card."""

    id: int
    username: str
    email: str
    active: bool
    admin: bool
    verified: bool
    has_email: bool
    created: str
    last_sign_in: str
    password_changed: str
    mfa_enabled: bool
    notes: int = 0


@dataclasses.dataclass(frozen=True)
class SessionLine:
    """One line of the account's live sessions."""

    id: int
    device: str
    ip: str
    created: str
    last_seen: str
    persistent: bool


@dataclasses.dataclass(frozen=True)
class EventLine:
    """One line of the account's recent audit events."""

    time: str
    event: str
    outcome: str
    ip: str
    detail: str


def profile_view(profile: UserProfile) -> ProfileView:
    """The profile as the card shows it."""
    return ProfileView(
        id=profile.id,
        username=profile.username,
        email=profile.email or "—",
        active=profile.is_active,
        admin=profile.is_admin,
        verified=profile.is_verified,
        has_email=bool(profile.email),
        created=format_time(profile.created_at),
        last_sign_in=format_time(profile.last_login_at),
        password_changed=format_time(profile.password_changed_at),
        mfa_enabled=profile.mfa_enabled,
        notes=profile.notes,
    )


def session_line(row: LiveSession) -> SessionLine:
    """A live session as a line of the table."""
    return SessionLine(
        id=row.id,
        device=row.device,
        ip=row.ip or "—",
        created=format_time(row.created_at),
        last_seen=format_time(row.last_seen_at),
        persistent=row.persistent,
    )


def event_line(entry: AuditEntry) -> EventLine:
    """An audit event as a line of the table."""
    return EventLine(
        time=format_time(entry.created_at),
        event=entry.event,
        outcome=entry.outcome,
        ip=entry.ip or "—",
        detail=entry.detail or "—",
    )
