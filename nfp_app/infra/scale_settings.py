"""The settings of scaling out: Redis, worker processes and the database pool."""

from __future__ import annotations

from typing import Self

from pydantic import AliasChoices, BaseModel, Field, field_validator, model_validator

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class ScaleOutSettings(BaseModel):
    """Part of `Settings`; documented in docs/configuration.md, "Scaling out"."""

    # One Redis for Reflex's state, the throttling counters and the sign-out channel; empty
    # keeps state in one process and counters in the database. Reflex's own name is read too.
    redis_url: str = Field(
        default="", validation_alias=AliasChoices("REDIS_URL", "REFLEX_REDIS_URL")
    )
    # Granian worker processes per instance; unset leaves Reflex's choice (1 without Redis).
    web_workers: int | None = Field(default=None, ge=1, le=64)
    # The PostgreSQL connection pool of each worker process (SQLite keeps its own setup).
    db_pool_size: int = Field(default=5, ge=1, le=200)
    db_max_overflow: int = Field(default=10, ge=0, le=200)
    db_pool_pre_ping: bool = True
    db_pool_timeout_seconds: int = Field(default=30, ge=1, le=600)
    # Connections older than this are replaced, before a firewall drops them; 0 keeps them.
    db_pool_recycle_seconds: int = Field(default=1800, ge=0)
    db_connect_timeout_seconds: int = Field(default=10, ge=1, le=600)
    # Adds `X-Served-By: <host>:<pid>` to every HTTP response: which worker answered.
    served_by_header: bool = False

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(REDIS_SCHEMES):
            raise ValueError("REDIS_URL must start with redis://, rediss:// or unix://")
        return value

    @model_validator(mode="after")
    def _workers_need_redis(self) -> Self:
        # Without Redis each worker keeps its own tabs' state: a reconnect elsewhere loses it.
        if (self.web_workers or 1) > 1 and not self.redis_url:
            raise ValueError("WEB_WORKERS above 1 needs REDIS_URL, where workers share state")
        return self
