"""/notes/ is a page for browsers and the REST resource for API clients."""

from __future__ import annotations

from starlette.datastructures import Headers

from nfp_app.api import create_api
from nfp_app.infra.pages_beside_api import PAGES_BESIDE_API, page_file_path
from nfp_app.pages import PAGES

BROWSER = Headers({"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})


def test_a_browser_loading_the_page_gets_the_built_page() -> None:
    assert page_file_path("/notes/", "GET", BROWSER) == "/notes.html"
    assert page_file_path("/notes/", "HEAD", BROWSER) == "/notes.html"


def test_api_clients_reach_the_api() -> None:
    with_token = Headers({**BROWSER, "authorization": "Bearer x"})
    for path, method, headers in (
        ("/notes/", "GET", Headers({"accept": "*/*"})),
        ("/notes/", "GET", Headers({"accept": "application/json"})),
        ("/notes/", "GET", Headers({})),
        ("/notes/", "GET", with_token),
        ("/notes/", "POST", BROWSER),
        ("/notes/1", "GET", BROWSER),
        ("/notes", "GET", BROWSER),  # Reflex's own redirect to /notes/
        ("/account/", "GET", BROWSER),
    ):
        assert page_file_path(path, method, headers) is None, (path, method, headers)


def test_each_such_page_is_a_page_and_an_api_prefix() -> None:
    """The list holds exactly the pages that share their path with a REST resource."""
    api_paths = set(create_api().openapi()["paths"])
    shared = {
        page.route
        for page in PAGES
        if page.route != "/" and any(path.startswith(f"{page.route}/") for path in api_paths)
    }
    assert shared == PAGES_BESIDE_API
