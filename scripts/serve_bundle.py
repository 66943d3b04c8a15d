"""Serve an unpacked bundle: prebuilt pages, websocket and REST routes on one port, no build.

`reflex run --env prod` compiles the pages and rebuilds the frontend with Node before it serves.
A bundle (scripts/bundle.sh) already holds the built frontend in `web/build/client`, so this
starts the same production server with that folder mounted and builds nothing: the host needs
Python only. It follows Reflex 0.10.1's `_run` and `_run_prod` (reflex/reflex.py) minus the
build, and `run_backend_prod(..., mount_frontend_compiled_app=True)` (reflex/utils/exec.py) is
what `reflex run --env prod` itself calls; tests/deploy checks it on every Reflex pin.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the unpacked nfp_app bundle on one port.")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (0.0.0.0)")  # noqa: S104
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    return parser.parse_args()


def main() -> None:
    """Check the bundle, then run Reflex's production server with the built pages mounted."""
    arguments = _arguments()
    web_dir = Path(os.environ.setdefault("REFLEX_WEB_WORKDIR", str(Path.cwd() / "web")))
    if not (web_dir / "build" / "client" / "index.html").is_file():
        sys.exit(f"No built frontend in {web_dir}/build/client: run this from an unpacked bundle.")

    # Reflex and the app's settings read the mode when they load: set it before importing them.
    os.environ["REFLEX_ENV_MODE"] = "prod"
    from reflex.istate.manager import reset_disk_state_manager
    from reflex.utils import exec as reflex_exec
    from reflex_base.config import get_config
    from reflex_base.environment import environment

    config = get_config()
    # As `reflex run --env prod`: one port for both, so the default origin is this port's.
    config._set_persistent(
        frontend_port=arguments.port, backend_port=arguments.port, backend_host=arguments.host
    )
    reset_disk_state_manager()
    # The pages are built already; the workers must not compile them again.
    environment.REFLEX_SKIP_COMPILE.set(True)
    print(f"nfp_app: serving on http://{arguments.host}:{arguments.port}", file=sys.stderr)
    sys.stderr.flush()
    reflex_exec.run_backend_prod(
        arguments.host,
        arguments.port,
        config.loglevel.subprocess_level(),
        mount_frontend_compiled_app=True,
    )


if __name__ == "__main__":
    main()
