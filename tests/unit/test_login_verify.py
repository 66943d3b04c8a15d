"""The second sign-in step's texts: its notices exist, and a refusal counts what is left."""

from __future__ import annotations

from nfp_app.state.login import NOTICES
from nfp_app.state.login_verify import EXPIRED, TOO_MANY, wrong_code_message


def test_the_restart_notices_are_known_to_the_login_page() -> None:
    assert NOTICES[EXPIRED].startswith("Sign in again")
    assert NOTICES[TOO_MANY].startswith("Sign in again")
    assert NOTICES[EXPIRED] != NOTICES[TOO_MANY]


def test_a_refused_code_says_how_many_attempts_are_left() -> None:
    assert wrong_code_message(4) == "Incorrect code. 4 attempts left."
    assert wrong_code_message(1) == "Incorrect code. 1 attempt left."
