"""MFA_REQUIRED_FOR_ADMINS on real databases: who the policy holds back, and the console's
2FA status of an account (detail page and list)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from nfp_app.models import User
from nfp_app.services import accounts, mfa_policy, mfa_store
from nfp_app.services.admin_user_detail import load_user_detail
from tests.support.accounts import PASSWORD
from tests.support.mfa import enable_mfa
from tests.support.overrides import Override


def _account(session: Session, name: str, *, admin: bool) -> User:
    user = accounts.create_user(session=session, username=name, password=PASSWORD, is_admin=admin)
    session.commit()
    assert user.id is not None
    return user


@pytest.mark.parametrize("policy", ["false", "true"])
def test_only_an_admin_without_2fa_is_held_back_and_only_with_the_policy(
    session: Session, engine: sa.Engine, override: Override, policy: str
) -> None:
    override(MFA_REQUIRED_FOR_ADMINS=policy)
    admin = _account(session, "root", admin=True)
    member = _account(session, "alice", admin=False)
    assert admin.id is not None
    assert member.id is not None
    assert mfa_policy.enrolment_due(session, admin) is (policy == "true")
    assert mfa_policy.enrolment_due_by_id(session=session, user_id=admin.id) is (policy == "true")
    assert not mfa_policy.enrolment_due(session, member)
    enable_mfa(engine, admin.id, PASSWORD)
    session.expire_all()
    assert not mfa_policy.enrolment_due(session, admin)
    assert not mfa_policy.enrolment_due_by_id(session=session, user_id=2_000_000_000)


def test_the_console_sees_each_accounts_2fa_status(session: Session, engine: sa.Engine) -> None:
    with_2fa = _account(session, "alice", admin=False)
    without = _account(session, "bob", admin=False)
    assert with_2fa.id is not None
    assert without.id is not None
    enable_mfa(engine, with_2fa.id, PASSWORD)
    session.expire_all()
    assert load_user_detail(session=session, user_id=with_2fa.id).profile.mfa_enabled
    assert not load_user_detail(session=session, user_id=without.id).profile.mfa_enabled
    assert mfa_store.enabled_among(session, [with_2fa.id, without.id]) == {with_2fa.id}
