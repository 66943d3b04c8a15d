"""Reflex configuration, fed by nfp_app's settings."""

import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from nfp_app.infra.settings import Settings
from nfp_app.infra.shutdown import bound_worker_shutdown

# The database URL is deliberately not given to Reflex: nfp_app migrates with its own
# Alembic environment (alembic/env.py) before serving, and `reflex db` would bypass it.
_settings = Settings()
config = rx.Config(
    app_name="nfp_app",
    # router.session.client_ip trusts X-Forwarded-For only through this many proxies; the REST
    # routes apply the same rule (nfp_app/security/client_ip.py), so throttling sees one address.
    trusted_proxy_hops=_settings.trusted_proxy_hops,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo"))],
)

# CORS and the Socket.IO handshake accept only these origins; Reflex's default "*" would
# reflect any Origin with credentials. Without ALLOWED_ORIGINS it is the app's own URL:
# deploy_url, which follows REFLEX_DEPLOY_URL and `--frontend-port` (dev: localhost:3000).
# Settings() rather than get_settings(): Reflex reads this file for every command, and the
# secret check belongs to the app's start, not to `reflex init` or `reflex export`.
config.cors_allowed_origins = _settings.allowed_origins or (
    (config.deploy_url or "http://localhost:3000").rstrip("/"),
)

# One setting, REDIS_URL, moves Reflex's state to Redis with the throttling counters and the
# sign-out channel. Reflex read REFLEX_REDIS_URL from the environment above; REDIS_URL wins
# over it (Settings reads REFLEX_REDIS_URL only when REDIS_URL is unset).
if _settings.redis_url:
    config.redis_url = _settings.redis_url
# Granian's worker count: Reflex reads GRANIAN_WORKERS in this very process (`reflex run`),
# when it starts the production server; WEB_WORKERS wins over it.
if _settings.web_workers is not None:
    os.environ["GRANIAN_WORKERS"] = str(_settings.web_workers)
# Reflex starts Granian without a limit on its graceful stop; SIGTERM lets requests in flight
# finish for at most this long.
bound_worker_shutdown(_settings.shutdown_timeout_seconds)
