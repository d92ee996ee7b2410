"""The JSON API under /api/v1/, with its OpenAPI document generated from the code
(flask-smorest + marshmallow). Authentication: personal access tokens
(``Authorization: Bearer dgn_…``), each scoped to one municipality or the region."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

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
    for _plugin, mount in loaded.registry.mounts:
        if mount.scope == "api":
            csrf.exempt(mount.blueprint)
            api.register_blueprint(mount.blueprint, url_prefix="/api/v1" + (mount.blueprint.url_prefix or ""))
