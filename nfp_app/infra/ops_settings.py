"""The settings of running in production: logs, health checks and shutdown."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class OperationsSettings(BaseModel):
    """Part of `Settings`; documented in docs/operations.md and docs/configuration.md."""

    # auto: JSON lines in production, text in development.
    log_format: Literal["auto", "json", "text"] = "auto"
    # How long /readyz waits for each check; the Retry-After of 503s while not ready.
    health_check_timeout_seconds: float = Field(default=2.0, gt=0, le=30)
    retry_after_seconds: int = Field(default=5, ge=1, le=3600)
    # After SIGTERM, requests in flight get this long to finish before workers are killed.
    shutdown_timeout_seconds: int = Field(default=25, ge=1, le=3600)
