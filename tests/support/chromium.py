"""Which Chromium the tests and benchmarks drive, and the flags it needs on these machines."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# As root Chromium needs --no-sandbox; the background-networking flags stop it from calling
# hosts that this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
