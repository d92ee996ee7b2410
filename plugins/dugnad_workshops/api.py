"""Workshops in the JSON API: series with their themes and workshops, a workshop's tables
and placement (placing and re-balancing), the needs and ideas its tables record, and the
pilots with their rounds. Municipality tokens only; an id of another municipality answers
404 before the body is read; a refused change answers 4xx with a message and saves nothing."""

from __future__ import annotations

from flask import abort, request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from dugnad.sdk import authenticate, can, db, refuse
from dugnad_workshops import pilots, room, series, tablework
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.models import DECISIONS, Pilot, Workshop

api_series = Blueprint("api_workshop_series", __name__, url_prefix="/workshop-series",
                       description="Workshop series: processes started from the workshop template, with their "
                                   "themes (innovation questions) and two workshops.")
api_workshops = Blueprint("api_workshops", __name__, url_prefix="/workshops",
                          description="One workshop: its tables, the placement per round, and what the tables record.")
api_pilots = Blueprint("api_workshop_pilots", __name__, url_prefix="/workshop-pilots",
                       description="Pilots: owner, time and first activity, rounds of testing and their decisions.")
API_BLUEPRINTS = [api_series, api_workshops, api_pilots]


def _objects_exist() -> None:
    args = request.view_args or {}
    if "process_id" in args and series.get_process(args["process_id"]) is None:
        abort(404, _("No such workshop series."))
    if "workshop_id" in args and db.session.scalar(select(Workshop.id).where(Workshop.id == args["workshop_id"])) is None:
        abort(404, _("No such workshop."))
    if "pilot_id" in args and db.session.scalar(select(Pilot.id).where(Pilot.id == args["pilot_id"])) is None:
        abort(404, _("No such pilot."))


for _bp in API_BLUEPRINTS:
    _bp.before_request(lambda: authenticate("tenant"))
    _bp.before_request(_objects_exist)


def _need(permission: str) -> None:
    if not can(permission):
        abort(403, _("Your role cannot do this here."))



# --- schemas ---------------------------------------------------------------------------------


class ThemeSchema(Schema):
    id = fields.Int()
    area = fields.Str(metadata={"description": "housing, qualification_reception, qualification_settled, participation or own"})
    question = fields.Str(metadata={"description": "the theme as an innovation question"})


class WorkshopBrief(Schema):
    id = fields.Int()
    number = fields.Int(metadata={"description": "1 or 2"})
    status = fields.Str(metadata={"description": "planned, running or held"})
    rotations = fields.Int()
    current_round = fields.Int(metadata={"description": "0 is the first sitting"})
    activity_id = fields.Int(allow_none=True, metadata={"description": "its activity in the process plan (time and place)"})


class SeriesSchema(Schema):
    id = fields.Int(metadata={"description": "the process id"})
    name = fields.Str()
    status = fields.Str()
    themes = fields.List(fields.Nested(ThemeSchema))
    workshops = fields.List(fields.Nested(WorkshopBrief))


class TableSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    theme_id = fields.Int(allow_none=True)
    facilitator_id = fields.Int(allow_none=True, metadata={"description": "a participant; stays at the table"})
    seats = fields.Int()


class WorkshopSchema(WorkshopBrief):
    process_id = fields.Int()
    tables = fields.List(fields.Nested(TableSchema))


class SeatSchema(Schema):
    round = fields.Int(metadata={"description": "0 is the first sitting, then each rotation"})
    table_id = fields.Int()
    participant_id = fields.Int()


class PlacementSchema(Schema):
    seats = fields.List(fields.Nested(SeatSchema))
    repeats = fields.List(fields.List(fields.Int()), metadata={"description": "[participant, table] sat at twice"})
    moved = fields.Int(metadata={"description": "seats that changed in the rounds to come (after a re-balance)"})
    held = fields.Int(metadata={"description": "rounds kept as they were"})


class NeedSchema(Schema):
    id = fields.Int(dump_only=True)
    table_id = fields.Int(required=True)
    text = fields.Str(required=True, validate=validate.Length(min=1, max=2000))
    prioritised = fields.Bool(load_default=False)


class SolutionSchema(Schema):
    id = fields.Int(dump_only=True)
    table_id = fields.Int(required=True)
    need_id = fields.Int(required=True, metadata={"description": "the need the idea answers"})
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    description = fields.Str(allow_none=True)
    measure = fields.Str(allow_none=True)
    effect = fields.Str(allow_none=True)
    key_resources = fields.Str(allow_none=True)
    picked = fields.Method("_picked", dump_only=True, metadata={"description": "sent to the plenary"})
    chosen = fields.Method("_chosen", dump_only=True, metadata={"description": "went on to homework"})

    def _picked(self, solution) -> bool:
        return solution.picked_at is not None

    def _chosen(self, solution) -> bool:
        return solution.chosen_at is not None


class RoundSchema(Schema):
    id = fields.Int(dump_only=True)
    number = fields.Int(dump_only=True)
    started_on = fields.Date(required=True)
    ended_on = fields.Date(allow_none=True)
    tested = fields.Str(required=True, validate=validate.Length(min=1))
    findings = fields.Str(allow_none=True)
    reached = fields.Int(allow_none=True, validate=validate.Range(min=0))
    decision = fields.Str(dump_only=True, allow_none=True, metadata={"description": ", ".join(DECISIONS)})
    reason = fields.Str(dump_only=True, allow_none=True)


class PilotSchema(Schema):
    id = fields.Int()
    process_id = fields.Int()
    solution_id = fields.Int()
    title = fields.Str()
    owner_id = fields.Int()
    starts_on = fields.Date()
    first_activity = fields.Str()
    target_result = fields.Str(allow_none=True)
    status = fields.Str(metadata={"description": "planned, testing, scaled or dropped"})
    reached = fields.Int(allow_none=True)
    evaluation = fields.Str(allow_none=True)
    rounds = fields.Method("_rounds")

    def _rounds(self, pilot):
        return RoundSchema(many=True).dump(pilots.rounds_of(pilot))


class PilotFilter(Schema):
    process_id = fields.Int(metadata={"description": "only the pilots of this series"})


# --- series -------------------------------------------------------------------------------------


def _series_out(process):
    return {"id": process.id, "name": process.name, "status": process.status, "themes": series.themes_of(process),
            "workshops": series.workshops_of(process)}


@api_series.route("/")
class SeriesList(MethodView):
    @api_series.response(200, SeriesSchema(many=True))
    def get(self):
        """List the municipality's workshop series"""
        _need("workshops.view")
        out = []
        for process in series.series_processes():
            if series.ensure(process):
                db.session.commit()
            out.append(_series_out(process))
        return out


@api_series.route("/<int:process_id>")
class SeriesOne(MethodView):
    @api_series.response(200, SeriesSchema)
    def get(self, process_id: int):
        """A workshop series with its themes and workshops"""
        _need("workshops.view")
        process = series.get_process(process_id)
        if series.ensure(process):
            db.session.commit()
        return _series_out(process)


# --- a workshop -----------------------------------------------------------------------------------


def _workshop(workshop_id: int) -> Workshop:
    return series.get_workshop(workshop_id) or abort(404, _("No such workshop."))


@api_workshops.route("/<int:workshop_id>")
class WorkshopOne(MethodView):
    @api_workshops.response(200, WorkshopSchema)
    def get(self, workshop_id: int):
        """A workshop with its tables"""
        _need("workshops.view")
        workshop = _workshop(workshop_id)
        data = WorkshopSchema().dump(workshop)
        data["tables"] = TableSchema(many=True).dump(room.tables_of(workshop))
        return data


def _placement_out(workshop, placed=None):
    rounds = room.stored_rounds(workshop)
    seats = [{"round": r, "table_id": t, "participant_id": p} for r, assignment in enumerate(rounds)
             for p, t in sorted(assignment.items())]
    return {"seats": seats, "repeats": [list(pair) for pair in placed.plan.repeats] if placed else [],
            "moved": placed.moved if placed else 0, "held": placed.held if placed else 0}


@api_workshops.route("/<int:workshop_id>/placement")
class WorkshopPlacement(MethodView):
    @api_workshops.response(200, PlacementSchema)
    def get(self, workshop_id: int):
        """Who sits where, round by round"""
        _need("workshops.facilitate")
        return _placement_out(_workshop(workshop_id))

    @api_workshops.response(200, PlacementSchema)
    def post(self, workshop_id: int):
        """Place the room, or re-balance it for who is here (rounds held stay as they were)"""
        _need("workshops.facilitate")
        workshop = _workshop(workshop_id)
        try:
            placed = room.place_people(workshop)
        except WorkshopError as error:
            refuse(error)
        db.session.commit()
        return _placement_out(workshop, placed)


@api_workshops.route("/<int:workshop_id>/needs")
class WorkshopNeeds(MethodView):
    @api_workshops.response(200, NeedSchema(many=True))
    def get(self, workshop_id: int):
        """The needs the tables recorded"""
        _need("workshops.view")
        return tablework.needs_of(_workshop(workshop_id))

    @api_workshops.arguments(NeedSchema)
    @api_workshops.response(201, NeedSchema)
    def post(self, data, workshop_id: int):
        """Record a need at a table"""
        _need("workshops.facilitate")
        workshop = _workshop(workshop_id)
        table = room.get_table(workshop, data["table_id"]) or abort(422, _("table_id: no such table in this workshop."))
        try:
            need = tablework.add_need(workshop, table, data["text"], current_user)
            if data.get("prioritised"):
                tablework.prioritise(need, True)
        except WorkshopError as error:
            refuse(error)
        db.session.commit()
        return need


@api_workshops.route("/<int:workshop_id>/solutions")
class WorkshopSolutions(MethodView):
    @api_workshops.response(200, SolutionSchema(many=True))
    def get(self, workshop_id: int):
        """The ideas and solutions the tables recorded"""
        _need("workshops.view")
        workshop = _workshop(workshop_id)
        return tablework.solutions_of(workshop.process_id, workshop=workshop)

    @api_workshops.arguments(SolutionSchema)
    @api_workshops.response(201, SolutionSchema)
    def post(self, data, workshop_id: int):
        """Record an idea for a need, at a table"""
        _need("workshops.facilitate")
        workshop = _workshop(workshop_id)
        table = room.get_table(workshop, data["table_id"]) or abort(422, _("table_id: no such table in this workshop."))
        try:
            solution = tablework.add_solution(workshop, table, data, current_user)
        except WorkshopError as error:
            refuse(error)
        db.session.commit()
        return solution


# --- pilots --------------------------------------------------------------------------------------------


@api_pilots.route("/")
class PilotList(MethodView):
    @api_pilots.arguments(PilotFilter, location="query")
    @api_pilots.response(200, PilotSchema(many=True))
    def get(self, args):
        """List pilots, of one series or all"""
        _need("workshops.view")
        query = select(Pilot).order_by(Pilot.starts_on, Pilot.id)
        if "process_id" in args:
            query = query.where(Pilot.process_id == args["process_id"])
        return list(db.session.scalars(query))


@api_pilots.route("/<int:pilot_id>")
class PilotOne(MethodView):
    @api_pilots.response(200, PilotSchema)
    def get(self, pilot_id: int):
        """A pilot with its rounds of testing"""
        _need("workshops.view")
        return pilots.get_pilot(pilot_id)


@api_pilots.route("/<int:pilot_id>/rounds")
class PilotRounds(MethodView):
    @api_pilots.arguments(RoundSchema)
    @api_pilots.response(201, RoundSchema)
    def post(self, data, pilot_id: int):
        """Start a round of testing (with findings, if it is over)"""
        _need("workshops.manage")
        pilot = pilots.get_pilot(pilot_id)
        try:
            round_ = pilots.add_round(pilot, data)
            if any(data.get(k) is not None for k in ("findings", "reached", "ended_on")):
                pilots.record_findings(round_, data)
        except WorkshopError as error:
            refuse(error)
        db.session.commit()
        return round_
