"""A real SMTP server on loopback (aiosmtpd) that keeps every message the app sends.

One server runs per test process, started when this module is imported; every live app sends
its mail there (MAILBOX_SETTINGS). Tests read the messages and follow their links.
"""

from __future__ import annotations

import atexit
import email
import email.policy
import re
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.support.prod_app import free_port

WAIT_SECONDS = 20.0
_LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Received:
    """One message as the server got it."""

    to: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        """The Subject header."""
        return str(self.message["Subject"])

    def text(self) -> str:
        """The plain-text part."""
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "no plain-text part"
        return part.get_content()

    def html(self) -> str:
        """The HTML part."""
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None, "no HTML part"
        return part.get_content()

    def link(self, path: str) -> str:
        """The one link in the plain text whose path starts with `path`."""
        found = [url for url in _LINK.findall(self.text()) if path in url]
        assert len(found) == 1, f"links to {path} in {self.text()!r}"
        return found[0]


class Mailbox:
    """Every message received so far, in order, and a way to wait for one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[Received] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802  (aiosmtpd's hook name)
        """aiosmtpd's hook: keep the message."""
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self._messages.append(Received(tuple(envelope.rcpt_tos), parsed))
        return "250 OK"

    def messages(self, to: str | None = None) -> list[Received]:
        """Every message so far, or those for one address."""
        with self._lock:
            found = list(self._messages)
        return [m for m in found if to is None or to.lower() in (a.lower() for a in m.to)]

    def wait_for(self, to: str, subject: str, *, after: int = 0) -> Received:
        """The first message to `to` whose subject contains `subject`, past the first `after`
        messages to that address; waits for it to arrive."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            for message in self.messages(to)[after:]:
                if subject in message.subject:
                    return message
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail {subject!r} to {to} within {WAIT_SECONDS} s")
            time.sleep(0.05)


MAILBOX = Mailbox()
_PORT = free_port()
_controller = Controller(MAILBOX, hostname="127.0.0.1", port=_PORT)
_controller.start()
atexit.register(_controller.stop)
MAILBOX_SETTINGS = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(_PORT), "SMTP_TLS": "none"}
