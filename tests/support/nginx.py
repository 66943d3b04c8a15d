"""nginx with the example site of docs/deploy/nginx.conf, on loopback, under a temporary prefix.

The example is used as written, apart from what only a real host has: its certificate (a
self-signed one for 127.0.0.1 here), its ports and the app's address. A change to the example
that these substitutions no longer find fails loudly instead of testing something else.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.prod_app import ROOT

EXAMPLE_SITE = ROOT / "docs" / "deploy" / "nginx.conf"
_CERTIFICATE_DIR = "/etc/letsencrypt/live/app.example.com/"
START_SECONDS = 15.0


@dataclass(frozen=True)
class NginxSite:
    """The example site rendered for this machine, inside a minimal nginx.conf of its own."""

    prefix: Path
    main_conf: Path
    http_port: int
    https_port: int


def nginx_binary() -> str:
    """The nginx executable; a missing nginx fails the test (scripts/test.sh installs it)."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if Path(p).exists()), None
    )
    if found is None:
        pytest.fail("nginx is not installed (apt-get install nginx): the deploy tests need it")
    return found


def _self_signed_certificate(folder: Path) -> None:
    """fullchain.pem and privkey.pem for 127.0.0.1, valid for a day."""
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )


def _substitute(text: str, pattern: str, replacement: str) -> str:
    new_text, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert count, f"docs/deploy/nginx.conf no longer has {pattern!r}: update tests/support/nginx.py"
    return new_text


def render_site(folder: Path, *, upstream: str, http_port: int, https_port: int) -> NginxSite:
    """Write the example site for `upstream` (host:port) and a main config that includes it."""
    prefix = folder / "nginx"
    (prefix / "tls").mkdir(parents=True)
    _self_signed_certificate(prefix / "tls")
    site = EXAMPLE_SITE.read_text()
    site = _substitute(site, re.escape(_CERTIFICATE_DIR), f"{prefix / 'tls'}/")
    site = _substitute(site, r"^\s*listen \[::\]:.*\n", "")  # loopback IPv4 only
    site = _substitute(site, r"listen 80;", f"listen 127.0.0.1:{http_port};")
    site = _substitute(site, r"listen 443 ", f"listen 127.0.0.1:{https_port} ")
    site = _substitute(site, r"^(\s*)server 127\.0\.0\.1:8000;", rf"\g<1>server {upstream};")
    (prefix / "site.conf").write_text(site)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, workers would otherwise run as nobody and could not use the temporary prefix.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main_conf = prefix / "nginx.conf"
    main_conf.write_text(
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} info;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n    access_log {prefix / 'access.log'};\n{temp_paths}\n"
        f"    include {prefix / 'site.conf'};\n}}\n"
    )
    return NginxSite(prefix=prefix, main_conf=main_conf, http_port=http_port, https_port=https_port)


def _command(site: NginxSite, *extra: str) -> list[str]:
    # -e: the compiled-in error log under /var/log is not ours to write, even before parsing.
    return [
        *(nginx_binary(), "-p", str(site.prefix), "-e", str(site.prefix / "error.log")),
        *("-c", str(site.main_conf), *extra),
    ]


def check_config(site: NginxSite) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on the rendered site: its verdict is on stderr."""
    return subprocess.run(_command(site, "-t"), capture_output=True, text=True, timeout=30)


def _accepts(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def running_nginx(site: NginxSite) -> Iterator[None]:
    """nginx in the foreground, until the block ends."""
    process = subprocess.Popen(
        _command(site, "-g", "daemon off;"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _accepts(site.https_port):
            if process.poll() is not None or time.monotonic() > deadline:
                error_log = site.prefix / "error.log"
                log = error_log.read_text()[-3000:] if error_log.exists() else ""
                pytest.fail(f"nginx did not start on port {site.https_port}:\n{log}")
            time.sleep(0.1)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
