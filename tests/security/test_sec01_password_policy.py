"""SEC-1: one password policy (length, common passwords, context words) for UI, REST and CLI."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from nfp_app.infra.settings import PROJECT_DIR, Settings
from nfp_app.security import policy, strength
from nfp_app.security.policy import PolicyError
from nfp_app.services import account_changes, accounts
from nfp_app.state.password_meter import RATE_DEBOUNCE_MS
from nfp_app.state.signup import SignupState
from tests.support.accounts import unique_name
from tests.support.live_app import LiveApp
from tests.support.overrides import Override
from tests.support.security import client
from tests.support.ui import goto_ready

pytestmark = [pytest.mark.security]

GOOD = "a quiet river at dawn"
LONG_COMMON = [word for word in FREQUENCY_LISTS["passwords"] if len(word) >= 12]


def _refusal(password: str, **context: str) -> str:
    with pytest.raises(PolicyError) as caught:
        policy.check_password(password, **context)  # type: ignore[arg-type]
    assert caught.value.field == "password"
    return caught.value.message


def test_sec01_minimum_is_12_code_points_by_default() -> None:
    assert Settings().password_min_length == 12
    assert "at least 12 characters" in _refusal("x" * 11 + "")
    assert "at least 12 characters" in _refusal("😀" * 11)  # 44 bytes, 11 code points
    assert policy.check_password("😀" * 12) == "😀" * 12


def test_sec01_maximum_is_1024_code_points() -> None:
    assert policy.check_password("é" * 1024) == "é" * 1024
    assert "at most 1024 characters" in _refusal("é" * 1025)


def test_sec01_any_unicode_and_spaces_no_composition_rules() -> None:
    for password in (
        "all lower case words",
        "пароль из слов",
        "密码是一句很长很长的话啊",
        "    spaces    ",
    ):
        assert policy.check_password(password) == password


def test_sec01_passwords_are_nfkc_normalised() -> None:
    assert policy.check_password("ａ ｑｕｉｅｔ ｒｉｖｅｒ ａｔ ｄａｗｎ") == GOOD


@pytest.mark.parametrize(
    "password", [*LONG_COMMON[:5], LONG_COMMON[0].upper(), "Password1234", "PASSWORDPASSWORD"]
)
def test_sec01_common_passwords_are_refused_case_insensitively(password: str) -> None:
    assert "common or breached" in _refusal(password)


def test_sec01_the_whole_bundled_list_is_used() -> None:
    assert len(FREQUENCY_LISTS["passwords"]) >= 30_000
    sample = FREQUENCY_LISTS["passwords"][::997]
    reasons = {policy.password_weakness(word, min_length=1) for word in sample}
    assert reasons == {policy.ON_COMMON_LIST}


@pytest.mark.parametrize(
    ("password", "context", "reason"),
    [
        ("alice_wonder", {"username": "Alice_Wonder"}, "username"),
        ("ALICE_WONDER!!", {"username": "alice_wonder"}, "username"),
        ("bob.smith.2024", {"email": "bob.smith@example.com"}, "email"),
        ("nfp_app nfp_app", {}, "name of this app"),
        ("NFP APP 123456", {}, "name of this app"),
        ("nfpapp2025!!", {}, "name of this app"),
    ],
)
def test_sec01_context_words_are_refused_with_a_reason(
    password: str, context: dict[str, str], reason: str
) -> None:
    assert reason in _refusal(password, **context)


def test_sec01_a_long_phrase_containing_the_username_is_fine() -> None:
    assert policy.check_password("alice likes long walks", username="alice")


def test_sec01_service_threads_username_and_email(session: Session, override: Override) -> None:
    with pytest.raises(PolicyError, match="username"):
        accounts.create_user(session=session, username="carol_k", password="carol_k12345")
    with pytest.raises(PolicyError, match="email"):
        accounts.create_user(
            session=session, username="delta7", password="dan.jones.99", email="dan.jones@x.io"
        )
    user = accounts.create_user(session=session, username="erin", password=GOOD)
    assert user.id is not None
    with pytest.raises(PolicyError, match="username"):
        account_changes.set_password(session=session, user_id=user.id, password="erin erin erin")
    with pytest.raises(PolicyError, match="common"):
        account_changes.set_password(session=session, user_id=user.id, password="qwerty123456")
    override(PASSWORD_MIN_LENGTH="16")
    with pytest.raises(PolicyError, match="at least 16"):
        account_changes.set_password(session=session, user_id=user.id, password="fifteen chars!!")


@pytest.mark.postgres
def test_sec01_rest_uses_the_policy(live_app: LiveApp) -> None:
    name = unique_name("pw")
    cases = {
        "short pass": "at least 12",
        "qwerty123456": "common",
        f"{name}123": "username",
    }
    with client(live_app.base_url) as http:
        for password, reason in cases.items():
            response = http.post("/users/", json={"username": name, "password": password})
            assert response.status_code == 422
            detail = response.json()["detail"]
            assert detail[0]["loc"] == ["body", "password"]
            assert reason in detail[0]["msg"]
            assert password not in response.text
        assert http.post("/users/", json={"username": name, "password": GOOD}).status_code == 200


def test_sec01_cli_uses_the_policy(tmp_path: object) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    for password, reason in (("short", "at least 12"), ("1qaz2wsx3edc", "common")):
        done = subprocess.run(
            [sys.executable, "-m", "nfp_app", "create-user", "frank"],
            cwd=PROJECT_DIR,
            env={**env, "NFP_APP_PASSWORD": password},
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 1
        assert reason in done.stderr


def test_sec01_strength_uses_zxcvbn_on_the_first_72_characters() -> None:
    assert strength.password_strength("") == (0, "")
    assert strength.password_strength("short")[1].startswith("Too short")
    assert strength.password_strength("qwerty123456") == (0, "Too common")
    assert strength.password_strength("zzzzzzzzzzzzzzzz")[0] <= 1
    assert strength.password_strength("violet tractor hums beneath 7 moons")[0] == 4
    # zxcvbn itself refuses more than 72 characters; the meter still answers.
    assert strength.password_strength("x9!" * 300)[1] in strength.STRENGTH_LABELS


class _FakeSignupState(SimpleNamespace):
    """Stands in for the state: nothing cleared the fields recently (a class attribute)."""

    _cleared_at = 0.0


def test_sec01_signup_meter_sets_score_and_label_but_keeps_no_password() -> None:
    fake = _FakeSignupState(strength_score=-1, strength_label="")
    handler = SignupState.rate_password.fn(fake, "violet tractor hums beneath 7 moons")
    # Its own thread: Playwright's sync API may already run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as runner:
        runner.submit(asyncio.run, handler).result()
    assert (fake.strength_score, fake.strength_label) == (4, "Strong")
    assert vars(fake).keys() == {"strength_score", "strength_label"}
    fields = [name for name in SignupState.get_fields() if "password" in name.lower()]
    # The field's error, and which fields show their text (field ids, never a password).
    assert sorted(fields) == ["password_error", "shown_passwords"]


@pytest.mark.e2e
@pytest.mark.postgres
def test_sec01_signup_meter_is_debounced(page: Page, live_app: LiveApp) -> None:
    """Typing a phrase key by key, faster than the debounce, sends one rating, not one a key."""
    sent: list[str] = []

    def record(payload: str | bytes) -> None:
        sent.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))

    page.on("websocket", lambda socket: socket.on("framesent", record))
    goto_ready(page, live_app.url("/signup"))
    phrase = "violet tractor hums beneath 7 moons"
    page.locator("#password").press_sequentially(phrase, delay=RATE_DEBOUNCE_MS / 10)
    expect(page.locator("#strength-label")).to_have_text("Strength: Strong")
    ratings = [frame for frame in sent if "rate_password" in frame]
    assert 1 <= len(ratings) <= 3, f"{len(ratings)} ratings for {len(phrase)} keystrokes"
