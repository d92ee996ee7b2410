"""Handoffs as JSON: /api/v1/handoffs (list, create), /handoffs/<id> (show) and
/handoffs/<id>/status (the receiver reports progress). Municipality tokens only.

Listing and showing need ``handoffs.view`` (or, for one handoff, the permission of its
origin or of its receiving kind); creating needs what asking for help on the object needs;
a status change needs the receiving kind's permission. A replayed status answers 200 with
``"changed": false`` and changes nothing."""

from __future__ import annotations

from flask import abort, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields, validate

from dugnad.accounts.permissions import can
from dugnad.api.auth import authenticate
from dugnad.extensions import db
from dugnad.handoffs import service
from dugnad.handoffs.models import STATUSES
from dugnad.refusals import refuse

handoffs_api = Blueprint("api_handoffs", __name__, url_prefix="/handoffs",
                         description="Requests for help from one module to another (a pilot asking the volunteer "
                                     "bank for hosts, say), with their status and timeline.")


@handoffs_api.before_request
def _enter():
    authenticate("tenant")
    handoff_id = (request.view_args or {}).get("handoff_id")
    if handoff_id is not None and service.get(handoff_id) is None:
        abort(404, "No such handoff in this municipality.")


class EventSchema(Schema):
    status = fields.Str()
    note = fields.Str(allow_none=True)
    at = fields.DateTime()


class HandoffSchema(Schema):
    id = fields.Int(dump_only=True)
    kind = fields.Str(metadata={"description": "the kind of help, e.g. volunteers.task"})
    kind_label = fields.Str(dump_only=True)
    receiver = fields.Str(dump_only=True, metadata={"description": "the receiving module"})
    receiver_on = fields.Method("_receiver_on", dump_only=True,
                                metadata={"description": "false when the receiving module has been switched off here"})
    origin_type = fields.Str()
    origin_id = fields.Int()
    origin_label = fields.Str(dump_only=True)
    purpose = fields.Str()
    values = fields.Dict(metadata={"description": "the receiving form's fields; nothing else is kept"})
    status = fields.Str(dump_only=True, metadata={"description": "sent, received, working, done or declined"})
    outcome = fields.Str(dump_only=True, allow_none=True)
    reason = fields.Str(dump_only=True, allow_none=True)
    target_label = fields.Str(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    changed_at = fields.DateTime(dump_only=True)
    closed_at = fields.DateTime(dump_only=True, allow_none=True)

    def _receiver_on(self, obj) -> bool:
        return service.receiver_on(obj)


class HandoffDetailSchema(HandoffSchema):
    timeline = fields.Method("_timeline", dump_only=True)

    def _timeline(self, obj):
        return EventSchema(many=True).dump(service.timelines([obj])[obj.id])


class HandoffCreateSchema(Schema):
    kind = fields.Str(required=True, validate=validate.Length(min=1, max=80))
    origin_type = fields.Str(required=True, validate=validate.Length(min=1, max=80))
    origin_id = fields.Int(required=True)
    purpose = fields.Str(required=True, metadata={"description": "what the help is for; the receiver sees it"})
    values = fields.Dict(load_default=dict, metadata={"description": "the receiving form's fields by key"})


class StatusSchema(Schema):
    status = fields.Str(required=True, validate=validate.OneOf(["received", "working", "done", "declined"]))
    outcome = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=300),
                         metadata={"description": "what came of it, when done (e.g. 'matched: 2 volunteers')"})
    reason = fields.Str(load_default=None, allow_none=True, metadata={"description": "why, when declined (required)"})


class StatusAnswerSchema(HandoffSchema):
    changed = fields.Bool(dump_only=True, metadata={"description": "false for a replay: nothing changed"})


class HandoffQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    status = fields.Str(load_default="", validate=validate.OneOf(["", *STATUSES]))
    kind = fields.Str(load_default="")
    page = fields.Int(load_default=1, validate=validate.Range(min=1), metadata={"description": "50 a page"})


def _may_see(handoff) -> bool:
    from dugnad.handoffs.views import _may_see as may_see

    return may_see(handoff)


@handoffs_api.route("/")
class Handoffs(MethodView):
    @handoffs_api.arguments(HandoffQuerySchema, location="query")
    @handoffs_api.response(200, HandoffSchema(many=True))
    def get(self, query):
        """List the municipality's handoffs (newest first, 50 a page)"""
        if not can("handoffs.view"):
            abort(403, "Your role may not see the municipality's handoffs.")
        return service.listing(page=query["page"], status=query["status"] or None, kind_key=query["kind"] or None)

    @handoffs_api.arguments(HandoffCreateSchema)
    @handoffs_api.response(201, HandoffDetailSchema)
    def post(self, data):
        """Ask another module for help on an object"""
        try:
            service.resolve_origin(data["origin_type"], data["origin_id"])
            if not service.can_send(data["origin_type"]):
                abort(403, "Your role may not ask for help on this object.")
            handoff = service.send(data["kind"], data["origin_type"], data["origin_id"], data["purpose"], data["values"])
        except service.HandoffError as error:
            refuse(error)
        db.session.commit()
        return handoff


@handoffs_api.route("/<int:handoff_id>")
class HandoffResource(MethodView):
    @handoffs_api.response(200, HandoffDetailSchema)
    def get(self, handoff_id: int):
        """One handoff, with its timeline"""
        handoff = service.get(handoff_id)
        if not _may_see(handoff):
            abort(403, "Your role may not see this handoff.")
        return handoff


@handoffs_api.route("/<int:handoff_id>/status")
class HandoffStatus(MethodView):
    @handoffs_api.arguments(StatusSchema)
    @handoffs_api.response(200, StatusAnswerSchema)
    def post(self, data, handoff_id: int):
        """Report the handoff's progress (the receiving module's staff)"""
        handoff = db.session.scalar(db.select(service.Handoff).where(service.Handoff.id == handoff_id).with_for_update())
        kind = service._registry().help_kinds.get(handoff.kind)
        if not (can(kind.permission) if kind is not None and kind.permission else can("handoffs.view")):
            abort(403, "Only the receiving module's staff may report on this handoff.")
        try:
            changed = service.change_status(handoff, data["status"], outcome=data["outcome"], reason=data["reason"])
        except service.HandoffError as error:
            refuse(error)
        db.session.commit()
        handoff.changed = changed
        return handoff


API_BLUEPRINTS = [handoffs_api]
