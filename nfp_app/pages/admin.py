"""The /admin page: your own account card; for administrators, the console overview."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.admin_nav import CONSOLE_WIDTH, console_only
from nfp_app.components.layout import detail_item, signed_in_frame
from nfp_app.state.admin_overview import AdminOverviewState
from nfp_app.state.auth import AuthState

SUCCESS_COLOR = "var(--grass-9)"
FAILURE_COLOR = "var(--tomato-9)"


def account_card() -> rx.Component:
    """The signed-in user's own details, and the way to change them."""
    user = AuthState.user
    return rx.card(
        rx.heading("Your account", size="4", as_="h2", margin_bottom="0.75rem"),
        rx.data_list.root(
            detail_item("Username", user.username, "account-username"),  # type: ignore[union-attr]
            detail_item("Email", user.email, "account-email"),  # type: ignore[union-attr]
            detail_item("Role", user.role, "account-role"),  # type: ignore[union-attr]
            detail_item("Created", user.created_at, "account-created"),  # type: ignore[union-attr]
            detail_item("Last sign-in", user.last_login_at, "account-last-login"),  # type: ignore[union-attr]
        ),
        rx.link("Manage your account", href=routes.ACCOUNT, id="account-link", size="2"),
        id="account-card",
        width="100%",
    )


def _counter(label: str, value: rx.vars.NumberVar, counter_id: str, hint: str) -> rx.Component:
    return rx.card(
        rx.text(label, size="2", color_scheme="gray"),
        # A figure, not a heading: Radix's Heading renders any `as_` other than h1-h6 as h1.
        rx.text(value.to_string(), size="7", weight="bold", as_="p", id=f"{counter_id}-value"),
        rx.text(hint, size="1", color_scheme="gray"),
        id=counter_id,
        flex="1 1 10rem",
    )


def counters() -> rx.Component:
    """The headline figures, one card each."""
    state = AdminOverviewState
    return rx.flex(
        _counter("Users", state.users_total, "counter-users", "all accounts"),
        _counter("Active sessions", state.active_sessions, "counter-sessions", "live now"),
        _counter("Sign-ins", state.sign_ins, "counter-sign-ins", "last 24 hours"),
        _counter("Failed sign-ins", state.failed_sign_ins, "counter-failed", "last 24 hours"),
        _counter("Locked out", state.locked_out, "counter-locked", "sign-ins refused now"),
        wrap="wrap",
        gap="3",
        width="100%",
    )


def _chart_table() -> rx.Component:
    """The chart's figures as a table that only screen readers see."""
    return rx.el.table(
        rx.el.caption("Sign-ins per UTC day"),
        rx.el.thead(
            rx.el.tr(
                rx.el.th("Day", scope="col"),
                rx.el.th("Successful", scope="col"),
                rx.el.th("Failed", scope="col"),
            )
        ),
        rx.el.tbody(
            rx.foreach(
                AdminOverviewState.chart,
                lambda point: rx.el.tr(
                    rx.el.td(point["day"]),
                    rx.el.td(point["successes"]),
                    rx.el.td(point["failures"]),
                ),
            )
        ),
        class_name="rt-visually-hidden",
        id="sign-in-table",
        style={
            "position": "absolute",
            "width": "1px",
            "height": "1px",
            "overflow": "hidden",
            "clip": "rect(0 0 0 0)",
            "white_space": "nowrap",
        },
    )


def sign_in_chart() -> rx.Component:
    """Successful and failed sign-ins per day over 30 days, with a text alternative."""
    return rx.card(
        rx.heading("Sign-ins per day (last 30 days, UTC)", size="4", as_="h2"),
        rx.box(
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
                rx.recharts.x_axis(data_key="label"),
                rx.recharts.y_axis(allow_decimals=False),
                rx.recharts.tooltip(),
                rx.recharts.legend(),
                # No growing bars: the numbers show at once (and nothing moves for people who
                # are bothered by motion).
                rx.recharts.bar(
                    data_key="successes",
                    name="Successful",
                    fill=SUCCESS_COLOR,
                    is_animation_active=False,
                ),
                rx.recharts.bar(
                    data_key="failures",
                    name="Failed",
                    fill=FAILURE_COLOR,
                    is_animation_active=False,
                ),
                data=AdminOverviewState.chart,
                height=300,
                # Recharts 3 makes the SVG a tab stop (role "application") for its tooltip;
                # inside an image that is a stop with nothing to do. The hidden table below
                # gives every figure to screen readers, and the label sums it up.
                custom_attrs={"accessibilityLayer": False},
            ),
            role="img",
            aria_label=AdminOverviewState.chart_summary,
            id="sign-in-chart",
            width="100%",
            height="300px",
            margin_top="0.75rem",
        ),
        _chart_table(),
        position="relative",
        width="100%",
    )


def admin_page() -> rx.Component:
    """Protected: nothing below renders until AuthState confirms the session."""
    return signed_in_frame(
        rx.vstack(
            rx.heading("Home", size="6", as_="h1", id="home-heading"),
            console_only(routes.ADMIN, counters(), sign_in_chart()),
            # An administrator whom the 2FA policy holds back is on the way to /account.
            rx.cond(~AuthState.mfa_enrolment_due, account_card()),
            spacing="4",
            width="100%",
            max_width=CONSOLE_WIDTH,
            padding="1rem",
            margin_x="auto",
        ),
    )
