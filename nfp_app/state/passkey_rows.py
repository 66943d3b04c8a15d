"""What /account shows of one passkey."""

from __future__ import annotations

import dataclasses

from nfp_app.services.passkey_manage import PasskeyView
from nfp_app.state.views import format_time


@dataclasses.dataclass(frozen=True)
class PasskeyRow:
    """One line of the passkeys list."""

    id: int
    name: str
    created: str
    last_used: str
    synced: bool


def passkey_row(view: PasskeyView) -> PasskeyRow:
    """A stored passkey as a line of the list."""
    return PasskeyRow(
        id=view.id,
        name=view.name,
        created=format_time(view.created_at),
        last_used="never" if view.last_used_at is None else format_time(view.last_used_at),
        synced=view.synced,
    )
