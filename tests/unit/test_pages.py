"""What the compiled pages say follows the settings."""

from __future__ import annotations

from nfp_app.pages.login import login_page
from nfp_app.pages.signup import signup_page
from nfp_app.security import policy
from tests.support.overrides import Override


def test_remember_me_label_follows_the_setting(override: Override) -> None:
    override(REMEMBER_ME_DAYS="7")
    compiled = str(login_page())
    assert "Remember me for 7 days" in compiled
    assert "30 days" not in compiled


def test_signup_fields_allow_what_the_policy_allows() -> None:
    compiled = str(signup_page())
    assert f"maxLength:{policy.USERNAME_MAX_LENGTH}" in compiled
    assert f"maxLength:{policy.EMAIL_MAX_LENGTH}" in compiled
    assert f"maxLength:{policy.PASSWORD_MAX_LENGTH}" in compiled
