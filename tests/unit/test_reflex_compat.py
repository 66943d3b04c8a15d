"""The workarounds in nfp_app/reflex_compat.py, and the Reflex version they were checked on.

When this fails after an upgrade, read each workaround against the new Reflex source, fix what
changed, and only then move CHECKED_REFLEX_VERSION.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

import reflex as rx
from reflex.istate.data import HeaderData

from nfp_app import reflex_compat
from nfp_app.state.auth import AuthState


def test_reflex_is_the_version_the_workarounds_were_checked_on() -> None:
    installed = version("reflex")
    assert installed == reflex_compat.CHECKED_REFLEX_VERSION, (
        f"Reflex {installed} is installed, but nfp_app/reflex_compat.py was checked against "
        f"{reflex_compat.CHECKED_REFLEX_VERSION}: re-check every workaround there first."
    )


def test_snapshots_drop_credential_headers() -> None:
    headers = {"cookie": "nfp_session=s3cret", "authorization": "Bearer x", "user-agent": "ua"}
    fields = {
        "router_data": {"headers": headers, "pathname": "/admin"},
        "rx_router_headers": HeaderData.from_router_data({"headers": headers}),
    }
    cleaned = reflex_compat.scrub(fields)
    assert cleaned["router_data"]["headers"] == {"user-agent": "ua"}
    assert dict(cleaned["rx_router_headers"].raw_headers) == {"user-agent": "ua"}
    assert cleaned["rx_router_headers"].cookie == ""
    assert fields["router_data"]["headers"] == headers  # the live state keeps its headers


def test_snapshot_patch_is_installed_by_the_app() -> None:
    reflex_compat.keep_credentials_out_of_snapshots()
    assert rx.State.__getstate__ is reflex_compat._getstate


def test_beacon_image_reports_load_and_error() -> None:
    compiled = str(
        reflex_compat.BeaconImage.create(
            src="/x", on_load=AuthState.finish_handoff, on_error=AuthState.finish_handoff
        )
    )
    assert "onLoad" in compiled
    assert "onError" in compiled


def test_native_form_is_submitted_by_the_browser() -> None:
    compiled = str(reflex_compat.NativeForm.create(action="/auth/logout", method="post"))
    assert 'action:"/auth/logout"' in compiled
    assert 'method:"post"' in compiled
    assert "onSubmit" not in compiled
    # Reflex's own form, for contrast, always takes the submission over.
    assert "onSubmit" in str(rx.el.form(action="/auth/logout"))


def test_the_app_object_is_still_the_asgi_factory() -> None:
    """Granian calls the app object to build the server app; the outer middleware relies on it."""
    assert list(inspect.signature(rx.App.__call__).parameters) == ["self"]
