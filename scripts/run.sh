#!/usr/bin/env bash
# Install what the app needs and run it on http://localhost:3000 (SQLite by default).
# Extra arguments go to `reflex run`, e.g. `scripts/run.sh --env prod`.
set -euo pipefail
source "$(dirname "$0")/_env.sh"
ensure_venv requirements.txt
# Production logs JSON lines (docs/operations.md); Reflex reads this switch before anything else.
case " $* " in
*" --env prod "* | *" --env=prod "*) export REFLEX_LOG_JSON="${REFLEX_LOG_JSON:-true}" ;;
esac
exec reflex run "$@"
