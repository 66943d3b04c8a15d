"""Probes for load balancers and orchestrators: /healthz (alive) and /readyz (can serve).

Reflex's own /_health answers from the same checks, in Reflex's shape, so that nothing
reports the database as "NA" (nfp_app gives Reflex no db_url; it owns its database).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from nfp_app.infra import health
from nfp_app.infra.settings import get_settings

router = APIRouter(tags=["operations"])
NO_STORE = {"Cache-Control": "no-store"}


def _answer(body: dict[str, object], *, ready: bool) -> JSONResponse:
    if ready:
        return JSONResponse(body, headers=NO_STORE)
    retry = {"Retry-After": str(get_settings().retry_after_seconds)}
    return JSONResponse(body, status_code=503, headers={**NO_STORE, **retry})


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> JSONResponse:
    """200 whenever the worker's event loop runs; checks no dependency."""
    return JSONResponse({"status": "ok"}, headers=NO_STORE)


@router.get("/readyz", summary="Readiness: database, migrations and Redis")
async def readyz() -> JSONResponse:
    """200 when every check passes, else 503 with Retry-After; the body names each check."""
    result = await health.readiness()
    status = "ok" if result.ready else "unavailable"
    return _answer({"status": status, "checks": result.checks}, ready=result.ready)


@router.get("/_health", include_in_schema=False)
async def reflex_health() -> JSONResponse:
    """Reflex's health route and body shape, answered from nfp_app's checks."""
    result = await health.readiness()
    checks = result.checks
    body: dict[str, object] = {
        "status": result.ready,
        "db": checks["database"] == "ok" and checks["migrations"] == "ok",
        "redis": "NA" if checks["redis"] == "not configured" else checks["redis"] == "ok",
    }
    return _answer(body, ready=result.ready)
