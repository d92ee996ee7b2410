"""Processes in the JSON API: processes, their phases, moves (the history) and
activities. Municipality tokens only; changes need ``processes.manage``. A refused
change answers 4xx with a message and saves nothing."""

from __future__ import annotations

from flask import abort, g
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from dugnad.api.fields import LocalDateTime, UtcDateTime
from dugnad.accounts.permissions import can
from dugnad.api.auth import authenticate
from dugnad.clock import OSLO
from dugnad.extensions import db
from dugnad.refusals import refuse
from dugnad.processes import service
from dugnad.processes.models import ACTIVITY_KINDS, ACTIVITY_STATUSES, Activity, PhaseMove, Process
from dugnad.processes.service import ProcessError

api_processes = Blueprint("api_processes", __name__, url_prefix="/processes",
                          description="The municipality's processes: start one from a template, rename it, read it.")
api_phases = Blueprint("api_phases", __name__, url_prefix="/phases",
                       description="A process's phases: what each must deliver, its order and participation ladder step.")
api_moves = Blueprint("api_moves", __name__, url_prefix="/moves",
                      description="Moves between phases, forward and back, each with its reason.")
api_activities = Blueprint("api_activities", __name__, url_prefix="/activities",
                           description="Meetings, workshops and tasks of a process, with owner and due date.")
API_BLUEPRINTS = [api_processes, api_phases, api_moves, api_activities]


def _objects_exist() -> None:
    """404 for an id of another municipality (or none) before the body is even read,
    so a bad body never tells whether the object exists."""
    from flask import request

    from dugnad.processes.models import Phase

    args = request.view_args or {}
    missing = {"process_id": _("No such process."), "phase_id": _("No such phase."),
               "activity_id": _("No such activity."), "move_id": _("No such move.")}
    for key, model in (("process_id", Process), ("phase_id", Phase), ("activity_id", Activity), ("move_id", PhaseMove)):
        if key in args and db.session.scalar(select(model.id).where(model.id == args[key])) is None:
            abort(404, missing[key])


for _bp in API_BLUEPRINTS:
    _bp.before_request(lambda: authenticate("tenant"))
    _bp.before_request(_objects_exist)

LEVEL = validate.Range(min=1, max=5, error="The participation ladder goes from 1 to 5.")


class ProcessSchema(Schema):
    id = fields.Int(dump_only=True)
    template_key = fields.Str(dump_only=True)
    name = fields.Str(dump_only=True)
    description = fields.Str(dump_only=True, allow_none=True)
    status = fields.Str(dump_only=True)
    current_phase_id = fields.Int(dump_only=True, allow_none=True)
    created_at = UtcDateTime(dump_only=True)


class StartSchema(Schema):
    template = fields.Str(required=True, metadata={"description": "template key, e.g. blt"})
    name = fields.Str(load_default=None, validate=validate.Length(max=200))


class ProcessPatchSchema(Schema):
    name = fields.Str(validate=validate.Length(min=1, max=200))
    description = fields.Str(allow_none=True)
    status = fields.Str(validate=validate.OneOf(["active", "paused", "closed"]))


class PhaseSchema(Schema):
    id = fields.Int(dump_only=True)
    process_id = fields.Int(dump_only=True)
    position = fields.Int(dump_only=True)
    key = fields.Str(dump_only=True, allow_none=True)
    name = fields.Str(dump_only=True)
    desired_result = fields.Str(dump_only=True, allow_none=True)
    suggested_measures = fields.List(fields.Str(), dump_only=True)
    key_questions = fields.List(fields.Str(), dump_only=True)
    responsible_roles = fields.List(fields.Str(), dump_only=True)
    ladder_level = fields.Int(dump_only=True)
    current = fields.Bool(dump_only=True)


class PhaseWriteSchema(Schema):
    name = fields.Str(validate=validate.Length(min=1, max=200))
    desired_result = fields.Str(allow_none=True)
    suggested_measures = fields.List(fields.Str())
    key_questions = fields.List(fields.Str())
    responsible_roles = fields.List(fields.Str())
    ladder_level = fields.Int(validate=LEVEL)
    position = fields.Int(validate=validate.Range(min=0), metadata={"description": "0 is first"})


class PhaseCreateSchema(PhaseWriteSchema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))


class MoveSchema(Schema):
    id = fields.Int(dump_only=True)
    process_id = fields.Int(dump_only=True)
    from_phase_id = fields.Int(dump_only=True, allow_none=True)
    to_phase_id = fields.Int(required=True, metadata={"description": "the phase to move to"})
    from_name = fields.Str(dump_only=True, allow_none=True)
    to_name = fields.Str(dump_only=True)
    direction = fields.Str(dump_only=True, metadata={"description": "start, forward or back"})
    reason = fields.Str(required=True, validate=validate.Length(min=1))
    moved_at = UtcDateTime(dump_only=True)


class ActivitySchema(Schema):
    id = fields.Int(dump_only=True)
    process_id = fields.Int(dump_only=True)
    phase_id = fields.Int(required=True)
    kind = fields.Str(load_default="task", validate=validate.OneOf(list(ACTIVITY_KINDS)))
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    description = fields.Str(allow_none=True)
    owner_id = fields.Int(allow_none=True, metadata={"description": "a participant of the municipality"})
    due_date = fields.Date(allow_none=True)
    starts_at = LocalDateTime(allow_none=True, metadata={"description": "local time in Europe/Oslo, meetings and workshops"})
    ends_at = LocalDateTime(allow_none=True)
    location = fields.Str(allow_none=True)
    status = fields.Str(load_default="planned", validate=validate.OneOf(list(ACTIVITY_STATUSES)))
    ladder_level = fields.Int(allow_none=True, validate=LEVEL)
    sequence = fields.Int(dump_only=True)
    overdue = fields.Method("_overdue", dump_only=True)

    def _overdue(self, activity) -> bool:
        return service.is_overdue(activity)


class ActivityPatchSchema(ActivitySchema):
    phase_id = fields.Int()
    title = fields.Str(validate=validate.Length(min=1, max=200))
    kind = fields.Str(validate=validate.OneOf(list(ACTIVITY_KINDS)))
    status = fields.Str(validate=validate.OneOf(list(ACTIVITY_STATUSES)))


class ActivityFilterSchema(Schema):
    phase_id = fields.Int()
    status = fields.Str(validate=validate.OneOf(list(ACTIVITY_STATUSES)))
    kind = fields.Str(validate=validate.OneOf(list(ACTIVITY_KINDS)))
    owner_id = fields.Int()
    overdue = fields.Bool()


def _manage() -> None:
    if not can("processes.manage"):
        abort(403, _("Only coordinators and admins can change processes."))


def _process(process_id: int):
    return service.get_process(process_id) or abort(404, _("No such process."))


def _phase(phase_id: int):
    from dugnad.processes.models import Phase

    return db.session.scalar(select(Phase).where(Phase.id == phase_id)) or abort(404, _("No such phase."))


def _activity(activity_id: int) -> Activity:
    return db.session.scalar(select(Activity).where(Activity.id == activity_id)) or abort(404, _("No such activity."))



def _naive(values: dict) -> dict:
    for key in ("starts_at", "ends_at"):
        if values.get(key) is not None and values[key].tzinfo is not None:
            values[key] = values[key].astimezone(OSLO).replace(tzinfo=None)
    return values


def _phase_out(phase):
    data = PhaseSchema().dump(phase)
    data["current"] = phase.id == service.get_process(phase.process_id).current_phase_id
    return data


# --- processes ----------------------------------------------------------------------------


@api_processes.route("/")
class Processes(MethodView):
    @api_processes.response(200, ProcessSchema(many=True))
    def get(self):
        """List the municipality's processes"""
        return [row.process for row in service.process_rows()]

    @api_processes.arguments(StartSchema)
    @api_processes.response(201, ProcessSchema)
    def post(self, data):
        """Start a process from a template"""
        _manage()
        try:
            process = service.start_process(data["template"], data.get("name"), g.api_token.user)
        except ProcessError as error:
            refuse(error)
        db.session.commit()
        return process


@api_processes.route("/<int:process_id>")
class ProcessResource(MethodView):
    @api_processes.response(200, ProcessSchema)
    def get(self, process_id: int):
        """One process"""
        return _process(process_id)

    @api_processes.arguments(ProcessPatchSchema)
    @api_processes.response(200, ProcessSchema)
    def patch(self, data, process_id: int):
        """Rename a process, change its description or status"""
        _manage()
        process = _process(process_id)
        try:
            service.update_process(process, data.get("name", process.name),
                                   data["description"] if "description" in data else process.description, data.get("status"))
        except ProcessError as error:
            refuse(error)
        db.session.commit()
        return process


@api_processes.route("/<int:process_id>/phases")
class ProcessPhases(MethodView):
    @api_processes.response(200, PhaseSchema(many=True))
    def get(self, process_id: int):
        """The process's phases, in order"""
        process = _process(process_id)
        return [dict(PhaseSchema().dump(p), current=p.id == process.current_phase_id) for p in service.phases_of(process)]

    @api_processes.arguments(PhaseCreateSchema)
    @api_processes.response(201, PhaseSchema)
    def post(self, data, process_id: int):
        """Add a phase (at the end, or at ``position``)"""
        _manage()
        process = _process(process_id)
        try:
            name = data.pop("name")
            phase = service.add_phase(process, name, **data)
        except ProcessError as error:
            refuse(error)
        db.session.commit()
        return _phase_out(phase)


@api_processes.route("/<int:process_id>/moves")
class ProcessMoves(MethodView):
    @api_processes.response(200, MoveSchema(many=True))
    def get(self, process_id: int):
        """The process's moves between phases, newest first"""
        return [move for move, _who in service.history(_process(process_id))]

    @api_processes.arguments(MoveSchema)
    @api_processes.response(201, MoveSchema)
    def post(self, data, process_id: int):
        """Move the process to another phase, forward or back, with a reason"""
        _manage()
        process = _process(process_id)
        try:
            move = service.move_to(process, data["to_phase_id"], data["reason"], g.api_token.user)
        except ProcessError as error:
            refuse(error)
        db.session.commit()
        return move


@api_processes.route("/<int:process_id>/activities")
class ProcessActivities(MethodView):
    @api_processes.arguments(ActivityFilterSchema, location="query")
    @api_processes.response(200, ActivitySchema(many=True))
    def get(self, filters, process_id: int):
        """The process's activities; filter by phase, status, kind, owner or overdue"""
        return service.activities_of(_process(process_id), **filters)

    @api_processes.arguments(ActivitySchema)
    @api_processes.response(201, ActivitySchema)
    def post(self, data, process_id: int):
        """Plan an activity (meetings and workshops send invitations)"""
        _manage()
        process = _process(process_id)
        try:
            activity = service.create_activity(process, _naive(data))
        except ProcessError as error:
            refuse(error)
        db.session.commit()
        return activity


# --- phases ---------------------------------------------------------------------------------


@api_phases.route("/<int:phase_id>")
class PhaseResource(MethodView):
    @api_phases.response(200, PhaseSchema)
    def get(self, phase_id: int):
        """One phase"""
        return _phase_out(_phase(phase_id))

    @api_phases.arguments(PhaseWriteSchema)
    @api_phases.response(200, PhaseSchema)
    def patch(self, data, phase_id: int):
        """Change a phase: name, desired result, measures, questions, roles, ladder step, position"""
        _manage()
        phase = _phase(phase_id)
        try:
            service.update_phase(phase, **data)
        except ProcessError as error:
            refuse(error)
        from dugnad.audit import record

        record("process.phase_changed", phase, process_id=phase.process_id, name=phase.name)
        db.session.commit()
        return _phase_out(phase)

    @api_phases.response(204)
    def delete(self, phase_id: int):
        """Remove a phase (refused while it is current or has activities)"""
        _manage()
        phase = _phase(phase_id)
        try:
            service.remove_phase(service.get_process(phase.process_id), phase)
        except ProcessError as error:
            error.status = 409
            refuse(error)
        db.session.commit()


# --- moves ------------------------------------------------------------------------------------


@api_moves.route("/<int:move_id>")
class MoveResource(MethodView):
    @api_moves.response(200, MoveSchema)
    def get(self, move_id: int):
        """One move"""
        return db.session.scalar(select(PhaseMove).where(PhaseMove.id == move_id)) or abort(404, _("No such move."))


# --- activities -------------------------------------------------------------------------------


@api_activities.route("/<int:activity_id>")
class ActivityResource(MethodView):
    @api_activities.response(200, ActivitySchema)
    def get(self, activity_id: int):
        """One activity"""
        return _activity(activity_id)

    @api_activities.arguments(ActivityPatchSchema(partial=True))
    @api_activities.response(200, ActivitySchema)
    def patch(self, data, activity_id: int):
        """Change an activity (a changed meeting sends an update)"""
        _manage()
        activity = _activity(activity_id)
        try:
            service.update_activity(service.get_process(activity.process_id), activity, _naive(data))
        except ProcessError as error:
            refuse(error)
        db.session.commit()
        return activity

    @api_activities.response(204)
    def delete(self, activity_id: int):
        """Delete an activity (a meeting's participants get a cancellation)"""
        _manage()
        activity = _activity(activity_id)
        service.delete_activity(service.get_process(activity.process_id), activity)
        db.session.commit()
