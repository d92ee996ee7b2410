"""The participant register as JSON: /api/v1/participants. Municipality tokens only;
changes need ``participants.manage``."""

from __future__ import annotations

from flask import abort, request
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from dugnad.api.fields import UtcDateTime
from dugnad.accounts.permissions import can
from dugnad.api.auth import authenticate
from dugnad.extensions import db
from dugnad.participants import service
from dugnad.participants.models import CATEGORIES, KINDS, LEGAL_BASES

participants_api = Blueprint("api_participants", __name__, url_prefix="/participants",
                             description="The municipality's participant register: people and organisations by stakeholder category.")


@participants_api.before_request
def _enter():
    authenticate("tenant")
    if not can("participants.view"):
        abort(403, _("Your role may not see the participant register."))
    participant_id = (request.view_args or {}).get("participant_id")
    if participant_id is not None and service.get(participant_id) is None:
        abort(404, _("No such participant in this municipality."))


class ParticipantSchema(Schema):
    id = fields.Int(dump_only=True)
    kind = fields.Str(load_default="person", validate=validate.OneOf(list(KINDS)), metadata={"description": "person or organisation"})
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    category = fields.Str(required=True, validate=validate.OneOf(list(CATEGORIES)), metadata={"description": "stakeholder category"})
    email = fields.Str(allow_none=True, validate=validate.Length(max=254), metadata={"description": "stored lower-case; unique in the municipality"})
    phone = fields.Str(allow_none=True, validate=validate.Length(max=40))
    title = fields.Str(allow_none=True, validate=validate.Length(max=120), metadata={"description": "role or position"})
    organisation_id = fields.Int(allow_none=True, metadata={"description": "the organisation (in this register) a person speaks for"})
    legal_basis = fields.Str(required=True, validate=validate.OneOf(list(LEGAL_BASES)), metadata={"description": "why the municipality may hold the data"})
    consent_date = fields.Date(allow_none=True, attribute="consent_at", metadata={"description": "required when legal_basis is consent"})
    notes = fields.Str(allow_none=True, validate=validate.Length(max=2000))
    archived = fields.Method("_archived", dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)

    def _archived(self, obj) -> bool:
        return obj.archived_at is not None


class ParticipantPatchSchema(ParticipantSchema):
    class Meta:
        unknown = EXCLUDE  # lookups answer 404 before the body is read; unknown fields are ignored

    @validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ValidationError(_("Send at least one field to change."))


class ParticipantQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.Str(load_default="", metadata={"description": "search name, e-mail, phone, title"})
    category = fields.Str(load_default="", validate=validate.OneOf(["", *CATEGORIES]))
    kind = fields.Str(load_default="", validate=validate.OneOf(["", *KINDS]))
    archived = fields.Bool(load_default=False, metadata={"description": "list archived participants instead"})
    page = fields.Int(load_default=1, validate=validate.Range(min=1))


def _require_manage() -> None:
    if not can("participants.manage"):
        abort(403, _("Your role may not change the participant register."))


def _fail(error: service.ParticipantError):
    db.session.rollback()
    abort(422, f"{error.field or 'participant'}: {error}")


@participants_api.route("/")
class Participants(MethodView):
    @participants_api.arguments(ParticipantQuerySchema, location="query")
    @participants_api.response(200, ParticipantSchema(many=True))
    def get(self, query):
        """List participants (50 a page), with filters"""
        filters = service.Filters(q=query["q"].strip(), category=query["category"], kind=query["kind"],
                                  archived=query["archived"], page=query["page"])
        rows, _total = service.search(filters)
        return rows

    @participants_api.arguments(ParticipantSchema)
    @participants_api.response(201, ParticipantSchema)
    def post(self, data):
        """Add a participant"""
        _require_manage()
        try:
            participant = service.create(data, source="api")
        except service.ParticipantError as error:
            _fail(error)
        db.session.commit()
        return participant


@participants_api.route("/<int:participant_id>")
class ParticipantResource(MethodView):
    @participants_api.response(200, ParticipantSchema)
    def get(self, participant_id: int):
        """One participant"""
        return service.get(participant_id)

    @participants_api.arguments(ParticipantPatchSchema(partial=True))
    @participants_api.response(200, ParticipantSchema)
    def patch(self, data, participant_id: int):
        """Change a participant"""
        _require_manage()
        participant = service.get(participant_id)
        if "consent_at" in data and data["consent_at"] is not None:
            from datetime import datetime, time

            data["consent_at"] = datetime.combine(data["consent_at"], time())
        try:
            service.update(participant, data, source="api")
        except service.ParticipantError as error:
            _fail(error)
        db.session.commit()
        return participant

    @participants_api.response(204)
    def delete(self, participant_id: int):
        """Archive a participant (hidden, restorable in the web page)"""
        _require_manage()
        if service.archive(service.get(participant_id)):
            db.session.commit()


@participants_api.route("/<int:participant_id>/restore")
class ParticipantRestore(MethodView):
    @participants_api.response(200, ParticipantSchema)
    def post(self, participant_id: int):
        """Restore an archived participant"""
        _require_manage()
        participant = service.get(participant_id)
        if service.restore(participant):
            db.session.commit()
        return participant


API_BLUEPRINTS = [participants_api]
