"""Helpers shared by the security tests: settings overrides, audit rows and HTTP clients."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from playwright.sync_api import BrowserContext
from sqlmodel import Session, col, select

from nfp_app.models import AuthEvent
from nfp_app.services import signin

# Markers of secrets that must never reach a response, an audit row or a log line.
HASH_PREFIXES = ("$2b$", "$2a$", "$2y$", "$bcrypt-sha256$")
JWT_PATTERN = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*")


def audit_rows(session: Session, event: str | None = None) -> list[AuthEvent]:
    """Audit rows in insertion order, optionally of one event."""
    query = select(AuthEvent).order_by(col(AuthEvent.id))
    if event is not None:
        query = query.where(col(AuthEvent.event) == event)
    session.expire_all()
    return list(session.exec(query).all())


def leaks(text: str, *secrets: str) -> list[str]:
    """What in `text` looks like a password given, a hash or a JWT."""
    found = [secret for secret in secrets if secret and secret in text]
    found += [prefix for prefix in HASH_PREFIXES if prefix in text]
    found += JWT_PATTERN.findall(text)
    return found


@contextmanager
def client(base_url: str) -> Iterator[httpx.Client]:
    """An HTTP client on a live app."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        yield http


# An attacker's site, served to the browser by Playwright's routing.
EVIL_ORIGIN = "https://evil.example"


def serve_evil_page(context: BrowserContext, body: str) -> str:
    """Make https://evil.example/ in this browser context answer with the given HTML body."""
    html = f"<!doctype html><html><head><title>evil</title></head><body>{body}</body></html>"
    context.route(
        f"{EVIL_ORIGIN}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    return f"{EVIL_ORIGIN}/"


def try_sign_in(
    session: Session,
    username: str,
    password: str,
    *,
    ip: str,
    at: dt.datetime,
    device_token: str = "",
) -> signin.SignInResult:
    """One sign-in attempt through the service, committed, at a given time and address."""
    result = signin.sign_in(
        binding="a browser",
        session=session,
        username=username,
        password=password,
        persistent=False,
        ip=ip,
        device_token=device_token,
        now=at,
    )
    session.commit()
    return result
