"""The workshop pages: one blueprint for the municipality's members (``workshops``) and one
public blueprint for people without an account (``workshops_public``: answering an
invitation, handing in homework). Routes live in the modules below, by part of the model."""

from flask import Blueprint

workshops = Blueprint("workshops", __name__, url_prefix="/workshops")
public = Blueprint("workshops_public", __name__, url_prefix="/workshops")

from dugnad_workshops.views import (  # noqa: E402,F401  (the routes)
    followup_pages,
    invitation_pages,
    pilot_pages,
    plenary_pages,
    public_pages,
    room_pages,
    series_pages,
    table_pages,
)

# The plugin's stylesheet and script, served from its own static folder for every page of it.
assets = Blueprint("workshops_assets", __name__, static_folder="../static", static_url_path="/static/plugins/workshops")
