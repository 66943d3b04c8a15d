"""What every table shares: UTC timestamps and column limits read from the models."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from annotated_types import MaxLen
from sqlmodel import SQLModel

# The largest id an integer primary key holds on PostgreSQL: a larger one fails there, so
# inputs beyond it are refused before they reach the database.
MAX_ROW_ID = 2**31 - 1


def max_length(table: type[SQLModel], column: str) -> int:
    """The max_length a string column of a table declares."""
    for constraint in table.model_fields[column].metadata:
        if isinstance(constraint, MaxLen):
            return constraint.max_length
    raise LookupError(f"{table.__name__}.{column} declares no max_length")


def clip(value: str, table: type[SQLModel], column: str) -> str:
    """A value cut to what a string column holds."""
    return value[: max_length(table, column)]


def utcnow() -> dt.datetime:
    """The current time in UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp, also on SQLite, which drops the offset."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC timestamp column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=dt.UTC)


def timestamp(*, nullable: bool) -> sa.Column[dt.datetime]:
    return sa.Column(UTCDateTime(), nullable=nullable)
