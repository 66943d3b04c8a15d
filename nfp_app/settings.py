"""Application settings: one validated object read from the environment and `.env`."""

from __future__ import annotations

import functools
import hashlib
import os
import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_FILE = PROJECT_DIR / ".secret_key"
MIN_SECRET_BYTES = 32

# SHA-256 of well-known sample keys (the FastAPI tutorial's, "changethis", "secret"): a
# deployment that copied one is not secret. Digests keep the samples themselves out of the code.
_KNOWN_PUBLIC_SECRET_DIGESTS = frozenset(
    {
        "570dad43de1af4c925f92c16a68a50936da42b7dd6fdeb24850507a1199aac89",
        "62f196fe59c6f78d7f332ae80f55e6e869d8e7fbc589855b5a1a21b9249408ca",
        "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
    }
)


class SettingsError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


class Settings(BaseSettings):
    """Every setting of nfp_app; environment variables use the upper-case names."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    database_url: str = f"sqlite:///{PROJECT_DIR / 'nfp_app.db'}"
    secret_key: str = ""
    access_token_expire_minutes: int = Field(default=30, ge=1)
    bcrypt_rounds: int = Field(default=12, ge=4, le=20)
    session_idle_minutes: int = Field(default=30, ge=1)
    session_absolute_hours: int = Field(default=12, ge=1)
    remember_me_days: int = Field(default=30, ge=1)
    users_page_size: int = Field(default=20, ge=1, le=200)
    # Reflex sets REFLEX_ENV_MODE for `reflex run --env prod`.
    reflex_env_mode: Literal["dev", "prod", "preview"] = "dev"
    session_cookie_name: str = "nfp_session"
    # Origins allowed by CORS and the websocket; empty means the app's own URL (see rxconfig.py).
    allowed_origins: Annotated[tuple[str, ...], NoDecode] = ()
    api_docs_enabled: bool = True
    password_min_length: int = Field(default=12, ge=8, le=64)
    # Failed sign-ins allowed per window before further attempts wait; 0 turns a limit off.
    throttle_account_failures: int = Field(default=5, ge=0)
    throttle_account_window_seconds: int = Field(default=300, ge=1)
    throttle_ip_failures: int = Field(default=20, ge=0)
    throttle_ip_window_seconds: int = Field(default=60, ge=1)
    # Reverse proxies in front of the app whose X-Forwarded-For entries are trusted; 0 trusts none.
    trusted_proxy_hops: int = Field(default=0, ge=0, le=10)

    @field_validator("database_url")
    @classmethod
    def _normalise_postgres_scheme(cls, value: str) -> str:
        # Hosting platforms hand out postgres:// URLs, which SQLAlchemy refuses, and SQLAlchemy
        # 2.1 maps plain postgresql:// to psycopg 3; nfp_app ships psycopg2.
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg2://" + value.removeprefix(prefix)
        return value

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # ALLOWED_ORIGINS is a comma-separated list, e.g. "https://a.example,https://b.example".
        if isinstance(value, str):
            return tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())
        return value

    @property
    def is_production(self) -> bool:
        """Whether the app runs with `--env prod`."""
        return self.reflex_env_mode == "prod"

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite default or another SQLite file."""
        return self.database_url.startswith("sqlite")


def _dev_secret() -> str:
    """Read the development secret, creating it once with mode 0600."""
    if not DEV_SECRET_FILE.exists():
        # Write a private temporary file, then link it into place: link() is atomic and fails
        # if another process got there first, so nobody ever reads a half-written key.
        temporary = DEV_SECRET_FILE.with_name(f"{DEV_SECRET_FILE.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(temporary, DEV_SECRET_FILE)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return DEV_SECRET_FILE.read_text().strip()


def check_secret(secret: str) -> None:
    """Refuse a secret that is too short or publicly known."""
    if hashlib.sha256(secret.encode()).hexdigest() in _KNOWN_PUBLIC_SECRET_DIGESTS:
        raise SettingsError("SECRET_KEY is a publicly known sample value; generate your own.")
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise SettingsError(
            f"SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes; "
            'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
        )


def load_settings() -> Settings:
    """Build settings, filling or refusing the secret according to the mode."""
    settings = Settings()
    secret = settings.secret_key
    if not secret:
        if settings.is_production:
            raise SettingsError(
                "SECRET_KEY is not set. Production (`reflex run --env prod`) needs a secret of "
                f"at least {MIN_SECRET_BYTES} bytes in the environment or in .env."
            )
        secret = _dev_secret()
    check_secret(secret)
    return settings.model_copy(update={"secret_key": secret})


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, loaded once."""
    return load_settings()
