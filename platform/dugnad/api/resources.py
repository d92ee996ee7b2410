"""The core's API resources: municipalities (region tokens) and members (municipality tokens)."""

from __future__ import annotations

from flask import abort, g
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from dugnad.api.fields import UtcDateTime
from dugnad.accounts import service as accounts
from dugnad.accounts.models import Membership, User
from dugnad.accounts.permissions import can
from dugnad.api.auth import authenticate
from dugnad.extensions import db
from dugnad.region import service as tenancy
from dugnad.tenancy.models import Tenant

municipalities = Blueprint("api_municipalities", __name__, url_prefix="/municipalities",
                           description="The region's municipalities. Region tokens only.")
members = Blueprint("api_members", __name__, url_prefix="/members",
                    description="People with access to the token's municipality, and their roles.")
invitations = Blueprint("api_invitations", __name__, url_prefix="/invitations",
                        description="Invite people to the token's municipality.")

municipalities.before_request(lambda: authenticate("region"))
members.before_request(lambda: authenticate("tenant"))
invitations.before_request(lambda: authenticate("tenant"))


class MunicipalitySchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    number = fields.Str(required=True, metadata={"description": "kommunenummer, four digits"})
    slug = fields.Str(load_default=None, metadata={"description": "web address; made from the name if left out"})
    status = fields.Str(dump_only=True, metadata={"description": "active or suspended"})
    plugins = fields.List(fields.Str(), dump_only=True)


class MemberSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(dump_only=True, attribute="user.name")
    email = fields.Email(dump_only=True, attribute="user.email")
    role = fields.Str(required=True)
    created_at = UtcDateTime(dump_only=True)


class RoleSchema(Schema):
    role = fields.Str(required=True)


class InvitationSchema(Schema):
    id = fields.Int(dump_only=True)
    email = fields.Email(required=True)
    role = fields.Str(required=True)
    expires_at = UtcDateTime(dump_only=True)
    state = fields.Str(dump_only=True)


def _with_plugins(tenants: list[Tenant]) -> list[dict]:
    states = tenancy.plugin_states([t.id for t in tenants])
    return [
        {"id": t.id, "name": t.name, "number": t.number, "slug": t.slug, "status": t.status,
         "plugins": sorted(states.get(t.id, ()))}
        for t in tenants
    ]


@municipalities.route("/")
class Municipalities(MethodView):
    @municipalities.response(200, MunicipalitySchema(many=True))
    def get(self):
        """List the region's municipalities"""
        return _with_plugins(db.session.scalars(select(Tenant).order_by(Tenant.name)).all())

    @municipalities.arguments(MunicipalitySchema)
    @municipalities.response(201, MunicipalitySchema)
    def post(self, data):
        """Create a municipality"""
        # as the web form does: surrounding spaces are not part of a number or an address
        number = data["number"].strip()
        slug = (data.get("slug") or "").strip() or tenancy.slugify(data["name"])
        problems = tenancy.validate_new(data["name"], number, slug)
        if problems:
            abort(422, "; ".join(f"{k}: {v}" for k, v in problems.items()))
        tenant = tenancy.create_tenant(data["name"], number, slug)
        db.session.commit()
        return _with_plugins([tenant])[0]


@municipalities.route("/<int:tenant_id>")
class Municipality(MethodView):
    @municipalities.response(200, MunicipalitySchema)
    def get(self, tenant_id: int):
        """One municipality"""
        tenant = db.session.get(Tenant, tenant_id) or abort(404)
        return _with_plugins([tenant])[0]


def _require_manage() -> None:
    if not can("members.manage"):
        abort(403, _("Only the municipality's admins can change people and roles."))


@members.route("/")
class Members(MethodView):
    @members.response(200, MemberSchema(many=True))
    def get(self):
        """List the people in the municipality"""
        return db.session.scalars(select(Membership).join(Membership.user).order_by(User.name)).all()


@members.route("/<int:membership_id>")
class Member(MethodView):
    def _get(self, membership_id: int) -> Membership:
        return db.session.get(Membership, membership_id) or abort(404)

    @members.response(200, MemberSchema)
    def get(self, membership_id: int):
        """One person"""
        return self._get(membership_id)

    @members.arguments(RoleSchema)
    @members.response(200, MemberSchema)
    def patch(self, data, membership_id: int):
        """Change a person's role"""
        _require_manage()
        membership = self._get(membership_id)
        try:
            accounts.change_role(membership, data["role"])
        except accounts.AccountError as error:
            db.session.rollback()
            abort(422, str(error))
        db.session.commit()
        return membership

    @members.response(204)
    def delete(self, membership_id: int):
        """Remove a person from the municipality"""
        _require_manage()
        membership = self._get(membership_id)
        try:
            accounts.remove(membership)
        except accounts.AccountError as error:
            db.session.rollback()
            abort(422, str(error))
        db.session.commit()


@invitations.route("/")
class Invitations(MethodView):
    @invitations.arguments(InvitationSchema)
    @invitations.response(201, InvitationSchema)
    def post(self, data):
        """Invite someone by e-mail (the link goes through the outbox)"""
        _require_manage()
        try:
            invitation = accounts.invite(g.tenant, data["email"], data["role"], current_user)
        except accounts.AccountError as error:
            db.session.rollback()
            abort(422, str(error))
        db.session.commit()
        return invitation
