"""The newcomer service in the JSON API: households, their checklist items, follow-ups
and outcomes. Municipality tokens of the newcomer coordinator and admins (all households)
or of a contact person (their own). Another municipality's ids answer 404 before the body
is read; a refused change answers 4xx with a message and saves nothing; reading a
household is logged like the page."""

from __future__ import annotations

from flask import abort, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from dugnad.sdk import Refusal, authenticate, can, db, refuse
from dugnad_newcomers import followups, households
from dugnad_newcomers.models import ITEM_STATUSES, OUTCOMES, PLANS, REASONS, STATUSES, Household

api_households = Blueprint("api_newcomer_households", __name__, url_prefix="/newcomer-households",
                           description="The newcomer service: households, their checklist, follow-ups and outcomes.")
API_BLUEPRINTS = [api_households]


def _user():
    return g.api_token.user


def _allowed() -> None:
    if not (can("newcomers.manage") or can("newcomers.contact")):
        abort(403, "Only the newcomer coordinator, contact persons and admins can use the newcomer service.")


def _household_or_404() -> None:
    args = request.view_args or {}
    if "household_id" in args:
        household = households.get(args["household_id"])
        if household is None or household.anonymised_at is not None:
            abort(404, "No such household.")
        if not (can("newcomers.manage") or household.contact_user_id == _user().id):
            abort(403, "You are not this household's contact person.")
        g.newcomer_household = household


api_households.before_request(lambda: authenticate("tenant"))
api_households.before_request(_allowed)
api_households.before_request(_household_or_404)


class NewcomerMemberSchema(Schema):
    kind = fields.Str(metadata={"description": "adult | child"})
    age = fields.Int(allow_none=True, metadata={"description": "children only"})


class NewcomerHouseholdSummarySchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str()
    status = fields.Str(dump_only=True, metadata={"description": ", ".join(STATUSES)})
    arrival_date = fields.Date()
    reason = fields.Str(metadata={"description": ", ".join(REASONS)})
    contact_user_id = fields.Int(allow_none=True)
    outcome = fields.Str(dump_only=True, allow_none=True, metadata={"description": ", ".join(OUTCOMES)})


class NewcomerHouseholdSchema(NewcomerHouseholdSummarySchema):
    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    moved_from = fields.Str(allow_none=True)
    moved_to = fields.Str(dump_only=True, allow_none=True)
    help_wanted = fields.List(fields.Str())
    message = fields.Str(allow_none=True)
    members = fields.List(fields.Nested(NewcomerMemberSchema), dump_only=True)
    consent_version = fields.Int(dump_only=True, allow_none=True)


class NewcomerHouseholdCreateSchema(Schema):
    name = fields.Str(required=True)
    email = fields.Str(load_default=None)
    phone = fields.Str(load_default=None)
    adults = fields.Int(load_default=1)
    children = fields.List(fields.Raw(), load_default=list, metadata={"description": "ages, 0–17"})
    moved_from = fields.Str(load_default=None)
    arrival_date = fields.Str(required=True, metadata={"description": "YYYY-MM-DD, not in the future"})
    reason = fields.Str(required=True, metadata={"description": ", ".join(REASONS)})
    help_wanted = fields.List(fields.Str(), load_default=list)
    message = fields.Str(load_default=None)
    consent = fields.Bool(required=True, metadata={"description": "they agreed to the current consent text"})
    locale = fields.Str(load_default="nb", validate=validate.OneOf(["nb", "nn", "en", "uk", "ar"]))


class NewcomerFilterSchema(Schema):
    page = fields.Int(load_default=1, validate=validate.Range(min=1))
    status = fields.Str(load_default="", validate=validate.OneOf(["", "unconfirmed", "active", "moved_away"]))


class NewcomerContactSchema(Schema):
    contact_user_id = fields.Int(required=True, allow_none=True)


class NewcomerItemSchema(Schema):
    id = fields.Int(dump_only=True)
    key = fields.Str(dump_only=True)
    label = fields.Str(dump_only=True)
    status = fields.Str(validate=validate.OneOf(list(ITEM_STATUSES)))
    owner_user_id = fields.Int(allow_none=True)
    due_on = fields.Date(allow_none=True)
    note = fields.Str(allow_none=True)
    done_at = fields.DateTime(dump_only=True, allow_none=True)


class NewcomerItemPatchSchema(NewcomerItemSchema):
    """Only the fields sent are changed."""


class NewcomerFollowUpSchema(Schema):
    id = fields.Int(dump_only=True)
    month = fields.Int(dump_only=True)
    due_on = fields.Date(dump_only=True)
    recorded_at = fields.DateTime(dump_only=True, allow_none=True)
    cancelled_at = fields.DateTime(dump_only=True, allow_none=True)
    how_going = fields.Str(allow_none=True)
    missing = fields.Str(allow_none=True)
    plans = fields.Str(allow_none=True, validate=validate.OneOf(list(PLANS)))
    outcome = fields.Str(validate=validate.OneOf(list(OUTCOMES)))
    moved_to = fields.Str(allow_none=True)


class NewcomerFollowUpRecordSchema(NewcomerFollowUpSchema):
    outcome = fields.Str(required=True, validate=validate.OneOf(list(OUTCOMES)))


class NewcomerOutcomeSchema(Schema):
    household_id = fields.Int()
    arrival_date = fields.Date()
    outcome = fields.Str(allow_none=True)
    outcome_on = fields.Date(allow_none=True)
    moved_to = fields.Str(allow_none=True)


def _summary(h: Household) -> dict:
    return {"id": h.id, "name": h.name, "status": h.status, "arrival_date": h.arrival_date, "reason": h.reason,
            "contact_user_id": h.contact_user_id, "outcome": h.outcome}


def _full(h: Household) -> dict:
    from dugnad_newcomers.models import ConsentText

    consent = db.session.get(ConsentText, h.consent_text_id) if h.consent_text_id else None
    return {**_summary(h), "email": h.email, "phone": h.phone, "moved_from": h.moved_from, "moved_to": h.moved_to,
            "help_wanted": h.help_wanted, "message": h.message,
            "members": [{"kind": m.kind, "age": m.age} for m in households.members(h)],
            "consent_version": consent.version if consent else None}


def _item(i) -> dict:
    return {"id": i.id, "key": i.key, "label": i.title, "status": i.status, "owner_user_id": i.owner_user_id,
            "due_on": i.due_on, "note": i.note, "done_at": i.done_at}


def _follow_up(f) -> dict:
    return {k: getattr(f, k) for k in ("id", "month", "due_on", "recorded_at", "cancelled_at", "how_going", "missing",
                                       "plans", "outcome", "moved_to")}


@api_households.route("/")
class Households(MethodView):
    @api_households.arguments(NewcomerFilterSchema, location="query")
    @api_households.response(200, NewcomerHouseholdSummarySchema(many=True))
    def get(self, args):
        """List households (50 a page): a contact person sees their own"""
        filters = households.Filters(status=args["status"] if args["status"] in STATUSES else "", page=args["page"],
                                     mine=not can("newcomers.manage"))
        rows, _total = households.listing(filters, _user().id)
        return [_summary(r.household) for r in rows]

    @api_households.arguments(NewcomerHouseholdCreateSchema)
    @api_households.response(201, NewcomerHouseholdSchema)
    def post(self, data):
        """Register a household after a conversation (the coordinator)"""
        if not can("newcomers.manage"):
            abort(403, "Only the newcomer coordinator registers households.")
        try:
            household = households.register(data, locale=data.pop("locale"), by=_user())
        except Refusal as error:
            refuse(error)
        db.session.commit()
        return _full(household)


@api_households.route("/<int:household_id>")
class HouseholdResource(MethodView):
    @api_households.response(200, NewcomerHouseholdSchema)
    def get(self, household_id: int):
        """One household (the read is logged)"""
        household = households.read(g.newcomer_household, "API")
        out = _full(household)
        db.session.commit()
        return out


@api_households.route("/<int:household_id>/contact")
class HouseholdContact(MethodView):
    @api_households.arguments(NewcomerContactSchema)
    @api_households.response(200, NewcomerHouseholdSummarySchema)
    def put(self, data, household_id: int):
        """Give the household a contact person (or none)"""
        if not can("newcomers.manage"):
            abort(403, "Only the newcomer coordinator assigns contact persons.")
        try:
            households.assign_contact(g.newcomer_household, data["contact_user_id"])
        except Refusal as error:
            refuse(error)
        db.session.commit()
        return _summary(g.newcomer_household)


@api_households.route("/<int:household_id>/checklist")
class Checklist(MethodView):
    @api_households.response(200, NewcomerItemSchema(many=True))
    def get(self, household_id: int):
        """The household's checklist"""
        return [_item(i) for i in households.items(g.newcomer_household)]


@api_households.route("/<int:household_id>/checklist/<int:item_id>")
class ChecklistItemResource(MethodView):
    @api_households.arguments(NewcomerItemPatchSchema)
    @api_households.response(200, NewcomerItemSchema)
    def patch(self, data, household_id: int, item_id: int):
        """Change an item's status, owner, due date or note"""
        item = households.get_item(g.newcomer_household, item_id)
        if item is None:
            abort(404, "No such checklist item in this household.")
        try:
            households.update_item(item, data)
        except Refusal as error:
            refuse(error)
        db.session.commit()
        return _item(item)


@api_households.route("/<int:household_id>/follow-ups")
class FollowUps(MethodView):
    @api_households.response(200, NewcomerFollowUpSchema(many=True))
    def get(self, household_id: int):
        """The household's follow-ups at 3, 6, 12 and 24 months"""
        return [_follow_up(f) for f in households.follow_ups(g.newcomer_household)]


@api_households.route("/<int:household_id>/follow-ups/<int:follow_up_id>")
class FollowUpResource(MethodView):
    @api_households.arguments(NewcomerFollowUpRecordSchema)
    @api_households.response(200, NewcomerFollowUpSchema)
    def post(self, data, household_id: int, follow_up_id: int):
        """Record the follow-up conversation and its outcome (once)"""
        follow_up = followups.get(g.newcomer_household, follow_up_id)
        if follow_up is None:
            abort(404, "No such follow-up in this household.")
        try:
            followups.record_conversation(g.newcomer_household, follow_up, data, _user())
        except Refusal as error:
            refuse(error)
        db.session.commit()
        return _follow_up(follow_up)


api_outcomes = Blueprint("api_newcomer_outcomes", __name__, url_prefix="/newcomer-outcomes",
                         description="Where each household stands: still here, moved away (where to) or unknown.")
api_outcomes.before_request(lambda: authenticate("tenant"))
api_outcomes.before_request(lambda: None if can("newcomers.manage") else abort(
    403, "Only the newcomer coordinator and admins see every household's outcome."))
API_BLUEPRINTS.append(api_outcomes)


@api_outcomes.route("/")
class Outcomes(MethodView):
    @api_outcomes.response(200, NewcomerOutcomeSchema(many=True))
    def get(self):
        """Every household's latest outcome (deleted households keep arrival and outcome, nothing else)"""
        rows = db.session.execute(select(Household.id, Household.arrival_date, Household.outcome, Household.outcome_on,
                                         Household.moved_to).where(Household.status != "unconfirmed")
                                  .order_by(Household.arrival_date, Household.id)).all()
        return [{"household_id": r[0], "arrival_date": r[1], "outcome": r[2], "outcome_on": r[3], "moved_to": r[4]}
                for r in rows]
