"""The /admin/audit page: filter the audit log, page through it, export it as CSV."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.admin_nav import console_page
from nfp_app.components.form_field import busy_button
from nfp_app.components.pager import pager
from nfp_app.components.tables import data_table
from nfp_app.services.audit_log import EVENTS, OUTCOMES
from nfp_app.state.admin_audit import AdminAuditState, AuditLine

COLUMNS = ("Time (UTC)", "Event", "Outcome", "User", "IP", "Detail")


def _labelled(label: str, control: rx.Component) -> rx.Component:
    return rx.el.label(rx.text(label, size="1", weight="medium"), control, display="grid", gap="1")


def _choice(
    name: str, element_id: str, options: tuple[str, ...], value: rx.Var[str] | str
) -> rx.Component:
    return rx.el.select(
        rx.el.option("Any", value=""),
        *[rx.el.option(option.replace("_", " "), value=option) for option in options],
        name=name,
        id=element_id,
        default_value=value,
        style={
            "padding": "0.25rem 0.5rem",
            "minHeight": "2rem",
            "border": "1px solid var(--gray-7)",
            "borderRadius": "var(--radius-2)",
            "background": "var(--color-surface)",
        },
    )


def _field(name: str, element_id: str, value: rx.Var[str] | str) -> rx.Component:
    return rx.input(name=name, id=element_id, default_value=value, auto_complete="off")


def _date(name: str, element_id: str, value: rx.Var[str] | str) -> rx.Component:
    return rx.input(name=name, id=element_id, default_value=value, type="date", auto_complete="off")


def filter_form() -> rx.Component:
    """Username, event type, outcome, IP and a date range; applied on the server."""
    state = AdminAuditState
    return rx.form(
        rx.flex(
            _labelled("User", _field("username", "audit-user", state.filter_username)),
            _labelled("Event type", _choice("type", "audit-type", EVENTS, state.filter_type)),
            _labelled(
                "Outcome", _choice("outcome", "audit-outcome", OUTCOMES, state.filter_outcome)
            ),
            _labelled("IP", _field("ip", "audit-ip", state.filter_ip)),
            _labelled("From", _date("since", "audit-since", state.filter_since)),
            _labelled("To", _date("until", "audit-until", state.filter_until)),
            busy_button("Apply", "Applying…", state.paging, button_id="audit-apply", type="submit"),
            busy_button(
                "Export CSV",
                "Exporting…",
                state.exporting,
                button_id="audit-export",
                type="button",
                variant="soft",
                on_click=state.export_csv,
            ),
            wrap="wrap",
            gap="3",
            align="end",
        ),
        on_submit=state.apply_filters,
        reset_on_submit=False,
        id="audit-filters",
    )


def _line(line: rx.vars.ObjectVar[AuditLine]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(line.time, white_space="nowrap"),
        rx.table.cell(line.event),
        rx.table.cell(line.outcome),
        rx.table.cell(line.user),
        rx.table.cell(line.ip),
        rx.table.cell(line.detail),
        key=line.key,
    )


def audit_table() -> rx.Component:
    """This page of events, newest first, with Previous and Next."""
    return rx.vstack(
        data_table(
            COLUMNS,
            rx.table.body(rx.foreach(AdminAuditState.lines, _line)),
            "audit-table",
            size="1",
        ),
        rx.cond(
            AdminAuditState.lines.length() == 0,  # type: ignore[union-attr]
            rx.text("No events match these filters.", size="2", id="audit-empty"),
        ),
        pager(
            "audit",
            page_number=AdminAuditState.page_number,
            turn=AdminAuditState.turn_page,
            has_previous=AdminAuditState.has_previous,
            has_next=AdminAuditState.has_next,
            busy=AdminAuditState.paging,
        ),
        width="100%",
    )


def admin_audit_page() -> rx.Component:
    """Administrators only: nothing renders until the server confirmed one."""
    return console_page(
        routes.ADMIN_AUDIT,
        rx.heading("Audit log", size="5", as_="h1"),
        filter_form(),
        rx.text(AdminAuditState.message, id="audit-message", size="2", role="status"),
        audit_table(),
    )
