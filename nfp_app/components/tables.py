"""A plain data table, and the scroll box that keeps wide tables from widening the page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import reflex as rx

from nfp_app.components.looks import SCREEN_READER_ONLY

_FITTED_TABLES = {"& .rt-TableRoot": {"width": "max-content", "min_width": "100%"}}


def scroll_region(table: rx.Component, label: str, region_id: str) -> rx.Component:
    """A box that scrolls `table` sideways on narrow screens instead of the page.

    Focusable and named, so keyboard users can scroll it (axe: scrollable-region-focusable).
    The table takes its natural width, so this box, not the table's own scroll area, scrolls.
    """
    return rx.box(
        table,
        role="region",
        aria_label=label,
        tab_index=0,
        id=region_id,
        width="100%",
        max_width="100%",
        overflow_x="auto",
        # Any Radix table inside takes its natural width (at least the box's), whatever its
        # own width prop says, so its built-in scroll area never scrolls unreachably.
        style=_FITTED_TABLES,
    )


def _header_cell(title: str) -> rx.Component:
    # A column of buttons has no visible title, but screen readers still name it.
    if title:
        return rx.table.column_header_cell(title)
    return rx.table.column_header_cell(rx.el.span("Actions", style=SCREEN_READER_ONLY))


def data_table(
    headers: Sequence[str],
    body: rx.Component,
    table_id: str,
    size: Literal["1", "2", "3"] = "2",
    label: str | None = None,
) -> rx.Component:
    """A full-width table with one header cell per title; `table_id` names it for tests."""
    table = rx.table.root(
        rx.table.header(rx.table.row(*[_header_cell(title) for title in headers])),
        body,
        id=table_id,
        width="100%",
        size=size,
    )
    name = label or table_id.replace("-", " ").capitalize()
    return scroll_region(table, name, f"{table_id}-scroll")
