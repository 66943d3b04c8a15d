#!/usr/bin/env bash
# Rebuild constraints.txt: install requirements-dev.txt into a clean venv and freeze it.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check -r requirements-dev.txt
{
    echo "# Every package, direct and transitive, pinned: scripts install with -c constraints.txt."
    echo "# Regenerate with scripts/lock.sh after changing requirements*.txt."
    "$tmp/venv/bin/pip" freeze --all | grep -vE '^(pip|setuptools|wheel)=='
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) packages pinned"
