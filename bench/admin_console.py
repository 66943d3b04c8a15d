"""The admin console at 1,000,000 users: keyset pages, searches, overview counters and chart.

Expects a database seeded by `python -m bench.admin_queries URL` (1M demo accounts). Unless
`--measure-only`, first adds `--events` sign-in audit events over 30 days and `--sessions`
sessions (bench/console_seed.py, COPY), then VACUUM ANALYZE. Each case runs the service call
the console makes; the table gives median and p95 over `--repeat` runs (after three warm-ups)
through SQLAlchemy, and the sum of PostgreSQL's own EXPLAIN ANALYZE execution times of every
statement the call sent (median of 5). Usage:
    python -m bench.admin_console postgresql+psycopg2://USER@HOST:PORT/DB [--events 3000000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session, col, func, select

from bench.admin_queries import spread
from bench.console_seed import seed_sessions, seed_sign_ins
from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.models import AuthEvent, User
from nfp_app.services import admin_overview, user_cursor, user_directory
from nfp_app.services.user_directory_types import SORT_KEYS, SortKey, UserQuery

Call = Callable[[Session], object]
# TIMING OFF: per-node timers cost two clock reads per row and node, which inflated a search
# that reads 170,000 index entries by about 20% (docs/benchmarks.md); the total is still timed.
EXPLAIN = "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) "


def server_ms(session: Session, call: Call) -> float:
    """Sum of EXPLAIN ANALYZE execution times of the statements `call` sends (median of 5)."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        call(session)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    raw: Any = session.connection().connection.dbapi_connection
    totals = []
    for _ in range(5):
        total = 0.0
        for statement, parameters in sent:
            with raw.cursor() as cursor:
                cursor.execute(EXPLAIN + statement, parameters)
                total += cursor.fetchone()[0][0]["Execution Time"]
        totals.append(total)
    return statistics.median(totals)


def cursor_at(session: Session, sort: SortKey, position: int) -> str | None:
    """The cursor a client holds after reading `position` rows in this order (None: start)."""
    if position <= 0:
        return None
    key = col(User.last_login_at) if "last_sign_in" in sort else col(User.created_at)
    if sort.startswith("-"):
        order = [key.desc().nulls_last(), col(User.id).desc()]
    else:
        order = [key.asc().nulls_first(), col(User.id)]
    user = session.exec(select(User).order_by(*order).offset(position - 1).limit(1)).one()
    value = user.last_login_at if "last_sign_in" in sort else user.created_at
    assert user.id is not None
    return user_cursor.encode(user_cursor.Cursor(sort=sort, value=value, user_id=user.id))


def page_call(query: UserQuery, cursor: str | None, *, count: bool = False) -> Call:
    size = get_settings().users_page_size
    return lambda session: user_directory.list_users(
        session=session, query=query, limit=size, cursor=cursor, count=count
    )


def cases(session: Session, users: int) -> list[tuple[str, Call]]:
    """Every timed case: pages of each order, searches, then the overview."""
    size = get_settings().users_page_size
    last = (users - 1) // size * size
    found: list[tuple[str, Call]] = []
    for sort in SORT_KEYS:
        for name, position in (
            ("first", 0),
            ("10,000th", 9_999 * size),
            ("middle", last // 2),
            ("last", last),
        ):
            cursor = cursor_at(session, sort, position)
            found.append((f"page {name}, sort {sort}", page_call(UserQuery(sort=sort), cursor)))
    found.append(("page first + exact total (REST)", page_call(UserQuery(), None, count=True)))
    searches = [
        ("common prefix demo_0", UserQuery(prefix="demo_0")),
        ("common prefix demo_0, -last_sign_in", UserQuery(prefix="demo_0", sort="-last_sign_in")),
        ("rare prefix demo_0999 (1,000 names + ~700 emails)", UserQuery(prefix="demo_0999")),
        (
            "rare prefix demo_0999, -last_sign_in",
            UserQuery(prefix="demo_0999", sort="-last_sign_in"),
        ),
        ("prefix demo_099 (~17,000 matches, all newest)", UserQuery(prefix="demo_099")),
        ("prefix demo_09 (~170,000 matches, newest 10%)", UserQuery(prefix="demo_09")),
        (
            "prefix demo_09, last_sign_in",
            UserQuery(prefix="demo_09", sort="last_sign_in"),
        ),
        ("demo_09 + admin (100 of ~170,000)", UserQuery(prefix="demo_09", admin=True)),
        ("one user demo_0999999", UserQuery(prefix="demo_0999999")),
        ("email prefix demo_0123456@ex", UserQuery(prefix="demo_0123456@ex")),
        ("no match zzz", UserQuery(prefix="zzz")),
        ("demo_0 + admin", UserQuery(prefix="demo_0", admin=True)),
        ("demo_0 + disabled", UserQuery(prefix="demo_0", active=False)),
        (
            "demo_09 + unverified, -created",
            UserQuery(prefix="demo_09", verified=False, sort="-created"),
        ),
        ("filter admin only", UserQuery(admin=True)),
        ("filter disabled, last_sign_in", UserQuery(active=False, sort="last_sign_in")),
        ("rare prefix + exact total (REST)", UserQuery(prefix="demo_0999")),
    ]
    for name, query in searches:
        found.append((f"search {name}", page_call(query, None, count="REST" in name)))
    found.append(("overview counters", lambda s: admin_overview.counters(session=s)))
    found.append(("overview chart (30 days)", lambda s: admin_overview.sign_ins_per_day(session=s)))
    return found


def seed(events: int, sessions: int) -> None:
    users = db.call(lambda session: session.exec(select(func.max(User.id))).one()) or 0
    started = time.perf_counter()
    with db.get_engine().begin() as connection:
        rows = seed_sign_ins(connection, events=events, users=users)
        seed_sessions(connection, sessions=sessions, users=users)
    with db.get_engine().connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("auth_event", "auth_session"):
            autocommit.execute(sa.text(f"VACUUM ANALYZE {table}"))
    seconds = time.perf_counter() - started
    print(f"- seeded {rows:,} audit events and {sessions:,} sessions in {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the admin console over many users.")
    parser.add_argument("url", help="a throwaway PostgreSQL database seeded by admin_queries")
    parser.add_argument("--events", type=int, default=3_000_000)
    parser.add_argument("--sessions", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--measure-only", action="store_true")
    parser.add_argument("--only", default="", help="time only the cases containing this text")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.url
    get_settings.cache_clear()
    db.migrate_to_head()
    if not args.measure_only:
        seed(args.events, args.sessions)
    with Session(db.get_engine()) as session:
        users = session.exec(select(func.count()).select_from(User)).one()
        events = session.exec(select(func.count()).select_from(AuthEvent)).one()
        print(f"\n{users:,} users, {events:,} audit events; ms, {args.repeat} runs\n")
        print("| case | median | p95 | server (EXPLAIN ANALYZE, TIMING OFF) |")
        print("|---|---|---|---|")
        for name, call in cases(session, users):
            if args.only not in name:
                continue
            timed = spread(lambda call=call: call(session), args.repeat)
            print(f"| {name} | {timed} | {server_ms(session, call):.2f} |", flush=True)


if __name__ == "__main__":
    main()
