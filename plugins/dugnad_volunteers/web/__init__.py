"""The bank's pages: the coordinator's (``volunteers``, members only), the public ones
for volunteers without an account (``volunteer_public``), and the region's pool.

Objects are looked up before anything else, so another municipality's ids answer 404;
a refused form is shown again with status 422, what was typed kept and the field marked."""

from __future__ import annotations

from flask import Blueprint, url_for
from flask_babel import gettext as _

from dugnad.sdk import can
from dugnad_volunteers import models

volunteers = Blueprint("volunteers", __name__, url_prefix="/volunteers")
public = Blueprint("volunteer_public", __name__, url_prefix="/frivillig")
region = Blueprint("volunteer_region", __name__, url_prefix="/volunteers")
assets = Blueprint("volunteer_assets", __name__, static_folder="../static", static_url_path="/static/plugins/volunteers")

LABELS = {
    "STATUSES": models.STATUSES, "LANGUAGES": models.LANGUAGES, "LEVELS": models.LEVELS, "DAYS": models.DAYS,
    "PARTS": models.PARTS, "FREQUENCIES": models.FREQUENCIES, "QUALIFICATION_KINDS": models.QUALIFICATION_KINDS,
    "WORKS_WITH": models.WORKS_WITH, "TARGET_GROUPS": models.TARGET_GROUPS, "NEED_STATUSES": models.NEED_STATUSES,
    "ASSIGNMENT_STATUSES": models.ASSIGNMENT_STATUSES, "EVENT_KINDS": models.EVENT_KINDS,
    "INVITATION_STATUSES": models.INVITATION_STATUSES,
}


def _labels():
    from dugnad_volunteers.bank import READ_PURPOSES

    return {**LABELS, "READ_PURPOSES": READ_PURPOSES}


def _role_text(text):
    from dugnad_volunteers.configuration import shown

    return shown(text)


for _bp in (volunteers, public, region):
    _bp.context_processor(_labels)
    _bp.add_app_template_filter(_role_text, "role_text")


def tabs(active: str) -> list[tuple[str, str, str, bool]]:
    """(key, label, url, current) of the bank's sub-navigation."""
    items = [
        ("volunteers", _("Volunteers"), url_for("volunteers.index")),
        ("review", _("Review"), url_for("volunteers.review")),
        ("needs", _("Needs"), url_for("volunteers.needs")),
        ("events", _("Events"), url_for("volunteers.events")),
        ("organisations", _("Organisations"), url_for("volunteers.organisations")),
    ]
    if can("volunteers.pool"):
        items.append(("pool", _("Regional pool"), url_for("volunteers.pool")))
    if can("volunteers.setup"):
        items.append(("setup", _("Set-up"), url_for("volunteers.setup")))
    return [(key, label, href, key == active) for key, label, href in items]


from dugnad_volunteers.web import bank, events, needs, organisations, pool, public_pages, region_pages, setup  # noqa: E402,F401
