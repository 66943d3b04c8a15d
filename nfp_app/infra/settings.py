"""Application settings: one validated object read from the environment and `.env`."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from nfp_app.infra.ops_settings import OperationsSettings
from nfp_app.infra.scale_settings import ScaleOutSettings

PROJECT_DIR = Path(__file__).resolve().parents[2]
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


# The mixins are plain models (ConfigDict); Settings' own SettingsConfigDict is what applies.
class Settings(OperationsSettings, ScaleOutSettings, BaseSettings):  # pyright: ignore[reportIncompatibleVariableOverride]
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
    session_cookie_name: str = Field(default="nfp_session", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    # Origins allowed by CORS and the websocket; empty means the app's own URL (see rxconfig.py).
    allowed_origins: Annotated[tuple[str, ...], NoDecode] = ()
    # Host names the app answers to (400 otherwise); empty answers any Host. See docs/SECURITY.md.
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = ()
    # /docs and /openapi.json; unset means on in development and off in production.
    api_docs_enabled: bool | None = None
    password_min_length: int = Field(default=12, ge=8, le=64)
    # Failed sign-ins allowed per window for one account from one client (a device that signed
    # in before, else an IP) before that client waits; 0 turns the limit off.
    throttle_account_failures: int = Field(default=5, ge=0)
    throttle_account_window_seconds: int = Field(default=300, ge=1)
    # Failures per window for one account from all clients without its device cookie; past
    # this cap each further attempt waits twice as long as the one before, up to the maximum.
    throttle_account_total_failures: int = Field(default=50, ge=0)
    throttle_max_delay_seconds: int = Field(default=60, ge=1, le=3600)
    throttle_ip_failures: int = Field(default=20, ge=0)
    throttle_ip_window_seconds: int = Field(default=60, ge=1)
    # Signups accepted per window from one client IP, and from everyone; 0 turns a limit off.
    signup_ip_limit: int = Field(default=10, ge=0)
    signup_ip_window_seconds: int = Field(default=600, ge=1)
    signup_total_limit: int = Field(default=120, ge=0)
    signup_total_window_seconds: int = Field(default=60, ge=1)
    # Threads that may hash passwords at once; 0 means one per CPU core.
    hashing_threads: int = Field(default=0, ge=0, le=64)
    # Where people open the app: the base of every link in an email.
    app_url: str = "http://localhost:3000"
    # Mail: without SMTP_HOST, messages go to the log and to MAIL_OUTBOX_DIR instead.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_from: str = "nfp_app <no-reply@localhost>"
    smtp_tls: Literal["starttls", "ssl", "none"] = "starttls"
    mail_outbox_dir: Path = PROJECT_DIR / "outbox"
    password_reset_minutes: int = Field(default=30, ge=1, le=1440)
    require_email_verification: bool = False
    # Security emails, each of which can be switched off.
    notify_password_changed: bool = True
    notify_email_changed: bool = True
    notify_new_device: bool = True
    # The key the TOTP secrets are encrypted with; unset derives one from SECRET_KEY.
    mfa_encryption_key: str = ""
    # Administrators must turn on two-factor authentication before they can do anything else.
    mfa_required_for_admins: bool = False
    passkey_signup: bool = False  # new accounts may have a passkey and no password
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

    @field_validator("app_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("allowed_origins", "allowed_hosts", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        # A comma-separated list, e.g. "https://a.example,https://b.example" or "a.example".
        if isinstance(value, str):
            parts = (part.strip().rstrip("/") for part in value.split(","))
            return tuple(part.lower() for part in parts if part)
        return value

    @property
    def is_production(self) -> bool:
        """Whether the app runs with `--env prod`."""
        return self.reflex_env_mode == "prod"

    @property
    def throttle_retention(self) -> dt.timedelta:
        """How long a throttling hit can matter: the longest window of any limit."""
        seconds = max(
            self.throttle_account_window_seconds,
            self.throttle_ip_window_seconds,
            self.signup_ip_window_seconds,
            self.signup_total_window_seconds,
        )
        return dt.timedelta(seconds=seconds)

    @property
    def docs_enabled(self) -> bool:
        """Whether /docs and /openapi.json are served: API_DOCS_ENABLED, else only in dev."""
        if self.api_docs_enabled is None:
            return not self.is_production
        return self.api_docs_enabled


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


def check_secret(secret: str, *, name: str = "SECRET_KEY") -> None:
    """Refuse a secret that is too short or publicly known."""
    if hashlib.sha256(secret.encode()).hexdigest() in _KNOWN_PUBLIC_SECRET_DIGESTS:
        raise SettingsError(f"{name} is a publicly known sample value; generate your own.")
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise SettingsError(
            f"{name} must be at least {MIN_SECRET_BYTES} bytes; "
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
    if settings.mfa_encryption_key:
        check_secret(settings.mfa_encryption_key, name="MFA_ENCRYPTION_KEY")
    return settings.model_copy(update={"secret_key": secret})


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, loaded once."""
    return load_settings()
