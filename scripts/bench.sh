#!/usr/bin/env bash
# The benchmarks (docs/benchmarks.md): `python -m bench` with the dev tools installed. Each
# benchmark starts its own PostgreSQL, Redis and app; run it after scripts/test.sh has set the
# machine up, and on a quiet machine. Arguments go to `python -m bench` (--smoke, --only B3).
set -euo pipefail
source "$(dirname "$0")/_env.sh"
ensure_venv requirements-dev.txt
exec python -m bench "$@"
