"""Polls in the JSON API: polls, their options, ballots and results. Municipality tokens
only; creating and running polls needs ``voting.manage``, voting ``voting.vote``. A refused
request answers 4xx with a message and records nothing. Results follow the poll's rules:
while they are hidden the answer says so and gives only the turnout."""

from __future__ import annotations

from flask import abort, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from dugnad.api.fields import UtcDateTime
from dugnad.accounts.permissions import can
from dugnad.api.auth import authenticate
from dugnad.extensions import db
from dugnad.refusals import refuse
from dugnad.processes import service as processes
from dugnad.processes.models import Activity
from dugnad.voting import service
from dugnad.voting.models import Poll, Voter
from dugnad.voting.service import PollError

api_polls = Blueprint("api_polls", __name__, url_prefix="/polls",
                      description="Polls on processes: dot voting, approval, single choice, ranked, scores, consent and "
                                  "the weighted criteria matrix. Ballots and results.")
API_BLUEPRINTS = [api_polls]


def _objects_exist() -> None:
    args = request.view_args or {}
    if "poll_id" in args and service.get_poll(args["poll_id"]) is None:
        abort(404, _("No such poll."))


api_polls.before_request(lambda: authenticate("tenant"))
api_polls.before_request(_objects_exist)


class OptionSchema(Schema):
    id = fields.Int(dump_only=True)
    label = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    description = fields.Str(allow_none=True, load_default=None)
    source_ref = fields.Str(allow_none=True, load_default=None, metadata={"description": "a plugin's object"})
    position = fields.Int(dump_only=True)


class CriterionSchema(Schema):
    key = fields.Str()
    label = fields.Str(required=True)
    weight = fields.Float(load_default=1.0)


class SettingsSchema(Schema):
    dots_per_person = fields.Int(validate=validate.Range(min=1, max=20))
    max_per_option = fields.Int(allow_none=True, validate=validate.Range(min=1, max=20))
    stacking = fields.Bool()
    max_approvals = fields.Int(allow_none=True, validate=validate.Range(min=1))
    score_min = fields.Int()
    score_max = fields.Int()
    criteria = fields.List(fields.Nested(CriterionSchema))
    ranked_variant = fields.Str(validate=validate.OneOf(["irv", "borda"]))


class PollSchema(Schema):
    id = fields.Int(dump_only=True)
    process_id = fields.Int(required=True)
    phase_id = fields.Int(allow_none=True, load_default=None)
    activity_id = fields.Int(allow_none=True, load_default=None)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    description = fields.Str(allow_none=True, load_default=None)
    method = fields.Str(required=True, metadata={"description": "dot, approval, single, ranked, score, consent, matrix"})
    settings = fields.Nested(SettingsSchema, load_default=dict)
    option_mode = fields.Str(load_default="fixed", validate=validate.OneOf(["fixed", "proposals"]))
    results_visibility = fields.Str(load_default="live", validate=validate.OneOf(["live", "after_vote", "after_close"]))
    anonymous = fields.Bool(load_default=False)
    allow_change = fields.Bool(load_default=True)
    member_voting = fields.Bool(load_default=True)
    opens_at = UtcDateTime(allow_none=True, load_default=None, metadata={"description": "UTC"})
    closes_at = UtcDateTime(allow_none=True, load_default=None, metadata={"description": "UTC"})
    source_ref = fields.Str(allow_none=True, load_default=None)
    options = fields.List(fields.Nested(OptionSchema), load_only=True, load_default=list)
    status = fields.Str(dump_only=True, metadata={"description": "draft, proposals, open or closed"})
    state = fields.Method("_state", dump_only=True, metadata={"description": "as people see it: also scheduled"})
    created_at = UtcDateTime(dump_only=True)
    closed_at = UtcDateTime(dump_only=True, allow_none=True)

    def _state(self, poll) -> str:
        return poll.state()


class PollPatchSchema(Schema):
    title = fields.Str(validate=validate.Length(min=1, max=200))
    description = fields.Str(allow_none=True)
    opens_at = UtcDateTime(allow_none=True)
    closes_at = UtcDateTime(allow_none=True)
    status = fields.Str(validate=validate.OneOf(["proposals", "open", "closed"]),
                        metadata={"description": "start proposals, open or close the poll"})


class PollFilterSchema(Schema):
    process_id = fields.Int()
    activity_id = fields.Int()
    source_ref = fields.Str()


class BallotSchema(Schema):
    ballot = fields.Raw(required=True, metadata={"description": "dot {option_id: dots}; approval [option_id]; single option_id; "
                                                               "ranked [option_id, best first]; score {option_id: score}; "
                                                               "consent {position, reason}; matrix {option_id: {criterion: score}}"})


class PaperBallotSchema(BallotSchema):
    participant_id = fields.Int(allow_none=True, load_default=None)
    label = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=120))


class MyBallotSchema(Schema):
    voted = fields.Bool()
    ballot = fields.Raw(allow_none=True)


class ResultRowSchema(Schema):
    option_id = fields.Int(allow_none=True)
    label = fields.Str()
    rank = fields.Int(allow_none=True)
    tie = fields.Bool()
    value = fields.Str()
    cells = fields.List(fields.Str())


class ResultsSchema(Schema):
    poll_id = fields.Int()
    state = fields.Str()
    visible = fields.Bool(metadata={"description": "false while the poll's rules hide the counts"})
    turnout = fields.Int()
    on_paper = fields.Int()
    value_label = fields.Str(allow_none=True)
    columns = fields.List(fields.Str())
    rows = fields.List(fields.Nested(ResultRowSchema))
    winners = fields.List(fields.Str())
    rounds = fields.List(fields.Dict())
    outcome = fields.Str(allow_none=True)
    reasons = fields.List(fields.List(fields.Str()))


def _require(permission: str, message: str) -> None:
    if not can(permission):
        abort(403, message)



def _poll(poll_id: int) -> Poll:
    return service.get_poll(poll_id) or abort(404, _("No such poll."))


@api_polls.route("/")
class Polls(MethodView):
    @api_polls.arguments(PollFilterSchema, location="query")
    @api_polls.response(200, PollSchema(many=True))
    def get(self, filters):
        """The municipality's polls (drafts only for those who run polls)"""
        polls = service.polls_of(**filters)
        return [p for p in polls if p.status != "draft" or can("voting.manage")]

    @api_polls.arguments(PollSchema)
    @api_polls.response(201, PollSchema)
    def post(self, data):
        """Create a poll on a process (a draft; open it with PATCH status=open)"""
        _require("voting.manage", _("Only coordinators, facilitators and admins can create polls."))
        process = processes.get_process(data.pop("process_id")) or abort(404, _("No such process."))
        phase_id, activity_id = data.pop("phase_id"), data.pop("activity_id")
        phase = processes.get_phase(process, phase_id) if phase_id else None
        if phase_id and phase is None:
            abort(422, _("phase_id: no such phase in this process."))
        activity = db.session.scalar(select(Activity).where(Activity.id == activity_id, Activity.process_id == process.id)) \
            if activity_id else None
        if activity_id and activity is None:
            abort(422, _("activity_id: no such activity in this process."))
        options = [dict(o) for o in data.pop("options")]
        try:
            poll = service.create_poll(process, phase=phase, activity=activity, options=options, user=g.api_token.user,
                                       **data)
            if data.get("option_mode") == "proposals":
                service.start_proposals(poll, g.api_token.user)
        except PollError as error:
            refuse(error)
        db.session.commit()
        return poll


@api_polls.route("/<int:poll_id>")
class PollResource(MethodView):
    @api_polls.response(200, PollSchema)
    def get(self, poll_id: int):
        """One poll"""
        poll = _poll(poll_id)
        if poll.status == "draft" and not can("voting.manage"):
            abort(404, _("No such poll."))
        return poll

    @api_polls.arguments(PollPatchSchema)
    @api_polls.response(200, PollSchema)
    def patch(self, data, poll_id: int):
        """Change the title, description or times; start proposals, open or close the poll"""
        _require("voting.manage", _("Only coordinators, facilitators and admins can change polls."))
        poll = _poll(poll_id)
        user = g.api_token.user
        try:
            status = data.pop("status", None)
            if data:
                service.update_poll(poll, **data)
            if status == "proposals":
                service.start_proposals(poll, user)
            elif status == "open":
                service.open_poll(poll, user)
            elif status == "closed":
                service.close_poll(poll, user)
        except PollError as error:
            refuse(error)
        db.session.commit()
        return poll


@api_polls.route("/<int:poll_id>/options")
class PollOptions(MethodView):
    @api_polls.response(200, OptionSchema(many=True))
    def get(self, poll_id: int):
        """The poll's options, in order"""
        return service.options_of(_poll(poll_id))

    @api_polls.arguments(OptionSchema)
    @api_polls.response(201, OptionSchema)
    def post(self, data, poll_id: int):
        """Add an option (the organiser, before voting opens) or propose one (in the proposal stage)"""
        poll = _poll(poll_id)
        if not (can("voting.manage") or (can("voting.vote") and poll.status == "proposals")):
            abort(403, _("Options can be proposed only while the poll collects proposals."))
        try:
            option = service.add_option(poll, data["label"], description=data.get("description"),
                                        source_ref=data.get("source_ref"), user=g.api_token.user)
        except PollError as error:
            refuse(error)
        db.session.commit()
        return option


def _read_ballot(poll: Poll, raw):
    try:
        return service.from_json(poll.method, raw)
    except (TypeError, ValueError, AttributeError):
        abort(422, _("ballot: it does not have the shape this poll's method expects."))


@api_polls.route("/<int:poll_id>/ballot")
class MyBallot(MethodView):
    @api_polls.response(200, MyBallotSchema)
    def get(self, poll_id: int):
        """The token owner's own ballot (never in an anonymous poll)"""
        poll = _poll(poll_id)
        voter = db.session.scalar(select(Voter).where(Voter.poll_id == poll.id,
                                                              Voter.user_id == g.api_token.user.id))
        ballot = service.ballot_of(poll, voter)
        return {"voted": bool(voter and voter.has_voted), "ballot": service.to_json(poll.method, ballot) if ballot is not None else None}

    @api_polls.arguments(BallotSchema)
    @api_polls.response(201, MyBallotSchema)
    def put(self, data, poll_id: int):
        """Cast (or change, where the poll allows it) the token owner's ballot"""
        _require("voting.vote", _("This person may not vote here."))
        poll = _poll(poll_id)
        if poll.status == "draft":
            abort(409, _("Voting has not opened yet."))
        ballot = _read_ballot(poll, data["ballot"])
        try:
            service.cast(poll, service.voter_for_user(poll, g.api_token.user), ballot)
        except PollError as error:
            refuse(error)
        db.session.commit()
        return {"voted": True, "ballot": None if poll.anonymous else service.to_json(poll.method, ballot)}


@api_polls.route("/<int:poll_id>/paper-ballots")
class PaperBallots(MethodView):
    @api_polls.arguments(PaperBallotSchema)
    @api_polls.response(201, MyBallotSchema)
    def post(self, data, poll_id: int):
        """Enter a paper ballot on someone's behalf (marked as such, and audited)"""
        _require("voting.manage", _("Only coordinators, facilitators and admins can enter paper ballots."))
        poll = _poll(poll_id)
        ballot = _read_ballot(poll, data["ballot"])
        try:
            service.enter_paper_ballot(poll, ballot, entered_by=g.api_token.user, participant_id=data.get("participant_id"),
                                       label=data.get("label"))
        except PollError as error:
            refuse(error)
        db.session.commit()
        return {"voted": True, "ballot": None if poll.anonymous else service.to_json(poll.method, ballot)}


@api_polls.route("/<int:poll_id>/results")
class PollResults(MethodView):
    @api_polls.response(200, ResultsSchema)
    def get(self, poll_id: int):
        """The results, as far as the poll's rules show them now"""
        from dugnad.voting.presenting import result_rows

        poll = _poll(poll_id)
        if poll.status == "draft" and not can("voting.manage"):
            abort(404, _("No such poll."))
        voter = db.session.scalar(select(Voter).where(Voter.poll_id == poll.id,
                                                              Voter.user_id == g.api_token.user.id))
        count, paper, _changed = service.turnout(poll)
        answer = {"poll_id": poll.id, "state": poll.state(), "turnout": count, "on_paper": paper, "visible": False,
                  "rows": [], "columns": [], "winners": [], "rounds": [], "reasons": []}
        if not service.can_see_results(poll, voter, can("voting.manage")):
            return answer
        found = service.results(poll)
        view = result_rows(found)
        answer.update(
            visible=True, value_label=view.value_label, columns=view.columns, winners=view.winners,
            outcome=view.outcome, reasons=[list(r) for r in view.reasons],
            rows=[{"option_id": r.option_id, "label": r.label, "rank": r.rank, "tie": r.tie, "value": r.value,
                   "cells": r.cells} for r in view.rows],
            rounds=[{"round": r.number, "counts": dict(r.counts), "eliminated": r.eliminated, "exhausted": r.exhausted}
                    for r in view.rounds],
        )
        return answer
