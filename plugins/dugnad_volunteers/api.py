"""The bank in the JSON API: volunteers, organisations, needs (with their matches) and
assignments. Municipality tokens of people who may run the bank; another
municipality's ids answer 404 before the body is read; a refused change answers 4xx
with a message and saves nothing. Reading one volunteer is logged like the page."""

from __future__ import annotations

from flask import abort, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from dugnad.sdk import authenticate, can, db, LocalDateTime, OSLO, refuse, UtcDateTime
from dugnad_volunteers import bank, matching, needs, organisations, registration
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.models import (
    ASSIGNMENT_STATUSES,
    LANGUAGES,
    NEED_STATUSES,
    REQUIRABLE_QUALIFICATIONS,
    STATUSES,
    TARGET_GROUPS,
    Assignment,
    Need,
    Volunteer,
)

api_volunteers = Blueprint("api_volunteers", __name__, url_prefix="/volunteers",
                           description="The volunteer bank: volunteers, their review and what they offer.")
api_organisations = Blueprint("api_volunteer_organisations", __name__, url_prefix="/volunteer-organisations",
                              description="The register of volunteer organisations: activities, target groups, contact.")
api_needs = Blueprint("api_volunteer_needs", __name__, url_prefix="/volunteer-needs",
                      description="Needs for volunteers, their matches (why each matches, what they lack) and requests.")
api_assignments = Blueprint("api_volunteer_assignments", __name__, url_prefix="/volunteer-assignments",
                            description="Volunteers asked for a need, their answers and the hours given.")
API_BLUEPRINTS = [api_volunteers, api_organisations, api_needs, api_assignments]


def _objects_exist() -> None:
    """404 for an id of another municipality (or none) before the body is read."""
    args = request.view_args or {}
    if "volunteer_id" in args and db.session.scalar(select(Volunteer.id).where(
            Volunteer.id == args["volunteer_id"], Volunteer.anonymised_at.is_(None))) is None:
        abort(404, _("No such volunteer."))
    if "organisation_id" in args and organisations.get(args["organisation_id"]) is None:
        abort(404, _("No such organisation."))
    if "need_id" in args and db.session.scalar(select(Need.id).where(Need.id == args["need_id"])) is None:
        abort(404, _("No such need."))
    if "assignment_id" in args and db.session.scalar(select(Assignment.id).where(Assignment.id == args["assignment_id"])) is None:
        abort(404, _("No such assignment."))


def _may_run_the_bank() -> None:
    if not can("volunteers.manage"):
        abort(403, _("Only the volunteer coordinator and admins can use the volunteer bank."))


for _bp in API_BLUEPRINTS:
    _bp.before_request(lambda: authenticate("tenant"))
    _bp.before_request(_objects_exist)
    _bp.before_request(_may_run_the_bank)



def _naive(value):
    if value is not None and value.tzinfo is not None:
        return value.astimezone(OSLO).replace(tzinfo=None)
    return value


# --- schemas --------------------------------------------------------------------------------------------


class VolunteerLanguageSchema(Schema):
    language = fields.Str(required=True, validate=validate.OneOf(list(LANGUAGES)), metadata={"description": "ISO 639 code"})
    level = fields.Int(required=True, validate=validate.Range(1, 4), metadata={"description": "1 a little … 4 mother tongue"})


class VolunteerSummarySchema(Schema):
    id = fields.Int()
    name = fields.Str()
    status = fields.Str(metadata={"description": ", ".join(STATUSES)})
    registered_at = UtcDateTime()
    approved_at = UtcDateTime(allow_none=True)
    paused = fields.Bool()
    idle_since = fields.Date(allow_none=True)
    languages = fields.List(fields.Nested(VolunteerLanguageSchema))


class VolunteerSchema(VolunteerSummarySchema):
    phone = fields.Str()
    email = fields.Str()
    birth_date = fields.Date()
    guardian_name = fields.Str(allow_none=True)
    guardian_confirmed_at = UtcDateTime(allow_none=True)
    formal_competence = fields.Str(allow_none=True)
    informal_competence = fields.Str(allow_none=True)
    availability = fields.List(fields.Int(), metadata={"description": "slots: day × 3 + part (0 Monday morning … 20 Sunday evening)"})
    frequency = fields.Str(allow_none=True)
    anywhere = fields.Bool()
    role_ids = fields.List(fields.Int())
    area_ids = fields.List(fields.Int())
    regional = fields.Bool(metadata={"description": "may be found by neighbouring municipalities"})
    last_task_on = fields.Date(allow_none=True)
    certificates = fields.List(fields.Dict(), metadata={"description": "per role that needs a police certificate: state and dates"})


class VolunteerFilterSchema(Schema):
    status = fields.Str(validate=validate.OneOf(list(STATUSES)))
    language = fields.Str(validate=validate.OneOf(list(LANGUAGES)))
    page = fields.Int(load_default=1, validate=validate.Range(min=1))


class VolunteerDecisionSchema(Schema):
    decision = fields.Str(required=True, validate=validate.OneOf(["approve", "more_info", "reject"]))
    message = fields.Str(load_default=None, metadata={"description": "needed to ask for more or to reject"})


class VolunteerOrganisationSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    activities = fields.Str(allow_none=True)
    target_groups = fields.List(fields.Str(validate=validate.OneOf(list(TARGET_GROUPS))))
    contact_name = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    website = fields.Str(allow_none=True)


class VolunteerNeedSchema(Schema):
    id = fields.Int(dump_only=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    role_id = fields.Int(required=True)
    starts_at = LocalDateTime(required=True, metadata={"description": "local time in Europe/Oslo"})
    ends_at = LocalDateTime(required=True)
    location = fields.Str(allow_none=True)
    area_id = fields.Int(allow_none=True)
    language = fields.Str(allow_none=True, validate=validate.OneOf(list(LANGUAGES)))
    language_level = fields.Int(allow_none=True, validate=validate.Range(1, 4))
    qualification = fields.Str(allow_none=True, validate=validate.OneOf(list(REQUIRABLE_QUALIFICATIONS)))
    volunteers_needed = fields.Int(load_default=1, validate=validate.Range(1, 50))
    description = fields.Str(allow_none=True)
    status = fields.Str(dump_only=True, metadata={"description": ", ".join(NEED_STATUSES)})
    created_at = UtcDateTime(dump_only=True)
    filled_at = UtcDateTime(dump_only=True, allow_none=True)


class VolunteerNeedPatchSchema(VolunteerNeedSchema):
    title = fields.Str(validate=validate.Length(min=1, max=200))
    role_id = fields.Int()
    starts_at = LocalDateTime(metadata={"description": "local time in Europe/Oslo"})
    ends_at = LocalDateTime()
    volunteers_needed = fields.Int(validate=validate.Range(1, 50))


class VolunteerOrganisationPatchSchema(VolunteerOrganisationSchema):
    name = fields.Str(validate=validate.Length(min=1, max=200))


class VolunteerNeedFilterSchema(Schema):
    past = fields.Bool(load_default=False)


class VolunteerSuggestionSchema(Schema):
    volunteer_id = fields.Int()
    name = fields.Str()
    score = fields.Int()
    matches = fields.List(fields.Str(), metadata={"description": "why they match"})
    lacks = fields.List(fields.Str(), metadata={"description": "what they lack"})


class VolunteerNearMissSchema(Schema):
    volunteer_id = fields.Int()
    name = fields.Str()
    lacks = fields.List(fields.Str())


class VolunteerMatchSchema(Schema):
    rules = fields.List(fields.Str(), metadata={"description": "the hard rules applied"})
    eligible = fields.Int(metadata={"description": "how many pass the hard rules and are not yet asked"})
    suggestions = fields.List(fields.Nested(VolunteerSuggestionSchema))
    near_misses = fields.List(fields.Nested(VolunteerNearMissSchema))
    near_miss_count = fields.Int(metadata={"description": "how many lack something; 51 means more than 50"})


class VolunteerRequestSchema(Schema):
    volunteer_ids = fields.List(fields.Int(), required=True, validate=validate.Length(min=1, max=needs.MAX_ASK_AT_ONCE))


class VolunteerNeedCancelSchema(Schema):
    reason = fields.Str(required=True)


class VolunteerNeedDoneSchema(Schema):
    minutes = fields.Dict(keys=fields.Str(), values=fields.Int(allow_none=True), load_default=dict,
                          metadata={"description": "assignment id → minutes given; the need's length when left out"})


class VolunteerAssignmentSchema(Schema):
    id = fields.Int(dump_only=True)
    need_id = fields.Int(dump_only=True)
    volunteer_id = fields.Int(dump_only=True)
    status = fields.Str(dump_only=True, metadata={"description": ", ".join(ASSIGNMENT_STATUSES)})
    asked_at = UtcDateTime(dump_only=True)
    answered_at = UtcDateTime(dump_only=True, allow_none=True)
    minutes = fields.Int(allow_none=True, validate=validate.Range(0, 1440))
    done_at = UtcDateTime(dump_only=True, allow_none=True)


class VolunteerAssignmentPatchSchema(Schema):
    minutes = fields.Int(required=True, allow_none=False, validate=validate.Range(0, 1440),
                         metadata={"description": "time given, in minutes"})


class VolunteerAssignmentFilterSchema(Schema):
    need_id = fields.Int()
    volunteer_id = fields.Int()
    status = fields.Str(validate=validate.OneOf(list(ASSIGNMENT_STATUSES)))


# --- volunteers -------------------------------------------------------------------------------------------


def _summary(volunteer: Volunteer, languages) -> dict:
    return {"id": volunteer.id, "name": volunteer.name, "status": volunteer.status, "registered_at": volunteer.registered_at,
            "approved_at": volunteer.approved_at, "paused": volunteer.is_paused(registration.today()),
            "idle_since": volunteer.idle_since,
            "languages": [{"language": l.language, "level": l.level} for l in languages]}


def _full(volunteer: Volunteer) -> dict:
    from dugnad_volunteers import vetting

    values = registration.profile_values(volunteer)
    out = _summary(volunteer, bank.languages_of([volunteer.id])[volunteer.id])
    out.update(phone=volunteer.phone, email=volunteer.email, birth_date=volunteer.birth_date,
               guardian_name=volunteer.guardian_name, guardian_confirmed_at=volunteer.guardian_confirmed_at,
               formal_competence=volunteer.formal_competence, informal_competence=volunteer.informal_competence,
               availability=registration.slots_of(volunteer.availability), frequency=volunteer.frequency,
               anywhere=volunteer.anywhere, role_ids=values["role_ids"], area_ids=values["area_ids"],
               regional=volunteer.regional_consent_at is not None, last_task_on=volunteer.last_task_on,
               certificates=[{"role_id": s.role.id, "role": s.role.name, "state": s.state,
                              "issued_on": s.vetting.issued_on.isoformat() if s.vetting else None,
                              "shown_on": s.vetting.shown_on.isoformat() if s.vetting else None,
                              "checked_by": s.vetting.checked_by_name if s.vetting else None}
                             for s in vetting.standing(volunteer)])
    return out


@api_volunteers.route("/")
class Volunteers(MethodView):
    @api_volunteers.arguments(VolunteerFilterSchema, location="query")
    @api_volunteers.response(200, VolunteerSummarySchema(many=True))
    def get(self, filters):
        """List volunteers (50 a page), without contact details"""
        rows, _total, languages = bank.search(bank.Filters(status=filters.get("status", ""),
                                                           language=filters.get("language", ""), page=filters["page"]))
        return [_summary(v, languages[v.id]) for v in rows]


@api_volunteers.route("/<int:volunteer_id>")
class VolunteerResource(MethodView):
    @api_volunteers.response(200, VolunteerSchema)
    def get(self, volunteer_id: int):
        """One volunteer's record (the read is logged)"""
        volunteer = bank.read(bank.get(volunteer_id), "API")
        out = _full(volunteer)
        db.session.commit()
        return out


@api_volunteers.route("/<int:volunteer_id>/decision")
class VolunteerDecision(MethodView):
    @api_volunteers.arguments(VolunteerDecisionSchema)
    @api_volunteers.response(200, VolunteerSummarySchema)
    def post(self, data, volunteer_id: int):
        """Approve, ask for more information, or reject with a reason (the volunteer is told by e-mail)"""
        volunteer = bank.get(volunteer_id)
        try:
            bank.decide(volunteer, data["decision"], data.get("message"), g.api_token.user)
        except BankError as error:
            refuse(error)
        db.session.commit()
        return _summary(volunteer, bank.languages_of([volunteer.id])[volunteer.id])


# --- organisations ---------------------------------------------------------------------------------------


def _organisation(participant, profile) -> dict:
    return {"id": participant.id, "name": participant.name, "email": participant.email, "phone": participant.phone,
            "activities": profile.activities if profile else None,
            "target_groups": profile.target_groups if profile else [],
            "contact_name": profile.contact_name if profile else None, "website": profile.website if profile else None}


@api_organisations.route("/")
class Organisations(MethodView):
    @api_organisations.response(200, VolunteerOrganisationSchema(many=True))
    def get(self):
        """List the volunteer organisations"""
        return [_organisation(p, profile) for p, profile in organisations.rows()]

    @api_organisations.arguments(VolunteerOrganisationSchema)
    @api_organisations.response(201, VolunteerOrganisationSchema)
    def post(self, data):
        """Add a volunteer organisation (it joins the participant register too)"""
        try:
            participant = organisations.create(data)
        except BankError as error:
            refuse(error)
        db.session.commit()
        return _organisation(*organisations.get(participant.id))


@api_organisations.route("/<int:organisation_id>")
class OrganisationResource(MethodView):
    @api_organisations.response(200, VolunteerOrganisationSchema)
    def get(self, organisation_id: int):
        """One volunteer organisation"""
        return _organisation(*organisations.get(organisation_id))

    @api_organisations.arguments(VolunteerOrganisationPatchSchema)
    @api_organisations.response(200, VolunteerOrganisationSchema)
    def patch(self, data, organisation_id: int):
        """Change a volunteer organisation"""
        participant, profile = organisations.get(organisation_id)
        values = {**_organisation(participant, profile), **data}
        try:
            organisations.update(participant, profile, values)
        except BankError as error:
            refuse(error)
        db.session.commit()
        return _organisation(*organisations.get(organisation_id))


# --- needs ----------------------------------------------------------------------------------------------------


def _need_values(data: dict) -> dict:
    values = dict(data)
    for key in ("starts_at", "ends_at"):
        if key in values:
            values[key] = _naive(values[key])
    return values


@api_needs.route("/")
class Needs(MethodView):
    @api_needs.arguments(VolunteerNeedFilterSchema, location="query")
    @api_needs.response(200, VolunteerNeedSchema(many=True))
    def get(self, filters):
        """Upcoming open and filled needs (or, with past=true, closed and past ones)"""
        return [row.need for row in needs.need_rows(upcoming=not filters["past"])]

    @api_needs.arguments(VolunteerNeedSchema)
    @api_needs.response(201, VolunteerNeedSchema)
    def post(self, data):
        """Register a need (never in the past)"""
        try:
            need = needs.create(_need_values(data), g.api_token.user)
        except BankError as error:
            refuse(error)
        db.session.commit()
        return need


@api_needs.route("/<int:need_id>")
class NeedResource(MethodView):
    @api_needs.response(200, VolunteerNeedSchema)
    def get(self, need_id: int):
        """One need"""
        return needs.get(need_id)

    @api_needs.arguments(VolunteerNeedPatchSchema)
    @api_needs.response(200, VolunteerNeedSchema)
    def patch(self, data, need_id: int):
        """Change a need"""
        need = needs.get(need_id)
        current = {key: getattr(need, key) for key in ("title", "role_id", "starts_at", "ends_at", "location", "area_id",
                                                       "language", "language_level", "qualification",
                                                       "volunteers_needed", "description")}
        try:
            needs.update(need, {**current, **_need_values(data)})
        except BankError as error:
            refuse(error)
        db.session.commit()
        return need


@api_needs.route("/<int:need_id>/matches")
class NeedMatches(MethodView):
    @api_needs.response(200, VolunteerMatchSchema)
    def get(self, need_id: int):
        """Volunteers who pass the hard rules, ranked, each with why they match and what they lack"""
        need = needs.get(need_id)
        if need.status != "open":
            abort(409, _("The need is %(status)s: there is nothing to match.", status=str(NEED_STATUSES.get(need.status, need.status)).lower()))
        match = matching.suggest(need, needs.role_of(need))
        return {"rules": match.rules, "eligible": match.eligible, "near_miss_count": match.near_miss_count,
                "suggestions": [{"volunteer_id": s.volunteer.id, "name": s.volunteer.name, "score": s.score,
                                 "matches": s.matches, "lacks": s.lacks} for s in match.suggestions],
                "near_misses": [{"volunteer_id": n.volunteer_id, "name": n.name, "lacks": n.lacks}
                                for n in match.near_misses]}


@api_needs.route("/<int:need_id>/requests")
class NeedRequests(MethodView):
    @api_needs.arguments(VolunteerRequestSchema)
    @api_needs.response(201, VolunteerAssignmentSchema(many=True))
    def post(self, data, need_id: int):
        """Ask one or several volunteers (each must pass the hard rules); they answer by e-mail link"""
        try:
            made = needs.ask(needs.get(need_id), data["volunteer_ids"], g.api_token.user)
        except BankError as error:
            refuse(error)
        db.session.commit()
        return made


@api_needs.route("/<int:need_id>/cancel")
class NeedCancel(MethodView):
    @api_needs.arguments(VolunteerNeedCancelSchema)
    @api_needs.response(200, VolunteerNeedSchema)
    def post(self, data, need_id: int):
        """Cancel a need, with the reason (those asked are told)"""
        need = needs.get(need_id)
        try:
            needs.cancel(need, data["reason"])
        except BankError as error:
            refuse(error)
        db.session.commit()
        return need


@api_needs.route("/<int:need_id>/done")
class NeedDone(MethodView):
    @api_needs.arguments(VolunteerNeedDoneSchema)
    @api_needs.response(200, VolunteerNeedSchema)
    def post(self, data, need_id: int):
        """Mark a need done and record the time each volunteer gave"""
        need = needs.get(need_id)
        try:
            minutes = {int(key): value for key, value in data["minutes"].items()}
        except ValueError:
            abort(422, _("minutes: the keys are assignment ids."))
        try:
            needs.complete(need, minutes)
        except BankError as error:
            refuse(error)
        db.session.commit()
        return need


# --- assignments -------------------------------------------------------------------------------------------


@api_assignments.route("/")
class Assignments(MethodView):
    @api_assignments.arguments(VolunteerAssignmentFilterSchema, location="query")
    @api_assignments.response(200, VolunteerAssignmentSchema(many=True))
    def get(self, filters):
        """Assignments, newest first; filter by need, volunteer or status"""
        query = select(Assignment)
        for key in ("need_id", "volunteer_id", "status"):
            if key in filters:
                query = query.where(getattr(Assignment, key) == filters[key])
        return db.session.scalars(query.order_by(Assignment.asked_at.desc(), Assignment.id.desc()).limit(500)).all()


@api_assignments.route("/<int:assignment_id>")
class AssignmentResource(MethodView):
    @api_assignments.response(200, VolunteerAssignmentSchema)
    def get(self, assignment_id: int):
        """One assignment"""
        return needs.get_assignment(assignment_id)

    @api_assignments.arguments(VolunteerAssignmentPatchSchema)
    @api_assignments.response(200, VolunteerAssignmentSchema)
    def patch(self, data, assignment_id: int):
        """Correct the time given on a done assignment"""
        assignment = needs.get_assignment(assignment_id)
        try:
            needs.set_minutes(assignment, data["minutes"])
        except BankError as error:
            refuse(error)
        db.session.commit()
        return assignment

