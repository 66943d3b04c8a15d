"""Bulk demo accounts for development and benchmarks: `demo_0000001`, `demo_0000002`, ...

Rows are exactly what `accounts.create_user` stores (NFKC name, casefolded `username_key`,
UTC timestamps, a bcrypt_sha256 hash) but share ONE hash of `DEMO_PASSWORD`, computed once,
and write no audit entries. PostgreSQL gets them through `COPY ... FROM STDIN`, SQLite through
one executemany per batch, all in one transaction. Existing accounts are never touched:
numbering continues after the highest demo name already stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from nfp_app.infra.settings import get_settings
from nfp_app.models import User
from nfp_app.models.base import utcnow
from nfp_app.security import policy
from nfp_app.services import accounts

DEMO_PASSWORD = "demo-Lantern-Harbor-2026"  # noqa: S105  (documented, for demo data only)
PREFIX = "demo_"
DIGITS = 7  # up to 9,999,999 demo accounts, and names sort like their numbers
BATCH = 20_000
_YEAR = dt.timedelta(days=365)
_COLUMNS = (
    "username",
    "username_key",
    "email",
    "hashed_password",
    "is_active",
    "is_admin",
    "created_at",
    "last_login_at",
    "password_changed_at",
    "email_verified_at",
)

Progress = Callable[[int, int], None]


def demo_name(number: int) -> str:
    """The username of demo account `number`."""
    return f"{PREFIX}{number:0{DIGITS}d}"


def highest_demo_number(*, session: Session) -> int:
    """The largest number among stored demo names, 0 when there are none."""
    low, high = demo_name(0), demo_name(10**DIGITS - 1)
    keys = session.exec(
        select(User.username_key)
        .where(col(User.username_key).between(low, high))
        .where(func.length(col(User.username_key)) == len(low))
        .order_by(col(User.username_key).desc())
    )
    # Fixed-width digits sort like numbers; skip a hand-made look-alike such as demo_12x4567.
    for key in keys:
        if key[len(PREFIX) :].isdigit():
            return int(key[len(PREFIX) :])
    return 0


def demo_rows(first: int, count: int, *, hashed: str, now: dt.datetime) -> Iterator[dict[str, Any]]:
    """`count` account rows numbered from `first`; the same numbers give the same rows."""
    for index in range(count):
        number = first + index
        rng = random.Random(number)  # noqa: S311  (demo data, repeatable by number)
        name = demo_name(number)
        # Older numbers were created earlier, spread over the last year, as real signups are.
        created = now - _YEAR * (1 - (index + rng.random()) / count)
        email = f"{name}@example.com" if rng.random() < 0.7 else None
        verified = created + dt.timedelta(minutes=rng.randint(1, 600))
        login = created + (now - created) * rng.random()
        yield {
            "username": name,
            "username_key": policy.normalize_username(name),
            "email": email,
            "hashed_password": hashed,
            "is_active": rng.random() >= 0.05,
            "is_admin": number % 1000 == 1,
            "created_at": created,
            "last_login_at": login if rng.random() < 0.6 else None,
            "password_changed_at": created,
            "email_verified_at": verified if email and rng.random() < 0.6 else None,
        }


def seed(*, session: Session, count: int, on_progress: Progress | None = None) -> tuple[int, int]:
    """Add `count` demo accounts after the highest existing one; gives the first and last number."""
    if count < 1:
        raise ValueError("count must be at least 1")
    policy.check_password(DEMO_PASSWORD, min_length=get_settings().password_min_length)
    first = highest_demo_number(session=session) + 1
    last = first + count - 1
    if last >= 10**DIGITS:
        raise ValueError(f"demo numbers end at {10**DIGITS - 1:,}")
    hashed = accounts.hash_for(DEMO_PASSWORD)  # once: bcrypt is slow on purpose
    rows = demo_rows(first, count, hashed=hashed, now=utcnow())
    connection = session.connection()
    write = _copy_batch if connection.dialect.name == "postgresql" else _insert_batch
    done = 0
    while done < count:
        batch = [next(rows) for _ in range(min(BATCH, count - done))]
        write(connection, batch)
        done += len(batch)
        if on_progress is not None:
            on_progress(done, count)
    return first, last


def _insert_batch(connection: sa.Connection, batch: list[dict[str, Any]]) -> None:
    # Core executemany applies the column types, so SQLite stores timestamps as the ORM does.
    connection.execute(sa.insert(User.__table__), batch)  # type: ignore[arg-type]


def _copy_batch(connection: sa.Connection, batch: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in batch:
        writer.writerow([_csv_value(row[column]) for column in _COLUMNS])
    buffer.seek(0)
    columns = ", ".join(_COLUMNS)
    raw = connection.connection.dbapi_connection
    assert raw is not None
    cursor: Any = raw.cursor()  # psycopg2's cursor; copy_expert is not in the DB-API types
    try:
        cursor.copy_expert(f'COPY "user" ({columns}) FROM STDIN WITH (FORMAT csv)', buffer)
    finally:
        cursor.close()


def _csv_value(value: object) -> str:
    # In COPY's csv format an unquoted empty field is NULL.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return str(value)
