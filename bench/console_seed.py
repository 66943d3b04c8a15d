"""Bench-only audit volume: ~30 days of sign-in events and some live sessions, through COPY.

Events are `login` rows spread evenly over the last `days` days (85% success, 12% failure,
3% throttled), plus one `logout` per five sign-ins, for demo accounts already seeded by
`seed-demo` (user ids 1..users). Refused when the settings say production, like seed-demo.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

import sqlalchemy as sa

from nfp_app.infra.settings import get_settings
from nfp_app.models import utcnow
from nfp_app.services import demo_users

BATCH = 50_000
_EVENT_COLUMNS = "created_at, event, outcome, user_id, username, ip, user_agent, detail"
_SESSION_COLUMNS = "user_id, persistent, created_at, last_seen_at, expires_at, user_agent, ip"


def _copy(connection: sa.Connection, table: str, columns: str, rows: list[list[Any]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    raw: Any = connection.connection.dbapi_connection
    cursor = raw.cursor()
    try:
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)
    finally:
        cursor.close()


def _event_row(rng: random.Random, at: dt.datetime, users: int) -> list[list[Any]]:
    number = rng.randint(1, users)
    name = demo_users.demo_name(number)
    ip = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    roll = rng.random()
    outcome = "success" if roll < 0.85 else "failure" if roll < 0.97 else "throttled"
    user_id = number if outcome == "success" else ""
    rows = [[at.isoformat(), "login", outcome, user_id, name, ip, "bench", "bench"]]
    if outcome == "success" and rng.random() < 0.2:
        later = at + dt.timedelta(minutes=rng.randint(1, 120))
        rows.append([later.isoformat(), "logout", "success", number, name, ip, "bench", "bench"])
    return rows


def seed_sign_ins(connection: sa.Connection, *, events: int, users: int, days: int = 30) -> int:
    """Add `events` sign-in attempts (and some sign-outs) over `days` days; gives rows added."""
    if get_settings().is_production:
        raise RuntimeError("bench seeding is refused in production")
    rng = random.Random(2026)
    start = utcnow() - dt.timedelta(days=days)
    step = dt.timedelta(days=days) / events
    written = 0
    batch: list[list[Any]] = []
    for index in range(events):
        batch += _event_row(rng, start + step * index, users)
        if len(batch) >= BATCH:
            _copy(connection, "auth_event", _EVENT_COLUMNS, batch)
            written, batch = written + len(batch), []
    _copy(connection, "auth_event", _EVENT_COLUMNS, batch)
    return written + len(batch)


def seed_sessions(connection: sa.Connection, *, sessions: int, users: int) -> None:
    """Add `sessions` sessions: a third live and remembered, a third idle, a third expired."""
    rng = random.Random(7)
    now = utcnow()
    rows: list[list[Any]] = []
    for index in range(sessions):
        kind = index % 3
        created = now - dt.timedelta(hours=rng.randint(1, 24 * 20))
        seen = now - dt.timedelta(minutes=rng.randint(0, 600))
        expires = now - dt.timedelta(hours=1) if kind == 2 else now + dt.timedelta(days=10)
        persistent = "t" if kind == 0 else "f"
        row = [rng.randint(1, users), persistent, created, seen, expires, "bench", "10.0.0.1"]
        rows.append([v.isoformat() if isinstance(v, dt.datetime) else v for v in row])
    _copy(connection, "auth_session", _SESSION_COLUMNS, rows)
