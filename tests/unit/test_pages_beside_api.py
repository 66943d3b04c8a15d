"""/notes is a page and /notes/ the REST resource: the page path is served from its file."""

from __future__ import annotations

from nfp_app import routes
from nfp_app.api import create_api
from nfp_app.infra.pages_beside_api import PAGES_BESIDE_API, page_file_path
from nfp_app.pages import PAGES


def test_the_page_path_is_served_from_the_built_page_file() -> None:
    assert page_file_path(routes.NOTES, "GET") == "/notes.html"
    assert page_file_path(routes.NOTES, "HEAD") == "/notes.html"


def test_everything_else_is_left_alone() -> None:
    for path, method in (
        ("/notes/", "GET"),
        ("/notes/1", "GET"),
        ("/notes", "POST"),
        ("/account", "GET"),
        ("/notesx", "GET"),
    ):
        assert page_file_path(path, method) is None


def test_each_such_page_is_a_page_and_an_api_prefix() -> None:
    """The list holds exactly the pages that share their path with a REST resource."""
    api_paths = set(create_api().openapi()["paths"])
    shared = {
        page.route
        for page in PAGES
        if any(path.startswith(f"{page.route}/") for path in api_paths) and page.route != "/"
    }
    assert shared == PAGES_BESIDE_API
