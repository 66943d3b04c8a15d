"""Wiring only: the app, its pages and the REST routes mounted next to them."""

from __future__ import annotations

import reflex as rx

from nfp_app import db, signin
from nfp_app.api import create_api
from nfp_app.http_headers import SecurityHeadersMiddleware
from nfp_app.pages.admin import admin_page
from nfp_app.pages.home import home_page
from nfp_app.pages.login import login_page
from nfp_app.pages.signup import signup_page
from nfp_app.settings import get_settings
from nfp_app.state.admin import AdminState
from nfp_app.state.auth import AuthState
from nfp_app.state.login import LoginState
from nfp_app.state.signup import SignupState
from nfp_app.state.snapshots import keep_credentials_out_of_snapshots

# Fails fast, with a clear message, when production has no usable SECRET_KEY.
signin.warn_if_unthrottled(get_settings())
# The session cookie must not be pickled to .states/ or Redis with the handshake headers.
keep_credentials_out_of_snapshots()

# Transformers apply in order: Reflex is mounted under the API, then everything gets the headers.
app = rx.App(api_transformer=[create_api(), SecurityHeadersMiddleware])
app.register_lifespan_task(db.migrate_to_head)
app.add_page(home_page, route="/", title="nfp_app", on_load=AuthState.route_home)
app.add_page(login_page, route="/login", title="Sign in · nfp_app", on_load=LoginState.open_page)
app.add_page(
    signup_page, route="/signup", title="Create an account · nfp_app", on_load=SignupState.open_page
)
app.add_page(admin_page, route="/admin", title="Account · nfp_app", on_load=AdminState.open_page)
