"""What a page shows when an event fails: "temporarily unavailable" while the database is away.

Reflex calls the app's backend exception handler for any exception an event handler raises
and sends the browser the event it returns. The handler must not use postponed annotations:
Reflex checks its signature by evaluating them in its own module.
"""

import logging

import reflex as rx

from nfp_app.infra.outage import UNAVAILABLE_MESSAGE, is_service_unavailable
from nfp_app.reflex_compat import reflex_exception_event

logger = logging.getLogger("nfp_app.outage")
# The notice's id: repeated failures update one notice instead of stacking many.
UNAVAILABLE_TOAST_ID = "service_unavailable"
# Long enough to read, short enough not to outlive the outage by much.
UNAVAILABLE_TOAST_MS = 10_000


def unavailable_notice() -> rx.event.EventSpec:
    """The notice a page shows while the database cannot be reached."""
    return rx.toast(
        "Temporarily unavailable",
        level="warning",
        fallback_to_alert=True,
        description=UNAVAILABLE_MESSAGE,
        position="top-center",
        id=UNAVAILABLE_TOAST_ID,
        duration=UNAVAILABLE_TOAST_MS,
    )


def handle_backend_exception(exception: Exception) -> rx.event.EventSpec:
    """The app's backend exception handler: a database or Redis outage is news, not a bug."""
    if is_service_unavailable(exception):
        # One line without a traceback: the outage shows in /readyz and the database's logs.
        logger.warning("database or Redis unavailable: %s", type(exception).__name__)
        return unavailable_notice()
    return reflex_exception_event(exception)
