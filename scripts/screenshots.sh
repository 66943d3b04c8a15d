#!/usr/bin/env bash
# Retake the README's screenshots from the live app and copy them to docs/screenshots/.
# Starts the same throwaway PostgreSQL and Redis as scripts/test.sh.
set -euo pipefail
source "$(dirname "$0")/_env.sh"
ensure_venv requirements-dev.txt
source scripts/_services.sh
start_services
python -m pytest tests/e2e/test_screenshots.py -q
cp test-results/screenshots/*.png docs/screenshots/
echo "docs/screenshots/ updated: $(ls docs/screenshots)"
