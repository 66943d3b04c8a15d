"""Which database and Redis errors mean "unavailable, try again soon" rather than a bug."""

from __future__ import annotations

import pytest
import redis.exceptions
from sqlalchemy import exc

from nfp_app.infra.outage import is_service_unavailable


def _wrapped(kind: type[exc.DBAPIError], *, invalidated: bool = False) -> exc.DBAPIError:
    return kind("SELECT 1", {}, Exception("driver"), connection_invalidated=invalidated)


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(exc.OperationalError),
        _wrapped(exc.InterfaceError),
        _wrapped(exc.DBAPIError, invalidated=True),
        exc.TimeoutError("QueuePool limit reached"),
        redis.exceptions.ConnectionError("Connection refused"),
        redis.exceptions.TimeoutError("Timeout reading from socket"),
    ],
    ids=["operational", "interface", "invalidated", "pool-timeout", "redis-down", "redis-slow"],
)
def test_connection_trouble_is_an_outage(error: Exception) -> None:
    assert is_service_unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(exc.IntegrityError),
        _wrapped(exc.ProgrammingError),
        _wrapped(exc.DBAPIError),
        redis.exceptions.ResponseError("WRONGTYPE"),
        ValueError(),
    ],
    ids=["integrity", "programming", "plain-dbapi", "redis-command-error", "unrelated"],
)
def test_bugs_and_conflicts_are_not(error: Exception) -> None:
    assert not is_service_unavailable(error)
