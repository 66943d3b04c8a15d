"""Reflex configuration, fed by nfp_app's settings."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

# The database URL is deliberately not given to Reflex: nfp_app migrates with its own
# Alembic environment (alembic/env.py) before serving, and `reflex db` would bypass it.
config = rx.Config(
    app_name="nfp_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo"))],
)
