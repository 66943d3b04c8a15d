# Shared by the scripts: a project venv with node first on PATH, and npm instead of bun.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export REFLEX_USE_NPM=1
# reflex.lock/package-lock.json is committed without registry URLs (any mirror works); without
# this npm writes them back into it, and a fresh machine's first run dirties the checkout.
export npm_config_omit_lockfile_registry_resolved=true
export PATH="$ROOT/.venv/bin:$PATH"

ensure_venv() {  # ensure_venv REQUIREMENTS_FILE
    if [ ! -x .venv/bin/python ]; then
        # Debian's python3 makes no venv without python3-venv (ensurepip).
        if ! python3 -c 'import ensurepip' 2>/dev/null; then
            if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
                echo "== apt-get install python3-venv"
                apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            else
                echo "Python's venv module is missing: install python3-venv (apt-get install python3-venv)." >&2
                exit 1
            fi
        fi
        python3 -m venv .venv
    fi
    # constraints.txt pins every transitive dependency too, so every install is the same.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1" -c constraints.txt
}
