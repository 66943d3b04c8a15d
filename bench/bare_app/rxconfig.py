"""A bare Reflex app: the baseline of B3, B6, B7 and B8 (same Reflex, same server, no auth)."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

# Reflex reads REFLEX_REDIS_URL and GRANIAN_WORKERS from the environment, so the benchmark
# starts this app with the same state manager and worker count as nfp_app.
config = rx.Config(
    app_name="bare_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo"))],
)
