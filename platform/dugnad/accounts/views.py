"""Login, password reset, invitations, one's own profile and tokens; members admin."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, time

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.utils import _create_identifier
from sqlalchemy import select

from dugnad.accounts import logins, service, throttle
from dugnad.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    RoleForm,
    TokenForm,
)
from dugnad.accounts.models import AccessToken, Invitation, Membership, User, hash_token, new_token
from dugnad.accounts.permissions import require
from dugnad.accounts.security import (
    check_password,
    clear_login_failures,
    hash_password,
    make_reset_token,
    user_from_reset_token,
)
from dugnad.audit import record
from dugnad.extensions import db, login_manager
from dugnad.links import external_url
from dugnad.notifications import queue_mail
from dugnad.tenancy.models import Tenant
from dugnad.clock import utcnow
from dugnad.web.templating import render

auth = Blueprint("accounts", __name__)
members = Blueprint("members", __name__, url_prefix="/admin/members")


@login_manager.user_loader
def _load_user(value: str) -> User | None:
    return logins.load(value)


def _log_in(user: User, remember: bool = False) -> None:
    """Start a recorded login (so it can be ended) and give this browser its cookies."""
    _fresh_session()
    logins.start(user, remember, request.headers.get("User-Agent"))
    db.session.commit()
    login_user(user, remember=remember)


login_manager.login_view = "accounts.login"
login_manager.login_message = None

_identifiers: OrderedDict[tuple, str] = OrderedDict()  # (address, User-Agent) -> Flask-Login's identifier
_IDENTIFIERS_KEPT = 10_000


def _session_identifier() -> str:
    """Flask-Login's session-protection identifier (``flask_login.utils._create_identifier``:
    the SHA-512 of address and User-Agent), the same value, kept per (address, User-Agent)
    in this process rather than hashed afresh on every request."""
    seen = (request.headers.get("X-Forwarded-For", request.remote_addr), request.headers.get("User-Agent"))
    identifier = _identifiers.get(seen)
    if identifier is None:
        identifier = _create_identifier()
        _identifiers[seen] = identifier
        if len(_identifiers) > _IDENTIFIERS_KEPT:
            _identifiers.popitem(last=False)
    return identifier


login_manager._session_identifier_generator = _session_identifier


def _safe_next(target: str | None) -> str | None:
    """A path on this site only: browsers read "/\\evil.example" (and tabs or newlines in
    it) as "//evil.example", another site."""
    if target and target.startswith("/") and not target.startswith("//") and not any(c in target for c in "\\\t\r\n"):
        return target
    return None


def _fresh_session() -> None:
    """Start a clean session (no fixation, nothing left from before) but keep this
    browser's language and the municipality used last, so the next login lands there."""
    kept = {key: session[key] for key in ("lang", "last_tenant") if key in session}
    session.clear()
    session.update(kept)


def home_for(user: User) -> str:
    """Where a person lands after logging in."""
    tenants = service.user_tenants(user)
    last = session.get("last_tenant")
    for tenant in tenants:
        if tenant.slug == last:
            return url_for("web.dashboard", tenant=tenant.slug)
    if len(tenants) == 1:
        return url_for("web.dashboard", tenant=tenants[0].slug)
    if user.is_region_admin and not tenants:
        return url_for("region.index")
    return url_for("accounts.profile")


@auth.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        wait = throttle.reserve(form.email.data, address)
        if wait:
            flash(_("Too many failed attempts. Wait %(seconds)s seconds and try again, or reset your password.",
                    seconds=wait), "danger")
            body, status = render("accounts/login.html", form=form, status=429)
            return body, status, {"Retry-After": str(wait)}
        user = service.user_by_email(form.email.data)
        # Always verify (against a dummy hash when there is no account), so the time
        # taken does not tell whether an account exists.
        password_ok = check_password(user, form.password.data)
        if user is not None and user.active and password_ok:
            throttle.succeeded(form.email.data, address)
            user.last_login_at = utcnow()
            _log_in(user, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        form.password.errors.append(_("Wrong e-mail or password."))
        status = 422
    elif form.is_submitted():
        status = 422
    return render("accounts/login.html", form=form, status=status)


@auth.post("/logout")
def logout():
    ConfirmForm().validate_on_submit() or abort(400)
    if current_user.is_authenticated:
        logins.end(current_user.login_id)
        db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("You are logged out."), "success")
    return redirect(url_for("accounts.login"))


@auth.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = service.user_by_email(form.email.data)
        if user is not None and user.active:
            token = make_reset_token(user)
            queue_mail(
                kind="password-reset",
                recipient=user.email,
                subject_ref=f"reset:{token[-16:]}",
                subject=_("Reset your Dugnad password"),
                body=render_template(
                    "mail/password_reset.txt", user=user,
                    link=external_url("accounts.reset_password", token=token),
                ),
                tenant_id=None,
            )
            db.session.commit()
        flash(_("If %(email)s has an account, we have sent it a link to choose a new password. The link works for one hour.", email=form.email.data), "info")
        return redirect(url_for("accounts.login"))
    return render("accounts/forgot_password.html", form=form, status=422 if form.is_submitted() else 200)


@auth.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user, problem = user_from_reset_token(token)
    if user is None:
        message = _("This link has expired. Ask for a new one.") if problem == "expired" else _("This link is not valid, or it has already been used. Ask for a new one.")
        return render("accounts/link_problem.html", message=message, retry=url_for("accounts.forgot_password"), status=410 if problem == "expired" else 400)
    form = NewPasswordForm()
    if form.validate_on_submit():
        user.password_hash = hash_password(form.password.data)
        clear_login_failures(user.email)
        ended = logins.end_all(user.id)  # whoever had the old password is logged out everywhere
        record("account.password_reset", user, tenant_id=None, user_id=user.id, logins_ended=ended)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
            _fresh_session()
        flash(_("Your password is changed. You can log in now."), "success")
        return redirect(url_for("accounts.login"))
    return render("accounts/reset_password.html", form=form, status=422 if form.is_submitted() else 200)


@auth.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = service.find_invitation(token)
    if invitation is None:
        return render("accounts/link_problem.html", message=_("This invitation link is not valid. Perhaps a newer invitation replaced it: check your e-mail, or ask the person who invited you."), status=404)
    tenant = db.session.get(Tenant, invitation.tenant_id)
    if invitation.state != "pending":
        messages = {
            "expired": _("This invitation has expired. Ask an admin in %(tenant)s to send it again.", tenant=tenant.name),
            "accepted": _("This invitation has already been used. Log in to continue."),
            "revoked": _("This invitation was withdrawn. Ask an admin in %(tenant)s if you should still join.", tenant=tenant.name),
        }
        return render("accounts/link_problem.html", message=messages[invitation.state], status=410)
    if tenant.is_suspended:
        return render("accounts/link_problem.html", message=_("%(tenant)s is suspended for now. Try again later.", tenant=tenant.name), status=403)
    role = current_app.extensions["dugnad.plugins"].registry.roles.get(invitation.role)
    existing = service.user_by_email(invitation.email)
    if existing is not None:
        if not current_user.is_authenticated or current_user.id != existing.id:
            flash(_("You already have an account. Log in as %(email)s to accept the invitation.", email=existing.email), "info")
            return redirect(url_for("accounts.login", next=request.path))
        form = ConfirmForm()
        if form.validate_on_submit():
            service.accept(invitation, existing)
            flash(_("Welcome to %(tenant)s!", tenant=tenant.name), "success")
            return redirect(url_for("web.dashboard", tenant=tenant.slug))
        return render("accounts/accept_invitation.html", form=form, invitation=invitation, tenant_=tenant, role=role, new_account=False)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        user = User(email=invitation.email, name=form.name.data.strip(), password_hash=hash_password(form.password.data), locale=session.get("lang"))
        db.session.add(user)
        db.session.flush()
        service.accept(invitation, user)
        _log_in(user)
        flash(_("Welcome to %(tenant)s!", tenant=tenant.name), "success")
        return redirect(url_for("web.dashboard", tenant=tenant.slug))
    return render("accounts/accept_invitation.html", form=form, invitation=invitation, tenant_=tenant, role=role,
                  new_account=True, status=422 if form.is_submitted() else 200)


@auth.route("/me", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.locale = form.locale.data
        session["lang"] = form.locale.data
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render("accounts/profile.html", form=form, tenants=service.user_tenants(current_user),
                  logins=logins.active_logins(current_user.id), confirm=ConfirmForm(),
                  status=422 if form.is_submitted() else 200)


@auth.post("/me/logins/<int:login_id>/end")
@login_required
def end_login(login_id: int):
    """Log out one of one's own logins (a lost phone, a shared computer)."""
    ConfirmForm().validate_on_submit() or abort(400)
    login = db.session.get(logins.LoginSession, login_id)
    if login is None or login.user_id != current_user.id:
        abort(404)
    logins.end(login.id)
    record("account.login_ended", current_user, tenant_id=None, login_id=login.id)
    db.session.commit()
    if login.id == current_user.login_id:
        logout_user()
        _fresh_session()
        flash(_("You are logged out."), "success")
        return redirect(url_for("accounts.login"))
    flash(_("That login is ended: whoever used it must log in again."), "success")
    return redirect(url_for("accounts.profile") + "#logins-heading")


@auth.post("/me/logins/end-others")
@login_required
def end_other_logins():
    ConfirmForm().validate_on_submit() or abort(400)
    ended = logins.end_all(current_user.id, keep=current_user.login_id)
    record("account.logins_ended", current_user, tenant_id=None, count=ended)
    db.session.commit()
    flash(_("You are logged out everywhere else."), "success")
    return redirect(url_for("accounts.profile") + "#logins-heading")


@auth.route("/me/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password(current_user, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            current_user.password_hash = hash_password(form.password.data)
            ended = logins.end_all(current_user.id, keep=current_user.login_id)
            record("account.password_changed", current_user, tenant_id=None, logins_ended=ended)
            db.session.commit()
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("accounts.profile"))
    return render("accounts/change_password.html", form=form, status=422 if form.is_submitted() else 200)


def _token_scopes() -> list[tuple[str, str]]:
    scopes = [(str(t.id), t.name) for t in service.user_tenants(current_user)]
    if current_user.is_region_admin:
        scopes.insert(0, ("region", _("The region (municipalities)")))
    return scopes


@auth.route("/me/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    form.scope.choices = _token_scopes()
    created = None
    if form.validate_on_submit():
        secret = "dgn_" + new_token()[0]
        tenant_id = None if form.scope.data == "region" else int(form.scope.data)
        expires = datetime.combine(form.expires.data, time(23, 59)) if form.expires.data else None
        access = AccessToken(user_id=current_user.id, tenant_id=tenant_id, name=form.name.data.strip(),
                             token_hash=hash_token(secret), prefix=secret[:10], expires_at=expires)
        db.session.add(access)
        db.session.flush()
        record("token.created", access, tenant_id=tenant_id, name=access.name)
        db.session.commit()
        created = secret
        form = TokenForm(formdata=None)
        form.scope.choices = _token_scopes()
    names = dict(form.scope.choices)
    rows = db.session.scalars(
        select(AccessToken).where(AccessToken.user_id == current_user.id).order_by(AccessToken.created_at.desc())
    ).all()
    return render("accounts/tokens.html", form=form, tokens=rows, created=created, scope_names=names,
                  revoke_form=ConfirmForm(), status=422 if form.errors else 200)


@auth.post("/me/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    ConfirmForm().validate_on_submit() or abort(400)
    access = db.session.get(AccessToken, token_id)
    if access is None or access.user_id != current_user.id:
        abort(404)
    if access.revoked_at is None:
        access.revoked_at = utcnow()
        record("token.revoked", access, tenant_id=access.tenant_id, name=access.name)
        db.session.commit()
    flash(_("The token %(name)s is revoked and no longer works.", name=access.name), "success")
    return redirect(url_for("accounts.tokens"))


# --- members admin (tenant) --------------------------------------------------


def _roles():
    roles = current_app.extensions["dugnad.plugins"].registry.roles.values()
    return sorted(roles, key=lambda r: -r.rank)


def _members_page(invite_form=None, status=200):
    people = db.session.scalars(select(Membership).join(Membership.user).order_by(User.name)).all()
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.accepted_at.is_(None)).order_by(Invitation.created_at.desc())
    ).all()
    return render(
        "accounts/members.html",
        people=people,
        invitations=[i for i in invitations if i.state != "revoked"],
        invite_form=invite_form or InviteForm(_roles()),
        role_forms={m.id: RoleForm(_roles(), prefix=f"m{m.id}", role=m.role) for m in people},
        roles={r.key: r for r in _roles()},
        confirm=ConfirmForm(),
        status=status,
    )


@members.get("/")
@require("members.manage")
def index():
    return _members_page()


@members.post("/invite")
@require("members.manage")
def invite():
    form = InviteForm(_roles())
    if form.validate_on_submit():
        try:
            service.invite(g.tenant, form.email.data, form.role.data, current_user)
        except service.AccountError as error:
            getattr(form, error.field or "email").errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("members.index"))
    db.session.rollback()
    return _members_page(invite_form=form, status=422)


def _membership_or_404(membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        abort(404)
    return membership


@members.post("/<int:membership_id>/role")
@require("members.manage")
def change_role(membership_id: int):
    membership = _membership_or_404(membership_id)
    form = RoleForm(_roles(), prefix=f"m{membership.id}")
    if form.validate_on_submit():
        try:
            service.change_role(membership, form.role.data)
        except service.AccountError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(url_for("members.index"))
        db.session.commit()
        flash(_("%(name)s is now %(role)s.", name=membership.user.name, role=_roles_label(form.role.data)), "success")
    return redirect(url_for("members.index"))


def _roles_label(key: str) -> str:
    role = current_app.extensions["dugnad.plugins"].registry.roles.get(key)
    return str(role.label) if role else key


@members.post("/<int:membership_id>/remove")
@require("members.manage")
def remove(membership_id: int):
    ConfirmForm().validate_on_submit() or abort(400)
    membership = _membership_or_404(membership_id)
    name = membership.user.name
    try:
        service.remove(membership)
    except service.AccountError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("members.index"))
    db.session.commit()
    flash(_("%(name)s no longer has access to %(tenant)s.", name=name, tenant=g.tenant.name), "success")
    return redirect(url_for("members.index"))


def _invitation_or_404(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


@members.post("/invitations/<int:invitation_id>/resend")
@require("members.manage")
def resend_invitation(invitation_id: int):
    ConfirmForm().validate_on_submit() or abort(400)
    invitation = _invitation_or_404(invitation_id)
    try:
        service.resend(g.tenant, invitation, current_user)
    except service.AccountError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("Invitation sent again to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("members.index"))


@members.post("/invitations/<int:invitation_id>/revoke")
@require("members.manage")
def revoke_invitation(invitation_id: int):
    ConfirmForm().validate_on_submit() or abort(400)
    invitation = _invitation_or_404(invitation_id)
    if invitation.state == "pending":
        invitation.revoked_at = utcnow()
        record("member.invitation_revoked", invitation, email=invitation.email)
        db.session.commit()
    flash(_("The invitation to %(email)s is withdrawn.", email=invitation.email), "success")
    return redirect(url_for("members.index"))
