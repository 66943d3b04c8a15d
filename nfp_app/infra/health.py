"""Readiness checks for load balancers: the database, its migrations and Redis, each bounded.

Liveness needs no check: a process that answers HTTP is alive. Readiness asks whether this
worker can serve users now. Each check runs with HEALTH_CHECK_TIMEOUT_SECONDS, so a probe
answers within about that time even when a dependency hangs.
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from typing import Literal

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError

from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.reflex_compat import reflex_redis_is_up, reflex_uses_redis

CheckResult = Literal["ok", "failed", "timeout", "behind", "not configured"]


@dataclass(frozen=True)
class Readiness:
    """Each check's result by name, and whether all of them allow serving."""

    checks: dict[str, CheckResult]

    @property
    def ready(self) -> bool:
        """Whether every check passed (or does not apply)."""
        return all(result in ("ok", "not configured") for result in self.checks.values())


@functools.cache
def _migration_heads() -> frozenset[str]:
    # The scripts on disk do not change while the process runs.
    return frozenset(ScriptDirectory.from_config(db.alembic_config()).get_heads())


def _database_and_migrations() -> tuple[CheckResult, CheckResult]:
    """One connection: can we query, and is the schema at the code's migration head?"""
    try:
        with db.get_engine().connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError:
        return "failed", "failed"
    return "ok", ("ok" if current == _migration_heads() else "behind")


def redis_configured() -> bool:
    """Whether the app uses Redis: REDIS_URL, which rxconfig.py hands to Reflex as redis_url."""
    return reflex_uses_redis()


async def _database_check(seconds: float) -> tuple[CheckResult, CheckResult]:
    try:
        return await asyncio.wait_for(asyncio.to_thread(_database_and_migrations), seconds)
    except TimeoutError:
        # The thread may stay blocked in connect; the probe answers anyway.
        return "timeout", "failed"


async def _redis_check(seconds: float) -> CheckResult:
    if not redis_configured():
        return "not configured"
    try:
        up = await asyncio.wait_for(reflex_redis_is_up(), seconds)
    except TimeoutError:
        return "timeout"
    return "ok" if up else "failed"


async def readiness() -> Readiness:
    """Run the checks at once, each within HEALTH_CHECK_TIMEOUT_SECONDS."""
    timeout = get_settings().health_check_timeout_seconds
    (database, migrations), redis = await asyncio.gather(
        _database_check(timeout), _redis_check(timeout)
    )
    return Readiness({"database": database, "migrations": migrations, "redis": redis})
