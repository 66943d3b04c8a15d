#!/usr/bin/env bash
# Build one deployable archive: dist/nfp_app-<git short sha>.tar.gz (with -dirty when the app's
# tracked files have uncommitted changes). It holds the built frontend, the backend code, the
# pinned requirements, install.sh and start.sh; the deploy host needs Python only (docs/DEPLOY.md).
#
#   scripts/bundle.sh [--out DIR]      the archive's path is the last line printed
#
# Everything is built in a temporary folder: the checkout is left as it was, apart from dist/.
# REFLEX_API_URL (default http://localhost:8000) is baked into the pages: they open their
# websocket on the host that served them, on the https port behind a TLS proxy, and otherwise on
# this URL's port, which must then be the port the app (or a plain-http proxy) listens on.
# The build starts from a copy of the checkout's Reflex build folder (REFLEX_WEB_WORKDIR or
# .web) when it has node_modules; BUNDLE_WEB_DIR keeps a build folder of its own between runs.
set -euo pipefail
source "$(dirname "$0")/_env.sh"

out_dir="$ROOT/dist"
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out_dir="$2"; shift 2 ;;
        *) echo "usage: scripts/bundle.sh [--out DIR]" >&2; exit 2 ;;
    esac
done

# What the server needs; reflex.lock pins the frontend packages of the build.
app_paths=(nfp_app rxconfig.py assets alembic alembic.ini requirements.txt constraints.txt)

version="$(git rev-parse --short HEAD)"
git diff --quiet HEAD -- "${app_paths[@]}" reflex.lock scripts/serve_bundle.py || version="$version-dirty"
name="nfp_app-$version"

work="$(mktemp -d "${TMPDIR:-/tmp}/nfp_app-bundle.XXXXXX")"
trap 'rm -rf "$work"' EXIT

copy_tracked() {  # copy_tracked DEST PATH...: the working-tree copies of tracked files
    local dest="$1"
    shift
    mkdir -p "$dest"
    git ls-files -z -- "$@" \
        | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
        | tar --null -T - -cf - | tar -C "$dest" -xf -
}

echo "== pip install -r requirements.txt" >&2
ensure_venv requirements.txt

web_dir="${BUNDLE_WEB_DIR:-$work/web}"
checkout_web="${REFLEX_WEB_WORKDIR:-$ROOT/.web}"
if [ ! -d "$web_dir/node_modules" ] && [ -d "$checkout_web/node_modules" ]; then
    # Reuse the checkout's installed frontend packages rather than install them again.
    mkdir -p "$web_dir"
    tar -C "$checkout_web" --exclude=./build -cf - . | tar -C "$web_dir" -xf -
fi

echo "== reflex export ($name)" >&2
copy_tracked "$work/src" "${app_paths[@]}" reflex.lock
# Compiling imports the app, whose production settings want a secret: a throwaway one, as the
# build bakes in no setting (the pages hold only their own code and REFLEX_API_URL).
(
    cd "$work/src"
    export REFLEX_WEB_WORKDIR="$web_dir" REFLEX_TELEMETRY_ENABLED=false
    export REFLEX_API_URL="${REFLEX_API_URL:-http://localhost:8000}"
    export DATABASE_URL="sqlite:///$work/build.db"
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
    export SECRET_KEY
    reflex export --no-zip --env prod >&2
)

stage="$work/stage/$name"
copy_tracked "$stage" "${app_paths[@]}"
mkdir -p "$stage/web/build"
cp -a "$web_dir/build/client" "$stage/web/build/"
cp -a "$web_dir/routes.json" "$stage/web/"
cp scripts/serve_bundle.py "$stage/serve.py"

cat >"$stage/install.sh" <<'EOF'
#!/bin/sh
# Make this bundle's virtualenv (.venv) with the pinned requirements. Needs Python 3.11+.
set -eu
cd "$(dirname "$0")"
"${PYTHON:-python3}" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
    -r requirements.txt -c constraints.txt
EOF

cat >"$stage/start.sh" <<'EOF'
#!/bin/sh
# Run nfp_app from this bundle: pages, websocket and REST routes on one port, in production,
# after migrating the database. Arguments go to serve.py: --host (0.0.0.0), --port (8000).
# Settings come from the environment: SECRET_KEY, DATABASE_URL, ... (docs/DEPLOY.md).
set -eu
cd "$(dirname "$0")"
exec .venv/bin/python serve.py "$@"
EOF
chmod +x "$stage/install.sh" "$stage/start.sh"

cat >"$stage/BUNDLE.txt" <<EOF
nfp_app $version
commit: $(git rev-parse HEAD)
built: $(date -u +%Y-%m-%dT%H:%M:%SZ)
REFLEX_API_URL: ${REFLEX_API_URL:-http://localhost:8000}
EOF

mkdir -p "$out_dir"
tar -C "$work/stage" -czf "$work/$name.tar.gz" "$name"
mv "$work/$name.tar.gz" "$out_dir/"
echo "$(cd "$out_dir" && pwd)/$name.tar.gz"
