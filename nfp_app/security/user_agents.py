"""A browser and device in words ("Chrome on Linux"), read by ua-parser from a User-Agent."""

from __future__ import annotations

import functools

from ua_parser import parse

UNKNOWN = "Unknown device"


@functools.lru_cache(maxsize=1024)
def describe_device(user_agent: str) -> str:
    """ "Browser on OS" as far as the User-Agent says; scripts get their own name."""
    if not user_agent:
        return UNKNOWN
    result = parse(user_agent[:512])
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    if browser and browser != "Other" and system and system != "Other":
        return f"{browser} on {system}"
    if browser and browser != "Other":
        return browser
    # httpx, curl and friends: their name is the part before the first slash.
    return user_agent.split("/", 1)[0].strip()[:40] or UNKNOWN
