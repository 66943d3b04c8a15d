"""Loading the console's page of one account: the service's detail as browser-safe views."""

from __future__ import annotations

import dataclasses

from nfp_app.infra import db
from nfp_app.services.accounts import UserNotFoundError
from nfp_app.services.admin_user_detail import load_user_detail
from nfp_app.state import admin_user_views as views


@dataclasses.dataclass(frozen=True)
class LoadedAccount:
    """What the page shows: the profile (None when the id names no account) and its lines."""

    account: views.ProfileView | None
    sessions: list[views.SessionLine]
    events: list[views.EventLine]


NOTHING = LoadedAccount(account=None, sessions=[], events=[])


async def load_account(target: int | None) -> LoadedAccount:
    """The account `target` names, or NOTHING when there is none."""
    if target is None:
        return NOTHING
    try:
        detail = await db.run(load_user_detail, user_id=target)
    except UserNotFoundError:
        return NOTHING
    return LoadedAccount(
        account=views.profile_view(detail.profile),
        sessions=[views.session_line(row) for row in detail.sessions],
        events=[views.event_line(entry) for entry in detail.events],
    )
