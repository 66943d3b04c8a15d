"""A plain data table: a header row of titles, then the body the caller builds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import reflex as rx


def data_table(
    headers: Sequence[str],
    body: rx.Component,
    table_id: str,
    size: Literal["1", "2", "3"] = "2",
) -> rx.Component:
    """A full-width table with one header cell per title; `table_id` names it for tests."""
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(title) for title in headers])),
        body,
        id=table_id,
        width="100%",
        size=size,
    )
