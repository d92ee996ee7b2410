"""The recruitment pages (members only; 404 where the plugin is off).

Every candidate page starts from ``access.candidate_or_refuse`` (404 for another
municipality's id, 403 with the reason for a candidate who is not one of yours) and
every list from ``access.visible``. A refused form is shown again with status 422, what
was typed kept and the field marked."""

from __future__ import annotations

from flask import Blueprint, abort

from dugnad.sdk import can, db, show_refusal
from dugnad_recruitment import models

recruitment = Blueprint("recruitment", __name__, url_prefix="/recruitment")
assets = Blueprint("recruitment_assets", __name__, static_folder="../static",
                   static_url_path="/static/plugins/recruitment")

LABELS = {
    "STAGES": models.STAGES, "TRACK_KINDS": models.TRACK_KINDS, "TRACK_SHORT": models.TRACK_SHORT,
    "OPENING_KINDS": models.OPENING_KINDS, "FUNDING_KINDS": models.FUNDING_KINDS, "LEGAL_BASES": models.LEGAL_BASES,
    "OUTCOME_STATUSES": models.OUTCOME_STATUSES, "PLAN_HORIZONS": models.PLAN_HORIZONS,
    "SENSITIVE_FIELDS": models.SENSITIVE_FIELDS, "STAGE_ORDER": models.STAGE_ORDER,
}


@recruitment.context_processor
def _labels():
    return LABELS


def must(permission: str) -> None:
    if not can(permission):
        abort(403)


def fail(form, error, field: str | None = None) -> None:
    show_refusal(form, error, field)


def get_or_404(model, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


from dugnad_recruitment.web import candidates, design, running  # noqa: E402,F401
