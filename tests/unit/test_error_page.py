"""The page shown after a rendering error is ours, and it shows no stack trace."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.error_page import ERROR_HEADING, error_fallback
from nfp_app.nfp_app import app
from nfp_app.reflex_compat import ERROR_BOUNDARY_WRAP


def test_the_app_wraps_pages_in_our_error_boundary() -> None:
    boundary = app.app_wraps[ERROR_BOUNDARY_WRAP](True)
    assert boundary is not None
    compiled = str(boundary.render())
    assert ERROR_HEADING in compiled
    assert "error-reload" in compiled
    assert "error-home" in compiled
    # Reflex's own fallback prints the error's stack and a "Built with Reflex" link.
    assert "error.stack" not in compiled
    assert "reflex.dev" not in compiled
    assert "An error occurred while rendering" not in compiled


def test_the_error_page_has_a_heading_a_reload_and_a_way_home() -> None:
    compiled = str(error_fallback())
    assert f'"{ERROR_HEADING}"' in compiled
    assert 'as:"h1"' in compiled
    # Document loads: "" is the page itself (a reload), "/" the home page.
    assert 'reloadDocument:true,to:""' in compiled
    assert 'reloadDocument:true,to:"/"' in compiled
    assert isinstance(error_fallback(), rx.Component)
