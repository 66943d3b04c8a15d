"""Where stored mail goes: an SMTP server, or, without SMTP_HOST, the log and an outbox folder."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage

from nfp_app.infra.settings import Settings
from nfp_app.models import MailMessage

logger = logging.getLogger("nfp_app.mail")
SMTP_TIMEOUT_SECONDS = 20
Send = Callable[[MailMessage], None]


def email_message(message: MailMessage, sender: str) -> EmailMessage:
    """The MIME message: plain text, with the HTML as its alternative."""
    mime = EmailMessage()
    mime["From"] = sender
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime.set_content(message.text_body)
    mime.add_alternative(message.html_body, subtype="html")
    return mime


def smtp_sender(settings: Settings) -> Send:
    """Send through SMTP_HOST (blocking: the delivery task calls it off the event loop)."""

    def send(message: MailMessage) -> None:
        mime = email_message(message, settings.smtp_from)
        if settings.smtp_tls == "ssl":
            context = ssl.create_default_context()
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host,
                settings.smtp_port,
                timeout=SMTP_TIMEOUT_SECONDS,
                context=context,
            )
        else:
            client = smtplib.SMTP(
                settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS
            )
        with client:
            if settings.smtp_tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                client.login(settings.smtp_username, settings.smtp_password)
            client.send_message(mime)

    return send


def outbox_sender(settings: Settings) -> Send:
    """Write each message to MAIL_OUTBOX_DIR as an .eml file and log where it went."""

    def send(message: MailMessage) -> None:
        folder = settings.mail_outbox_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{message.id:06d}-{message.template}.eml"
        path.write_bytes(bytes(email_message(message, settings.smtp_from)))
        logger.info("mail to %s (%s) written to %s", message.to_address, message.subject, path)

    return send


def sender(settings: Settings) -> Send:
    """SMTP when SMTP_HOST is set, else the outbox folder."""
    return smtp_sender(settings) if settings.smtp_host else outbox_sender(settings)
