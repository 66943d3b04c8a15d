"""Wiring only: the app, its pages and the REST routes mounted next to them."""

from __future__ import annotations

import reflex as rx

from nfp_app.api import create_api
from nfp_app.components.error_page import error_fallback
from nfp_app.infra import db
from nfp_app.infra.forwarded_scheme import ForwardedSchemeMiddleware
from nfp_app.infra.logs import configure_logging
from nfp_app.infra.pages_beside_api import PagesBesideApiMiddleware
from nfp_app.infra.request_guard import RequestGuardMiddleware
from nfp_app.infra.request_log import RequestLogMiddleware
from nfp_app.infra.security_headers import SecurityHeadersMiddleware
from nfp_app.infra.served_by import ServedByMiddleware
from nfp_app.infra.settings import get_settings
from nfp_app.pages import PAGES
from nfp_app.reflex_compat import (
    AppWithOuterMiddleware,
    keep_credentials_out_of_snapshots,
    use_error_fallback,
)
from nfp_app.services import signin_limits
from nfp_app.state.outage import handle_backend_exception
from nfp_app.tasks.mail_delivery import deliver_mail_forever
from nfp_app.tasks.signout_push import push_signouts_forever

# get_settings() fails fast, with a clear message, when production has no usable SECRET_KEY;
# then every throttling limit that is switched off is logged (JSON lines in production).
configure_logging(get_settings())
signin_limits.warn_if_unthrottled(get_settings())
# The session cookie must not be pickled to .states/ or Redis with the handshake headers.
keep_credentials_out_of_snapshots()


class NfpApp(AppWithOuterMiddleware):
    """The app, wrapped in the ASGI middleware below."""

    # Outside Reflex's own top-level app, so that every response passes them all, Reflex's 404s
    # included. Innermost first: /notes/ is the page for browsers and the API for the rest
    # (before any routing); the scheme a trusted proxy reports, for every URL built inside;
    # the guard; the headers, so the guard's own answers carry them too; X-Served-By (when on);
    # the request log, outermost, so it times and logs every answer with its request id.
    outer_middleware = (
        PagesBesideApiMiddleware,
        ForwardedSchemeMiddleware,
        RequestGuardMiddleware,
        SecurityHeadersMiddleware,
        ServedByMiddleware,
        RequestLogMiddleware,
    )


# Reflex is mounted under the FastAPI app, whose routes win over pages with the same path.
app = NfpApp(
    api_transformer=create_api(),
    # While the database is away, a failed event shows "temporarily unavailable".
    backend_exception_handler=handle_backend_exception,
    head_components=[
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.el.link(rel="icon", href="/favicon.ico", sizes="16x16 32x32 48x48"),
    ],
)
# A rendering error shows our page, without the stack trace Reflex's default prints.
use_error_fallback(app, error_fallback)
app.register_lifespan_task(db.migrate_to_head)
app.register_lifespan_task(deliver_mail_forever)
app.register_lifespan_task(push_signouts_forever)
for page in PAGES:
    app.add_page(page.component, route=page.route, title=page.full_title, on_load=page.on_load)
