"""What people and memberships can do, apart from the web forms that ask for it."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, select

from dugnad.accounts.models import Invitation, Membership, User, hash_token, invitation_expiry, new_token
from dugnad.audit import record
from dugnad.extensions import db
from dugnad.links import external_url
from dugnad.notifications import queue_mail
from dugnad.tenancy.context import region_scope, tenant_context
from dugnad.tenancy.models import Tenant
from dugnad.clock import utcnow


class AccountError(ValueError):
    """A request that cannot be done as asked; the message is for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def user_tenants(user: User) -> list[Tenant]:
    """The active municipalities a person belongs to (their own memberships only)."""
    with region_scope("a person's own memberships, for switching municipality"):
        return list(
            db.session.scalars(
                select(Tenant)
                .join(Membership, Membership.tenant_id == Tenant.id)
                .where(Membership.user_id == user.id)
                .order_by(Tenant.name)
            )
        )


def invite(tenant: Tenant, email: str, role: str, invited_by: User | None) -> Invitation:
    """Invite ``email`` to the municipality in context; the link goes through the outbox."""
    email = normalise_email(email)
    if role not in current_app.extensions["dugnad.plugins"].registry.roles:
        raise AccountError(_("Choose one of the roles in the list."), "role")
    existing_user = user_by_email(email)
    if existing_user and db.session.scalar(select(Membership.id).where(Membership.user_id == existing_user.id)):
        raise AccountError(_("%(email)s is already a member of %(tenant)s.", email=email, tenant=tenant.name), "email")
    pending = db.session.scalar(
        select(Invitation).where(
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )
    if pending is not None:
        raise AccountError(_("%(email)s has already been invited. You can send the invitation again from the list.", email=email), "email")
    token, token_hash = new_token()
    invitation = Invitation(email=email, role=role, token_hash=token_hash, invited_by_id=invited_by.id if invited_by else None)
    db.session.add(invitation)
    db.session.flush()
    _send_invitation(tenant, invitation, token, invited_by)
    record("member.invited", invitation, email=email, role=role)
    return invitation


def resend(tenant: Tenant, invitation: Invitation, invited_by: User | None) -> None:
    """A fresh link and expiry for an invitation not yet accepted; the old link stops working."""
    if invitation.accepted_at is not None:
        raise AccountError(_("This invitation has already been accepted."))
    token, invitation.token_hash = new_token()
    invitation.revoked_at = None
    invitation.expires_at = invitation_expiry()
    db.session.flush()
    _send_invitation(tenant, invitation, token, invited_by)
    record("member.invitation_resent", invitation, email=invitation.email)


def _send_invitation(tenant: Tenant, invitation: Invitation, token: str, invited_by: User | None) -> None:
    link = external_url("accounts.accept_invitation", token=token)
    role = current_app.extensions["dugnad.plugins"].registry.roles[invitation.role]
    queue_mail(
        kind="invitation",
        recipient=invitation.email,
        subject_ref=f"invitation:{invitation.id}:{invitation.token_hash[:12]}",
        subject=_("Invitation to %(tenant)s on Dugnad", tenant=tenant.name),
        body=render_template(
            "mail/invitation.txt", tenant=tenant, role=role, link=link, invited_by=invited_by, invitation=invitation
        ),
    )


def find_invitation(token: str) -> Invitation | None:
    """Look an invitation up by its link, across municipalities (the token is the key)."""
    with region_scope("look up an invitation by its secret link"):
        return db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def accept(invitation: Invitation, user: User) -> Membership:
    with tenant_context(invitation.tenant_id):
        invitation = db.session.get(Invitation, invitation.id)
        if invitation.state != "pending":
            raise AccountError(_("This invitation can no longer be used."))
        if user.email != invitation.email:
            raise AccountError(_("This invitation was sent to another e-mail address."))
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        if membership is None:
            membership = Membership(user_id=user.id, role=invitation.role)
            db.session.add(membership)
        invitation.accepted_at = utcnow()
        db.session.flush()
        record("member.joined", membership, email=user.email, role=membership.role, user_id=user.id)
        db.session.commit()
        return membership


def admin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Membership).where(Membership.role == "admin"))


def change_role(membership: Membership, role: str) -> None:
    if role not in current_app.extensions["dugnad.plugins"].registry.roles:
        raise AccountError(_("Choose one of the roles in the list."), "role")
    if membership.role == "admin" and role != "admin" and admin_count() <= 1:
        raise AccountError(_("A municipality needs at least one admin. Make someone else admin first."), "role")
    old = membership.role
    membership.role = role
    record("member.role_changed", membership, email=membership.user.email, old=old, new=role)


def remove(membership: Membership) -> None:
    if membership.role == "admin" and admin_count() <= 1:
        raise AccountError(_("A municipality needs at least one admin. Make someone else admin first."))
    record("member.removed", membership, email=membership.user.email, role=membership.role)
    db.session.delete(membership)
