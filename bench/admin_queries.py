"""Before-keyset baseline: the admin users page and `GET /users/` over 1,000,000 accounts.

Seeds `--users` demo accounts into a throwaway PostgreSQL database (timed: `COPY`, then
`VACUUM ANALYZE`), then times today's query of both, `accounts.list_users` (a `count(*)` plus
`ORDER BY id OFFSET .. LIMIT ..`), through SQLAlchemy on the first, middle and last page:
median and p95 of `--repeat` runs after a warm-up, in milliseconds, on one open session, plus
the execution time PostgreSQL itself reports (EXPLAIN ANALYZE). `--measure-only` re-times an
already seeded database, e.g. after the keyset change.
Usage, from the project folder (the database must have no accounts yet):
    python -m bench.admin_queries postgresql+psycopg2://USER@HOST:PORT/DB [--users 1000000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from nfp_app.cli.seed import ProgressBar
from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.models import User
from nfp_app.services import accounts, demo_users

REST_MAX_LIMIT = 200  # MAX_PAGE_SIZE of GET /users/


def spread(run: Callable[[], object], repeat: int) -> str:
    """Median and p95 of `repeat` timed runs, after three untimed ones."""
    for _ in range(3):
        run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
    return f"{statistics.median(times):.1f} | {p95:.1f}"


def server_time(session: Session, query: sa.Select[Any]) -> float:
    """The median execution time PostgreSQL reports for a query (EXPLAIN ANALYZE, 5 runs)."""
    sql = query.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True})
    explain = sa.text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
    runs = [session.execute(explain).scalar_one()[0]["Execution Time"] for _ in range(5)]
    return statistics.median(runs)


def seed(count: int) -> None:
    """Migrate, fill and analyse the database, printing how long each step took."""
    db.migrate_to_head()
    existing = db.call(lambda session: session.exec(select(func.count()).select_from(User)).one())
    if existing:
        sys.exit(f"The database already has {existing:,} accounts; give an empty throwaway one.")
    started = time.perf_counter()
    db.call(demo_users.seed, count=count, on_progress=ProgressBar(sys.stderr))
    seeded = time.perf_counter()
    with db.get_engine().connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            sa.text('VACUUM ANALYZE "user"')
        )
    analysed = time.perf_counter()
    print(f"- seeding {count:,} users (COPY, one transaction): {seeded - started:.1f} s")
    print(f"- VACUUM ANALYZE afterwards: {analysed - seeded:.1f} s")


def measure(repeat: int) -> None:
    """Print a Markdown table of today's admin and REST list queries."""
    size = get_settings().users_page_size
    with Session(db.get_engine()) as session:
        total = accounts.list_users(session=session, offset=0, limit=1)[1]
        last_offset = (total - 1) // size * size
        cases = [
            (f"/admin page 1 (limit {size})", 0, size),
            (f"/admin middle page {last_offset // size // 2 + 1}", last_offset // 2, size),
            (f"/admin last page {last_offset // size + 1}", last_offset, size),
            (f"GET /users/?limit={REST_MAX_LIMIT} first", 0, REST_MAX_LIMIT),
            (
                f"GET /users/?limit={REST_MAX_LIMIT} last",
                (total - 1) // REST_MAX_LIMIT * REST_MAX_LIMIT,
                REST_MAX_LIMIT,
            ),
        ]

        def page_only(offset: int, limit: int) -> Callable[[], object]:
            query = select(User).order_by(col(User.id)).offset(offset).limit(limit)
            return lambda: session.exec(query).all()

        def whole(offset: int, limit: int) -> Callable[[], object]:
            return lambda: accounts.list_users(session=session, offset=offset, limit=limit)

        count = select(func.count()).select_from(User)
        print(f"\n{total:,} users; median | p95 in ms of {repeat} runs\n")
        print("| query | list_users median | p95 | page query median | p95 | page in server |")
        print("|---|---|---|---|---|---|")
        for name, offset, limit in cases:
            page = select(User).order_by(col(User.id)).offset(offset).limit(limit)
            print(
                f"| {name} | {spread(whole(offset, limit), repeat)} "
                f"| {spread(page_only(offset, limit), repeat)} "
                f"| {server_time(session, page):.2f} |"
            )
        counted = spread(lambda: session.exec(count).one(), repeat)
        print(f"| `count(*)` alone | {counted} | | | {server_time(session, count):.2f} |")


def main() -> None:
    """Parse the arguments, seed, measure."""
    parser = argparse.ArgumentParser(description="Time the admin users queries over many users.")
    parser.add_argument("url", help="a throwaway PostgreSQL database (SQLAlchemy URL)")
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--measure-only", action="store_true", help="skip seeding: time an already seeded database"
    )
    args = parser.parse_args()
    if not args.url.startswith("postgresql"):
        parser.error("give a PostgreSQL URL: the baseline is for PostgreSQL")
    os.environ["DATABASE_URL"] = args.url
    get_settings.cache_clear()
    if not args.measure_only:
        seed(args.users)
    measure(args.repeat)


if __name__ == "__main__":
    main()
