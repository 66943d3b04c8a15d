"""Settings: secrets refused or generated according to the mode, database URL schemes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from nfp_app.infra import settings
from nfp_app.infra.settings import SettingsError, load_settings

GOOD_SECRET = "s" * 48
TUTORIAL_SECRET = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7"


@pytest.fixture
def secret_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment: no .env in the working directory, a private dev-secret path."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "dev_secret"
    monkeypatch.setattr(settings, "DEV_SECRET_FILE", path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    return path


def test_prod_without_secret_is_refused(secret_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLEX_ENV_MODE", "prod")
    with pytest.raises(SettingsError, match="SECRET_KEY is not set"):
        load_settings()
    assert not secret_file.exists()


@pytest.mark.parametrize("mode", ["prod", "dev"])
def test_short_secret_is_refused(
    secret_file: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("REFLEX_ENV_MODE", mode)
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(SettingsError, match="at least 32 bytes"):
        load_settings()


# Named ids: a test id is written to .pytest_cache and CI logs, which should not carry keys.
@pytest.mark.parametrize(
    "secret",
    [TUTORIAL_SECRET, "changethis", "secret"],
    ids=["fastapi-tutorial", "full-stack-template", "plain-word"],
)
def test_known_sample_secret_is_refused(
    secret_file: Path, monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("REFLEX_ENV_MODE", "prod")
    monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(SettingsError, match="publicly known"):
        load_settings()


def test_prod_with_strong_secret_loads(secret_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLEX_ENV_MODE", "prod")
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    loaded = load_settings()
    assert loaded.is_production
    assert loaded.secret_key == GOOD_SECRET
    assert not secret_file.exists()


def test_dev_secret_is_generated_once_and_private(
    secret_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLEX_ENV_MODE", "dev")
    first = load_settings().secret_key
    assert len(first.encode()) >= settings.MIN_SECRET_BYTES
    assert secret_file.read_text().strip() == first
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert load_settings().secret_key == first


def test_dev_uses_the_environment_secret_when_set(
    secret_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLEX_ENV_MODE", "dev")
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    assert load_settings().secret_key == GOOD_SECRET
    assert not secret_file.exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h:5432/d", "postgresql+psycopg2://u:p@h:5432/d"),
        ("postgresql://u:p@h/d", "postgresql+psycopg2://u:p@h/d"),
        ("postgresql+psycopg2://u@h/d", "postgresql+psycopg2://u@h/d"),
        ("sqlite:///tmp/x.db", "sqlite:///tmp/x.db"),
    ],
)
def test_postgres_urls_use_psycopg2(
    secret_file: Path, monkeypatch: pytest.MonkeyPatch, url: str, expected: str
) -> None:
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("DATABASE_URL", url)
    assert load_settings().database_url == expected


@pytest.mark.parametrize(
    ("key", "message"), [("short", "at least 32 bytes"), (TUTORIAL_SECRET, "publicly known")]
)
def test_weak_mfa_encryption_key_is_refused(
    secret_file: Path, monkeypatch: pytest.MonkeyPatch, key: str, message: str
) -> None:
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("MFA_ENCRYPTION_KEY", key)
    with pytest.raises(
        SettingsError, match=f"MFA_ENCRYPTION_KEY .*{message}|MFA_ENCRYPTION_KEY is a {message}"
    ):
        load_settings()


def test_mfa_settings_default_to_the_secret_key_and_off(
    secret_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.delenv("MFA_ENCRYPTION_KEY", raising=False)
    monkeypatch.delenv("MFA_REQUIRED_FOR_ADMINS", raising=False)
    loaded = load_settings()
    assert loaded.mfa_encryption_key == ""
    assert loaded.mfa_required_for_admins is False
