"""Error responses: one 422 format that never echoes input (no passwords, no unencodable text),
and a 503 with Retry-After while the database is unreachable (never a 500 or a traceback)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from nfp_app.infra.outage import UNAVAILABLE_MESSAGE, is_service_unavailable
from nfp_app.infra.settings import get_settings

# FastAPI answers a body it cannot decode (not UTF-8, for instance) with this 400.
_UNPARSABLE_BODY = "There was an error parsing the body"


def _clean(value: object) -> str | int:
    # Lone surrogates from JSON input would make the response itself fail to encode.
    if isinstance(value, int):
        return value
    return str(value).encode("utf-8", "replace").decode("utf-8")


def _public(error: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": _clean(error.get("type", "value_error")),
        "loc": [_clean(part) for part in error.get("loc", ())],
        "msg": _clean(error.get("msg", "Invalid value.")),
    }


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    return JSONResponse(
        {"detail": [_public(error) for error in errors]},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    # A body that is not JSON is invalid input like any other: 422, as documented.
    if isinstance(exc, HTTPException) and exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:
        error = {"type": "json_invalid", "loc": ("body",), "msg": "Body is not valid JSON."}
        return await _validation_error(request, RequestValidationError([error]))
    assert isinstance(exc, HTTPException)
    return await http_exception_handler(request, exc)


def unavailable_response() -> JSONResponse:
    """503 with Retry-After: the database or Redis is away, the client should come back soon."""
    return JSONResponse(
        {"detail": UNAVAILABLE_MESSAGE},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(get_settings().retry_after_seconds)},
    )


async def _dependency_error(_request: Request, exc: Exception) -> Response:
    if is_service_unavailable(exc):
        return unavailable_response()
    # Anything else is a bug: Starlette's ServerErrorMiddleware logs it and answers a plain 500.
    raise exc


def install(api: FastAPI) -> None:
    """Register the handlers on the API."""
    api.add_exception_handler(RequestValidationError, _validation_error)
    api.add_exception_handler(HTTPException, _http_error)
    api.add_exception_handler(SQLAlchemyError, _dependency_error)
    # With REDIS_URL the throttling counters live in Redis: its outage is answered the same way.
    api.add_exception_handler(RedisError, _dependency_error)


def validation_error(
    field: str, message: str, where: Literal["body", "query"] = "body"
) -> RequestValidationError:
    """A 422 for one body (or query) field, in the same shape as FastAPI's own."""
    return RequestValidationError([{"type": "value_error", "loc": (where, field), "msg": message}])
