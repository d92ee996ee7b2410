"""Flask extension objects, created once and initialised in create_app()."""

from flask_babel import Babel
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
htmx = HTMX()


def attach_loaded(model, values: dict):
    """An object of ``model`` from a row read without the ORM (a cache, a plain statement),
    put into the session as if the ORM had loaded it, with no SQL: reading it costs nothing
    more, and changing it saves as usual. The one already in the session wins."""
    from sqlalchemy.orm import attributes, configure_mappers

    mapper = model.__mapper__
    if not mapper.configured:  # a new worker's first request may come before any query configured them
        configure_mappers()
    key = mapper.identity_key_from_primary_key([values[c.key] for c in mapper.primary_key])
    session = db.session()
    present = session.identity_map.get(key)
    if present is not None:
        return present
    # as the ORM builds a loaded row's object: the values set as loaded, not through the
    # constructor and an attribute event each (this runs several times on every request)
    instance = mapper.class_manager.new_instance()
    state = attributes.instance_state(instance)
    state.dict.update(values)
    state.key = key
    state._expire_attributes(state.dict, state.unloaded)  # what was not given loads when read
    # Session.add without its cascade walk: nothing is loaded that it could reach
    session._update_impl(state)
    return instance
