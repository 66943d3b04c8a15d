"""The example nginx site (docs/deploy/nginx.conf) passes `nginx -t`."""

from pathlib import Path

import pytest

from tests.support.nginx import check_config, render_site
from tests.support.prod_app import free_port

pytestmark = [pytest.mark.deploy]


def test_example_site_passes_nginx_t(tmp_path: Path) -> None:
    site = render_site(
        tmp_path, upstream="127.0.0.1:8000", http_port=free_port(), https_port=free_port()
    )
    result = check_config(site)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
