"""`seed-demo`: bulk demo accounts for development and benchmarks, never in production."""

from __future__ import annotations

import sys
import time
from typing import Annotated, TextIO

import typer
from sqlalchemy.exc import SQLAlchemyError

from nfp_app.cli.common import cli, database_problem, fail
from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.services import demo_users


class ProgressBar:
    """A bar redrawn with `\\r` on a terminal; elsewhere (logs, pipes) a line per tenth."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.started = time.monotonic()
        self.last_tenth = 0

    def __call__(self, done: int, total: int) -> None:
        """Show that `done` of `total` accounts are written."""
        seconds = time.monotonic() - self.started
        if self.live:
            filled = self.WIDTH * done // total
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            end = "\n" if done == total else ""
            self.stream.write(f"\r[{bar}] {done:,}/{total:,} users, {seconds:.1f} s{end}")
        elif (tenth := 10 * done // total) > self.last_tenth:
            self.last_tenth = tenth
            self.stream.write(f"seeded {done:,}/{total:,} users ({seconds:.1f} s)\n")
        self.stream.flush()


@cli.command("seed-demo")
def seed_demo(
    users: Annotated[int, typer.Option(min=1, max=5_000_000, help="How many to add.")],
) -> None:
    """Add demo accounts demo_NNNNNNN after the highest existing one (refused in production)."""
    if get_settings().is_production:
        raise fail("seed-demo adds demo accounts and is refused in production (--env prod).")
    started = time.monotonic()
    try:
        db.migrate_to_head()
        first, last = db.call(demo_users.seed, count=users, on_progress=ProgressBar(sys.stderr))
    except SQLAlchemyError as error:
        raise database_problem(error) from None
    seconds = time.monotonic() - started
    typer.echo(
        f"Added {users:,} demo users, {demo_users.demo_name(first)} to "
        f"{demo_users.demo_name(last)}, in {seconds:.1f} s."
    )
    typer.echo(f"They all sign in with the password {demo_users.DEMO_PASSWORD!r}.")
