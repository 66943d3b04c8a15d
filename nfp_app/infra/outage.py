"""Telling an outage apart from a bug: both adapters answer an outage with "try again soon"."""

from __future__ import annotations

import redis.exceptions
from sqlalchemy import exc

# What users read while the database or Redis is unreachable, on a page or from the REST API.
UNAVAILABLE_MESSAGE = "The service is temporarily unavailable. Please try again in a few seconds."


def is_service_unavailable(error: BaseException) -> bool:
    """Whether the error means the database or Redis cannot be reached now (not a bug of ours).

    OperationalError and InterfaceError are raised when connecting fails or a connection dies;
    a DBAPIError with `connection_invalidated` is a connection the pool found dead. A pool
    TimeoutError means every connection is busy: the same answer fits. With REDIS_URL, the
    throttling counters live in Redis, whose connection errors and timeouts mean the same.
    """
    if isinstance(error, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return True
    if isinstance(error, exc.OperationalError | exc.InterfaceError | exc.TimeoutError):
        return True
    return isinstance(error, exc.DBAPIError) and error.connection_invalidated
