"""Alembic environment: runs against the app's database (or the URL given, such as
an owner role's), with every plugin's models loaded."""

from alembic import context
from sqlalchemy import create_engine, pool

from dugnad.config import normalise_database_url
from dugnad.extensions import db
from dugnad.tenancy import keys

config = context.config
app = config.attributes["app"]
url = normalise_database_url(config.attributes.get("url") or app.config["SQLALCHEMY_DATABASE_URI"])


def run_migrations() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=keys.autogenerate_filter(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
