"""The JSON API under /api/v1/, with its OpenAPI document generated from the code
(flask-smorest + marshmallow). Authentication: personal access tokens
(``Authorization: Bearer dgn_…``), each scoped to one municipality or the region."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api
from flask_babel import gettext as _

from dugnad.extensions import csrf

api = Api()


def init_api(app: Flask, loaded) -> None:
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": "Dugnad's JSON API. Send a personal access token as `Authorization: Bearer <token>`; "
                                    "create one on your profile page. A token works in one municipality, or for the region."},
            "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
            "security": [{"token": []}],
        },
    )
    api.init_app(app)
    from dugnad.web.input_guard import BoundedIntConverter, integer_schema

    api.register_converter(BoundedIntConverter, integer_schema)  # ids: at most 2**31 - 1
    for plugin, mount in loaded.registry.mounts:
        if mount.scope == "api":
            csrf.exempt(mount.blueprint)
            if plugin in loaded.optional and not getattr(mount.blueprint, "_dugnad_plugin_check", False):
                # a blueprint object may be registered on several apps (tests); set it up once
                mount.blueprint.before_request(_answer_404_where_off(plugin))
                mount.blueprint._dugnad_plugin_check = True
            api.register_blueprint(mount.blueprint, url_prefix="/api/v1" + (mount.blueprint.url_prefix or ""))


def _answer_404_where_off(plugin: str):
    """An optional plugin's API answers 404 in a municipality where it is switched off, as its
    pages do (runs after the blueprint's own authentication, which sets the municipality)."""
    from flask import abort, g

    def check():
        from dugnad.plugins import plugins

        tenant = g.get("tenant")
        if tenant is not None and not plugins().is_enabled(plugin, tenant.id):
            abort(404, _("Not found."))

    return check
