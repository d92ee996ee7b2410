"""Recruitment in the JSON API: tracks, openings, candidates, stage changes, placements with
funding, and outcomes. Municipality tokens only. A candidate is answered only to the
recruitment coordinator and — for their own candidates — the leader and mentor (403 with the
reason otherwise; 404 for another municipality's id); every read of one is logged like the
page. A refused change answers 4xx with a message and saves nothing."""

from __future__ import annotations

from flask import abort, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from dugnad.sdk import Refusal, TenantPlugin, authenticate, can, db, refuse
from dugnad_recruitment import access, candidates, outcomes, placements
from dugnad_recruitment.models import (
    FUNDING_KINDS,
    LEGAL_BASES,
    OPENING_KINDS,
    OUTCOME_STATUSES,
    STAGES,
    TRACK_KINDS,
    Candidate,
    Opening,
    Outcome,
    Placement,
    Track,
)

api_recruitment = Blueprint("api_recruitment", __name__, url_prefix="/recruitment",
                            description="Recruitment tracks: tracks, openings, candidates (need to know, every read "
                                        "logged), stage changes, placements with funding, and outcomes.")
API_BLUEPRINTS = [api_recruitment]
PLUGIN = "recruitment"


@api_recruitment.before_request
def _enter():
    authenticate("tenant")
    # where the plugin is off, 404 before anything else (the core's own check runs after this one)
    if not db.session.scalar(select(TenantPlugin.enabled).where(TenantPlugin.tenant_id == g.tenant.id,
                                                                TenantPlugin.plugin == PLUGIN)):
        abort(404, "Not found.")
    # objects first, before the body is read: another municipality's id answers 404
    args = request.view_args or {}
    for name, model in (("candidate_id", Candidate), ("placement_id", Placement), ("outcome_id", Outcome)):
        if name in args and db.session.get(model, args[name]) is None:
            abort(404)
    if not can("recruitment.follow"):
        abort(403, "Only the recruitment coordinator, and leaders and mentors for their own candidates, can use this.")
    if "candidate_id" in args:
        access.candidate_or_refuse(args["candidate_id"])  # 403 with the reason when not one's own, logged


def _manage() -> None:
    if not can("recruitment.manage"):
        abort(403, "Only the recruitment coordinator can change this.")


def _candidate(candidate_id: int) -> Candidate:
    return access.candidate_or_refuse(candidate_id)


def _do(action):
    try:
        result = action()
    except Refusal as error:
        refuse(error)
    db.session.commit()
    return result


# --- schemas ----------------------------------------------------------------------------------------


class RecruitmentTrackSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    kind = fields.Str(metadata={"description": ", ".join(TRACK_KINDS)})
    description = fields.Str(allow_none=True)
    target_group_id = fields.Int(allow_none=True)
    process_id = fields.Int(allow_none=True, metadata={"description": "the design process"})


class RecruitmentOpeningSchema(Schema):
    id = fields.Int(dump_only=True)
    track_id = fields.Int(required=True)
    unit = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.Str(required=True, validate=validate.OneOf(list(OPENING_KINDS)))
    starts_on = fields.Date(required=True)
    months = fields.Int(required=True)
    leader_id = fields.Int(required=True, metadata={"description": "a user who is a member of the municipality"})
    mentor_id = fields.Int(allow_none=True)
    monthly_wage = fields.Int(allow_none=True, metadata={"description": "NOK a month, the unit's full cost"})
    closed_at = fields.DateTime(dump_only=True, allow_none=True)


class RecruitmentCandidateSummarySchema(Schema):
    id = fields.Int(dump_only=True)
    track_id = fields.Int(required=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    stage = fields.Str(dump_only=True, metadata={"description": ", ".join(STAGES)})
    stage_since = fields.Date(dump_only=True)


class RecruitmentCandidateSchema(RecruitmentCandidateSummarySchema):
    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    background = fields.Str(allow_none=True, metadata={"description": "no special-category data here"})
    legal_basis = fields.Str(required=True, validate=validate.OneOf(list(LEGAL_BASES)))
    consent_on = fields.Date(allow_none=True)
    started_on = fields.Date(dump_only=True, allow_none=True)
    ended_on = fields.Date(dump_only=True, allow_none=True)


class RecruitmentStageChangeSchema(Schema):
    id = fields.Int(dump_only=True)
    from_stage = fields.Str(dump_only=True, allow_none=True)
    to_stage = fields.Str(required=True, validate=validate.OneOf(list(STAGES)))
    direction = fields.Str(dump_only=True, metadata={"description": "start, forward, skip, back, end, restart"})
    changed_on = fields.Date(required=True)
    reason = fields.Str(allow_none=True, metadata={"description": "needed to skip, go back, end or restart"})


class RecruitmentPlacementSchema(Schema):
    id = fields.Int(dump_only=True)
    opening_id = fields.Int(required=True)
    starts_on = fields.Date(allow_none=True, metadata={"description": "default: the opening's start"})
    ends_on = fields.Date(allow_none=True, metadata={"description": "default: the opening's length"})
    leader_id = fields.Int(dump_only=True)
    mentor_id = fields.Int(dump_only=True, allow_none=True)
    mentor_name = fields.Str(dump_only=True, allow_none=True)


class RecruitmentFundingSchema(Schema):
    id = fields.Int(dump_only=True)
    rule_id = fields.Int(required=True)
    kind = fields.Str(dump_only=True, metadata={"description": ", ".join(FUNDING_KINDS)})
    rate = fields.Int(allow_none=True, metadata={"description": "percent; default: the rule's"})
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    step_down_on = fields.Date(allow_none=True, metadata={"description": "default: as the rule says"})
    stepped_rate = fields.Int(allow_none=True)
    warnings = fields.List(fields.Str(), dump_only=True, metadata={"description": "step-downs and ends coming soon"})


class RecruitmentOutcomeSchema(Schema):
    id = fields.Int(dump_only=True)
    months = fields.Int(dump_only=True)
    due_on = fields.Date(dump_only=True)
    status = fields.Str(required=True, allow_none=True, validate=validate.OneOf(list(OUTCOME_STATUSES)))
    employer = fields.Str(allow_none=True)
    permanent = fields.Bool(allow_none=True)
    note = fields.Str(allow_none=True)
    recorded_at = fields.DateTime(dump_only=True, allow_none=True)


def _dump(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


# --- tracks and openings -------------------------------------------------------------------------


@api_recruitment.route("/tracks/")
class Tracks(MethodView):
    @api_recruitment.response(200, RecruitmentTrackSchema(many=True))
    def get(self):
        """The municipality's recruitment tracks"""
        return list(db.session.scalars(select(Track).order_by(Track.name)))


@api_recruitment.route("/openings/")
class Openings(MethodView):
    @api_recruitment.response(200, RecruitmentOpeningSchema(many=True))
    def get(self):
        """The places units offer"""
        _manage()
        return list(db.session.scalars(select(Opening).order_by(Opening.starts_on, Opening.id)))

    @api_recruitment.arguments(RecruitmentOpeningSchema)
    @api_recruitment.response(201, RecruitmentOpeningSchema)
    def post(self, data):
        """Open a place in a unit (leader and mentor must be members of the municipality)"""
        _manage()
        track = db.session.get(Track, data["track_id"])
        if track is None:
            abort(422, "track_id: No such track.")
        return _do(lambda: placements.create_opening(track, data))


# --- candidates ------------------------------------------------------------------------------------


@api_recruitment.route("/candidates/")
class Candidates(MethodView):
    @api_recruitment.response(200, RecruitmentCandidateSummarySchema(many=True))
    def get(self):
        """The candidates you may see: all for the coordinator, your own for a leader or mentor"""
        return list(db.session.scalars(access.visible().order_by(Candidate.name, Candidate.id)))

    @api_recruitment.arguments(RecruitmentCandidateSchema)
    @api_recruitment.response(201, RecruitmentCandidateSchema)
    def post(self, data):
        """Add a candidate at the mapping stage, with the legal basis"""
        _manage()
        track = db.session.get(Track, data["track_id"])
        if track is None:
            abort(422, "track_id: No such track.")
        return _do(lambda: candidates.create(track, data))


@api_recruitment.route("/candidates/<int:candidate_id>")
class CandidateResource(MethodView):
    @api_recruitment.response(200, RecruitmentCandidateSchema)
    def get(self, candidate_id: int):
        """One candidate (the read is logged; sensitive fields are never in the API)"""
        found = access.read(_candidate(candidate_id), "API")
        db.session.commit()
        return found


@api_recruitment.route("/candidates/<int:candidate_id>/stage-changes")
class StageChanges(MethodView):
    @api_recruitment.response(200, RecruitmentStageChangeSchema(many=True))
    def get(self, candidate_id: int):
        """The candidate's timeline"""
        found = access.read(_candidate(candidate_id), "API: timeline")
        rows = candidates.timeline(found)
        db.session.commit()
        return rows

    @api_recruitment.arguments(RecruitmentStageChangeSchema)
    @api_recruitment.response(201, RecruitmentStageChangeSchema)
    def post(self, data, candidate_id: int):
        """Move the candidate (a reason is needed to skip, go back, end or restart)"""
        _manage()
        found = _candidate(candidate_id)
        return _do(lambda: candidates.change_stage(found, data["to_stage"], data.get("changed_on"), data.get("reason")))


def _placement_out(p: Placement) -> dict:
    return _dump(p, ("id", "opening_id", "starts_on", "ends_on", "leader_id", "mentor_id", "mentor_name"))


@api_recruitment.route("/candidates/<int:candidate_id>/placements")
class Placements(MethodView):
    @api_recruitment.response(200, RecruitmentPlacementSchema(many=True))
    def get(self, candidate_id: int):
        """The candidate's placements"""
        found = access.read(_candidate(candidate_id), "API: placements")
        rows = [_placement_out(p) for p, *_ in placements.placements_of(found)]
        db.session.commit()
        return rows

    @api_recruitment.arguments(RecruitmentPlacementSchema)
    @api_recruitment.response(201, RecruitmentPlacementSchema)
    def post(self, data, candidate_id: int):
        """Place the candidate in an opening (placements of one person never overlap)"""
        _manage()
        found = _candidate(candidate_id)
        opening = db.session.get(Opening, data["opening_id"])
        if opening is None or opening.track_id != found.track_id:
            abort(422, "opening_id: Choose a place on the candidate's track.")
        return _placement_out(_do(lambda: placements.place(found, opening, data)))


def _placement(found: Candidate, placement_id: int) -> Placement:
    placement = db.session.get(Placement, placement_id)
    if placement is None or placement.candidate_id != found.id:
        abort(404)
    return placement


def _funding_out(funding, rule) -> dict:
    out = _dump(funding, ("id", "rule_id", "kind", "rate", "starts_on", "ends_on", "step_down_on", "stepped_rate"))
    out["warnings"] = [w.text for w in placements.warnings([(funding, rule)])]
    return out


@api_recruitment.route("/candidates/<int:candidate_id>/placements/<int:placement_id>/funding")
class Funding(MethodView):
    @api_recruitment.response(200, RecruitmentFundingSchema(many=True))
    def get(self, candidate_id: int, placement_id: int):
        """How the placement is funded, with the warnings coming"""
        _manage()
        placement = _placement(_candidate(candidate_id), placement_id)
        return [_funding_out(f, r) for f, r in placements.fundings_of([placement.id])[placement.id]]

    @api_recruitment.arguments(RecruitmentFundingSchema)
    @api_recruitment.response(201, RecruitmentFundingSchema)
    def post(self, data, candidate_id: int, placement_id: int):
        """Fund the placement by a rule (it fills in the rate and the step-down)"""
        _manage()
        placement = _placement(_candidate(candidate_id), placement_id)
        funding = _do(lambda: placements.add_funding(placement, data))
        return _funding_out(funding, next(r for f, r in placements.fundings_of([placement.id])[placement.id]
                                          if f.id == funding.id))


@api_recruitment.route("/candidates/<int:candidate_id>/outcomes")
class Outcomes(MethodView):
    @api_recruitment.response(200, RecruitmentOutcomeSchema(many=True))
    def get(self, candidate_id: int):
        """The outcomes at 6, 12 and 24 months (scheduled once the candidate starts)"""
        _manage()
        found = _candidate(candidate_id)
        return list(db.session.scalars(select(Outcome).where(Outcome.candidate_id == found.id).order_by(Outcome.months)))


@api_recruitment.route("/candidates/<int:candidate_id>/outcomes/<int:outcome_id>")
class OutcomeResource(MethodView):
    @api_recruitment.arguments(RecruitmentOutcomeSchema)
    @api_recruitment.response(200, RecruitmentOutcomeSchema)
    def put(self, data, candidate_id: int, outcome_id: int):
        """Record where the candidate is (once the outcome is due)"""
        _manage()
        found = _candidate(candidate_id)
        outcome = db.session.get(Outcome, outcome_id)
        if outcome is None or outcome.candidate_id != found.id:
            abort(404)
        return _do(lambda: outcomes.record(outcome, data))


