"""The application factory."""

from __future__ import annotations

from pathlib import Path
from types import FunctionType, ModuleType

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader

from dugnad.config import Settings
from dugnad.extensions import babel, csrf, db, htmx, login_manager

# The project's top-level templates/ folder: in a checkout next to platform/, in an installed
# wheel carried inside the package (setup.py puts it there).
_PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATES = _PACKAGED_TEMPLATES if _PACKAGED_TEMPLATES.is_dir() else Path(__file__).resolve().parents[2] / "templates"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


class DugnadFlask(Flask):
    """Flask, asking once per function whether it is ``async`` (Flask asks on every call of
    every request hook and view: nine times a request, a tenth of a cached page's CPU)."""

    _plain: set = set()

    def ensure_sync(self, func):
        if func in self._plain:
            return func
        answer = super().ensure_sync(func)
        if answer is func and isinstance(func, FunctionType):  # not bound methods or partials: made anew each time
            self._plain.add(func)
        return answer


def create_app(settings: Settings | None = None, plugins: list[str | ModuleType] = (), testing: bool = False) -> Flask:
    settings = settings or Settings.from_env()
    app = DugnadFlask("dugnad", static_folder=str(Path(__file__).parent / "static"), instance_path=str(settings.instance_path))
    app.config.update(settings.flask_config())
    app.config["TESTING"] = testing
    app.extensions["dugnad.settings"] = settings
    from dugnad.web import input_guard
    from dugnad.web.sessions import KeptCookieSessionInterface

    app.session_interface = KeptCookieSessionInterface()

    input_guard.install_converter(app)  # before any route: ids fit an integer column
    from dugnad.voting import lean

    lean.install(app)  # a card's vote over htmx skips the request pipeline; inside ProxyFix, as Flask is
    from dugnad.web import replay

    replay.install(app)  # a kept page asked for again by the same browser: given again without Flask
    if settings.proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops,
                                x_host=settings.proxy_hops)

    from dugnad.logs import configure_logging

    configure_logging(app, settings)

    from dugnad.plugins import Plugins
    from dugnad.tenancy import scoping

    loaded = Plugins(extra=[*settings.extra_plugins, *plugins])
    app.extensions["dugnad.plugins"] = loaded
    scoping.install()
    from dugnad import versions

    versions.install()

    db.init_app(app)
    _enable_sqlite_foreign_keys(app)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)

    from dugnad.web.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=";".join([str(TRANSLATIONS), *loaded.registry.translation_dirs]))
    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader(str(TEMPLATES)), *(FileSystemLoader(d) for d in loaded.registry.template_dirs)]
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")

    from dugnad.web import routing, security, templating

    input_guard.init_app(app)  # first of the request hooks: nothing reads input it refuses
    security.init_app(app)
    templating.init_app(app)
    routing.init_app(app, loaded)

    from dugnad.api import init_api

    init_api(app, loaded)
    for command in loaded.registry.commands:
        app.cli.add_command(command)
    from dugnad.web import errors

    errors.init_app(app)  # after the API, so these handlers win over flask-smorest's
    return app


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _upper(value):
    return value.upper() if isinstance(value, str) else value


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    """SQLite ignores foreign keys unless told per connection; the composite
    tenant keys must hold there too."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "connect")
            def _fk_on(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.close()
                # SQLite's own lower()/upper() know only A–Z: "Åse" would never match "åse".
                # Python's know every letter, as PostgreSQL's do.
                dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
                dbapi_connection.create_function("upper", 1, _upper, deterministic=True)
