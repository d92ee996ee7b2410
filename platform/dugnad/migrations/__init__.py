"""Alembic, with one branch for the core and one per plugin (``register_migrations``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

HERE = Path(__file__).resolve().parent


def alembic_config(app: Flask, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    locations = [str(HERE / "versions"), *app.extensions["dugnad.plugins"].registry.migrations]
    config.set_main_option("version_locations", " ".join(dict.fromkeys(locations)))
    config.set_main_option("path_separator", "space")
    config.attributes["app"] = app
    config.attributes["url"] = url
    return config


def current_revisions(app: Flask, url: str | None = None) -> set[str]:
    """The revisions the database is at (empty for a database never migrated)."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(url or app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()


def upgrade(app: Flask, url: str | None = None, target: str = "heads") -> None:
    """Bring the database to the newest version of every branch."""
    command.upgrade(alembic_config(app, url), target)


def downgrade(app: Flask, target: str, url: str | None = None) -> None:
    command.downgrade(alembic_config(app, url), target)
