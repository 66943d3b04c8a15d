"""Throwaway databases: a migrated PostgreSQL template, cloned once per test."""

from __future__ import annotations

import itertools
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from nfp_app.infra import db

_counter = itertools.count()


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


class PostgresTemplate:
    """Creates databases from one migrated template, which is much faster than migrating each."""

    def __init__(self, server_url: str) -> None:
        self._server = make_url(server_url)
        self._admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
        self.template_name = "nfp_template"
        with self._admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {self.template_name}"))
            connection.execute(sa.text(f"CREATE DATABASE {self.template_name}"))
        template_url = self.url_for(self.template_name)
        db.migrate_to_head(template_url)
        db.engine_for(template_url).dispose()

    def url_for(self, name: str) -> str:
        """The URL of a database on this server."""
        return self._server.set(database=name).render_as_string(hide_password=False)

    def create_database(self, *, migrated: bool = True) -> str:
        """A new database, migrated (a template copy) or empty."""
        name = f"nfp_test_{next(_counter)}"
        source = f" TEMPLATE {self.template_name}" if migrated else ""
        with self._admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(sa.text(f"CREATE DATABASE {name}{source}"))
        return self.url_for(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database."""
        name = make_url(url).database
        db.engine_for(url).dispose()
        with self._admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def close(self) -> None:
        """Release the admin connection pool."""
        self._admin.dispose()
