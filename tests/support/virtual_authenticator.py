"""Chromium's virtual authenticator (CDP `WebAuthn` domain), attached to a Playwright page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import CDPSession, Page


@dataclass
class VirtualAuthenticator:
    """A platform authenticator with resident keys and user verification, inside one page."""

    cdp: CDPSession
    authenticator_id: str

    def credentials(self) -> list[dict[str, Any]]:
        """The credentials it holds (credentialId, rpId, userHandle, signCount, ...)."""
        return self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.authenticator_id})[
            "credentials"
        ]

    def set_user_verified(self, verified: bool) -> None:
        """Whether the next ceremonies pass user verification (a wrong PIN/fingerprint if not)."""
        self.cdp.send(
            "WebAuthn.setUserVerified",
            {"authenticatorId": self.authenticator_id, "isUserVerified": verified},
        )

    def set_presence(self, automatic: bool) -> None:
        """Whether the user "touches" it by itself; off, every ceremony waits until it times out."""
        self.cdp.send(
            "WebAuthn.setAutomaticPresenceSimulation",
            {"authenticatorId": self.authenticator_id, "enabled": automatic},
        )

    def remove(self) -> None:
        """Take it away, as if the device were gone."""
        self.cdp.send(
            "WebAuthn.removeVirtualAuthenticator", {"authenticatorId": self.authenticator_id}
        )


def attach(page: Page, *, synced: bool = False) -> VirtualAuthenticator:
    """Give the page an internal CTAP2 authenticator that says yes by itself.

    `synced`: its passkeys are backup eligible and backed up, like a password manager's.
    """
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
                "defaultBackupEligibility": synced,
                "defaultBackupState": synced,
            }
        },
    )
    return VirtualAuthenticator(cdp=cdp, authenticator_id=added["authenticatorId"])
