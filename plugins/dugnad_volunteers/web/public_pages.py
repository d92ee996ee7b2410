"""Pages for volunteers, without an account: registering (honeypot, throttling),
confirming the e-mail address, a guardian's consent, their own page (see, correct,
download, pause, delete, consent again, help neighbours), answering a request and
signing up for an event. Links are signed; replaying one shows what was already done."""

from __future__ import annotations

import json
from functools import wraps

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from dugnad.sdk import db, LinkProblem, render, show_refusal
from dugnad_volunteers import bank, configuration, links, mail, needs, registration, retention, vetting, warmth
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.forms import LinkRequestForm, PauseForm, ProfileForm, RegistrationForm
from dugnad_volunteers.models import Volunteer
from dugnad_volunteers.web import public


def link_problem(message: str, status: int = 400):
    return render("dugnad_volunteers/public/link_problem.html", message=message, status=status)


def problem_message(reason: str) -> str:
    return (_("This link has expired. Ask for a new one below.") if reason == "expired"
            else _("This link does not work. It may be cut off, or replaced by a newer one. Ask for a new one below."))


def _volunteer(volunteer_id) -> Volunteer | None:
    volunteer = bank.get(volunteer_id) if isinstance(volunteer_id, int) else None
    return None if volunteer is None or volunteer.anonymised_at is not None else volunteer


def with_link(purpose: str):
    """The view gets the link's data; a bad or expired link gets a page saying so."""

    def decorator(view):
        @wraps(view)
        def wrapper(token: str, **kwargs):
            try:
                data = links.read(purpose, token)
            except LinkProblem as problem:
                return link_problem(problem_message(problem.reason), status=410 if problem.reason == "expired" else 404)
            return view(token, data, **kwargs)

        return wrapper

    return decorator


def me_required(view):
    """The volunteer's own pages: the link must be their newest (``link_version``)."""

    @wraps(view)
    @with_link("me")
    def wrapper(token: str, data: dict, **kwargs):
        volunteer = _volunteer(data.get("v"))
        if volunteer is None or volunteer.link_version != data.get("n"):
            return link_problem(_("This link no longer works: a newer one has been sent, or the registration is deleted. "
                                  "Ask for a new one below."), status=404)
        g.volunteer_token = token
        return view(volunteer, token, **kwargs)

    return wrapper


# --- registering ------------------------------------------------------------------------------------


def _registration_page(form, status=200):
    version, body = configuration.consent_for_form(g.tenant.name)
    if not form.consent_version.data:
        form.consent_version.data = str(version)
    return render("dugnad_volunteers/public/register.html", form=form, consent_body=body, consent_version=version,
                  roles=configuration.roles(), areas=configuration.areas(), contact=mail.contact_email(g.tenant),
                  status=status)


@public.route("/", methods=["GET", "POST"])
def register():
    form = RegistrationForm(configuration.roles(), configuration.areas())
    if not form.is_submitted():
        return _registration_page(form)
    if form.website.data:
        # the honeypot: only a robot fills in a field nobody can see; tell it nothing
        return redirect(url_for("volunteer_public.thanks"))
    address = request.remote_addr
    if registration.throttled(address):
        flash(_("Many registrations have come from this place in a short time. Wait an hour and try again, or contact "
                "the volunteer coordinator."), "danger")
        return _registration_page(form, status=429)
    registration.note_attempt(address)
    if not form.validate_on_submit():
        return _registration_page(form, status=422)
    try:
        registration.register(form.values(), locale=str(get_locale() or "nb"), municipality=g.tenant.name)
    except BankError as error:
        show_refusal(form, error)
        owner = registration.email_owner(registration.normalise_email(form.email.data)) if error.field == "email" else None
        if owner is not None and owner.anonymised_at is None:
            form.email.errors = [_("This e-mail address is already registered. We have sent a link to it, so you can "
                                   "see and change your registration.")]
            mail.later(mail.send_confirmation if owner.email_confirmed_at is None else mail.send_me_link,
                       *((owner.id,) if owner.email_confirmed_at is None else (owner.id, "duplicate")))
            db.session.commit()
        return _registration_page(form, status=422)
    db.session.commit()
    return redirect(url_for("volunteer_public.thanks"))


@public.get("/takk")
def thanks():
    return render("dugnad_volunteers/public/thanks.html", contact=mail.contact_email(g.tenant))


@public.route("/bekreft/<token>", methods=["GET", "POST"])
@with_link("confirm")
def confirm(token: str, data: dict):
    volunteer = _volunteer(data.get("v"))
    if volunteer is None:
        return link_problem(_("This registration no longer exists."), status=404)
    if request.method == "GET":
        state = "already" if volunteer.email_confirmed_at and volunteer.email == data.get("e") else \
            "changed" if volunteer.email != data.get("e") else "ask"
        return render("dugnad_volunteers/public/confirm.html", volunteer=volunteer, state=state, token=token)
    outcome = registration.confirm_email(volunteer, data.get("e"))
    db.session.commit()
    return render("dugnad_volunteers/public/confirm.html", volunteer=volunteer, state=outcome, token=token,
                  me_token=links.me_token(volunteer), guardian=registration.needs_guardian(volunteer))


@public.route("/verge/<token>", methods=["GET", "POST"])
@with_link("guardian")
def guardian(token: str, data: dict):
    volunteer = _volunteer(data.get("v"))
    if volunteer is None:
        return link_problem(_("This registration no longer exists."), status=404)
    state = "ask"
    if volunteer.guardian_email != data.get("g"):
        state = "changed"
    elif volunteer.guardian_confirmed_at is not None:
        state = "already"
    if request.method == "POST" and state == "ask":
        state = registration.confirm_guardian(volunteer, data.get("g"))
        db.session.commit()
    return render("dugnad_volunteers/public/guardian.html", volunteer=volunteer, state=state, token=token)


@public.route("/lenke", methods=["GET", "POST"])
def new_link():
    form = LinkRequestForm()
    if form.validate_on_submit():
        address = request.remote_addr
        if registration.throttled(address):
            flash(_("Many requests have come from this place in a short time. Wait an hour and try again."), "danger")
            return render("dugnad_volunteers/public/new_link.html", form=form, status=429)
        registration.note_attempt(address)
        owner = registration.email_owner(registration.normalise_email(form.email.data))
        if owner is not None and owner.anonymised_at is None:
            if owner.email_confirmed_at is None:
                mail.later(mail.send_confirmation, owner.id)
            else:
                mail.later(mail.send_me_link, owner.id, "asked")
            db.session.commit()
        # the same answer either way, so the page does not tell who is registered
        return render("dugnad_volunteers/public/new_link.html", form=form, sent=True)
    return render("dugnad_volunteers/public/new_link.html", form=form, status=422 if form.is_submitted() else 200)


# --- the volunteer's own page ----------------------------------------------------------------------------


@public.get("/meg/<token>")
@me_required
def me(volunteer: Volunteer, token: str):
    registration.touch(volunteer)
    db.session.commit()
    current = configuration.current_consent()
    return render(
        "dugnad_volunteers/public/me.html", volunteer=volunteer, token=token, profile=registration.profile_values(volunteer),
        role_names={r.id: r.name for r in configuration.roles(active_only=False)},
        area_names={a.id: a.name for a in configuration.areas(active_only=False)},
        slots=registration.slots_of(volunteer.availability), slot_label=registration.slot_label,
        qualifications=bank.qualifications(volunteer), qualification_valid=bank.qualification_valid,
        standing=vetting.standing(volunteer), tasks=needs.upcoming_for(volunteer),
        answer_token=lambda a: links.make("answer", a=a.id, v=a.volunteer_id),
        events=warmth.upcoming_invitations(volunteer), event_token=lambda i: links.make("event", i=i.id, v=i.volunteer_id),
        new_consent=current if current is not None and current.id != volunteer.consent_text_id else None,
        paused=volunteer.is_paused(registration.today()), pause_form=PauseForm(formdata=None),
        needs_guardian=registration.needs_guardian(volunteer), contact=mail.contact_email(g.tenant))


@public.route("/meg/<token>/endre", methods=["GET", "POST"])
@me_required
def me_edit(volunteer: Volunteer, token: str):
    roles, areas = configuration.roles(), configuration.areas()
    if request.method == "GET":
        values = registration.profile_values(volunteer)
        form = ProfileForm(roles, areas, data={k: v for k, v in values.items() if k not in ("languages", "availability")})
        form.availability.data = registration.slots_of(volunteer.availability)
        form.fill_languages(values["languages"])
    else:
        form = ProfileForm(roles, areas)
    status = 200
    if form.validate_on_submit():
        try:
            changed = registration.update_profile(volunteer, form.values(), by_volunteer=True)
        except BankError as error:
            show_refusal(form, error)
            status = 422
        else:
            db.session.commit()
            if "email" in changed:
                flash(_("Saved. We have sent a link to your new e-mail address: click it to confirm the address."), "success")
                return redirect(url_for("volunteer_public.thanks"))
            flash(_("Saved. Thank you!") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("volunteer_public.me", token=links.me_token(volunteer)))
    elif form.is_submitted():
        status = 422
    return render("dugnad_volunteers/public/me_edit.html", volunteer=volunteer, form=form, token=token, status=status)


@public.get("/meg/<token>/eksport")
@me_required
def me_export(volunteer: Volunteer, token: str):
    registration.touch(volunteer)
    data = retention.export(volunteer)
    db.session.commit()
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="my-volunteer-data.json"'})


def _back_to_me(volunteer: Volunteer, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("volunteer_public.me", token=links.me_token(volunteer)))


def _checked_post() -> None:
    from dugnad.sdk import ConfirmForm

    ConfirmForm().validate_on_submit() or abort(400)


@public.post("/meg/<token>/pause")
@me_required
def me_pause(volunteer: Volunteer, token: str):
    form = PauseForm()
    if form.validate_on_submit():
        try:
            registration.pause(volunteer, form.until.data, by_volunteer=True)
        except BankError as error:
            show_refusal(form, error)
        else:
            return _back_to_me(volunteer, _("You are on a break. We will not ask you for tasks until it ends."))
    flash(form.until.errors[0] if form.until.errors else _("Check the date."), "danger")
    return redirect(url_for("volunteer_public.me", token=token) + "#pause-heading")


@public.post("/meg/<token>/fortsett")
@me_required
def me_resume(volunteer: Volunteer, token: str):
    _checked_post()
    registration.resume(volunteer, by_volunteer=True)
    return _back_to_me(volunteer, _("Welcome back! You can be asked for tasks again."))


@public.post("/meg/<token>/region")
@me_required
def me_regional(volunteer: Volunteer, token: str):
    _checked_post()
    on = request.form.get("regional") == "1"
    registration.set_regional(volunteer, on)
    return _back_to_me(volunteer, _("Coordinators in neighbouring municipalities can now find you.") if on
                       else _("You are no longer in the regional pool."))


@public.post("/meg/<token>/samtykke")
@me_required
def me_consent(volunteer: Volunteer, token: str):
    _checked_post()
    try:
        registration.consent_again(volunteer, int(request.form.get("version") or 0), g.tenant.name)
    except BankError as error:
        show_refusal(None, error)
        return redirect(url_for("volunteer_public.me", token=token))
    return _back_to_me(volunteer, _("Thank you. Your consent to the new text is saved."))


@public.route("/meg/<token>/slett", methods=["GET", "POST"])
@me_required
def me_delete(volunteer: Volunteer, token: str):
    if request.method == "POST":
        _checked_post()
        retention.anonymise(volunteer, "deleted by the volunteer")
        db.session.commit()
        return render("dugnad_volunteers/public/deleted.html")
    return render("dugnad_volunteers/public/delete.html", volunteer=volunteer, token=token)


@public.get("/meg/<token>/formal/<int:role_id>")
@me_required
def me_purpose(volunteer: Volunteer, token: str, role_id: int):
    standing = {s.role.id: s for s in vetting.standing(volunteer)}
    if volunteer.status != "approved" or role_id not in standing or not standing[role_id].wanted:
        abort(404)
    role = standing[role_id].role
    registration.touch(volunteer)
    db.session.commit()
    return render("dugnad_volunteers/purpose.html", volunteer=volunteer, role=role, legal_basis=vetting.LEGAL_BASIS,
                  issuer=None, back=url_for("volunteer_public.me", token=token), today=registration.today())


# --- answering a request, signing up for an event ----------------------------------------------------------


def _posted_yes_or_no(name: str) -> bool | None:
    """The volunteer's answer in form field ``name`` (None when only looking); 400 for anything else."""
    if request.method != "POST":
        return None
    _checked_post()
    choice = request.form.get(name)
    if choice not in ("yes", "no"):
        abort(400)
    return choice == "yes"


ANSWER_MESSAGES = {
    "accepted": lambda: _("Thank you! You have said yes. You get a reminder before it starts."),
    "declined": lambda: _("Thank you for answering. We will ask you another time."),
    "withdrawn": lambda: _("You have cancelled your yes. The coordinator is told, so someone else can be asked."),
    "already_accepted": lambda: _("You have already said yes to this. Nothing is changed."),
    "already_declined": lambda: _("You have already said no to this. Nothing is changed."),
    "filled": lambda: _("Thank you! Someone else has already said yes, so we do not need you this time."),
    "cancelled": lambda: _("This need was cancelled. Thank you anyway!"),
    "past": lambda: _("This has already started or is over, so it can no longer be answered."),
    "closed": lambda: _("This request is closed and can no longer be answered."),
}


@public.route("/svar/<token>", methods=["GET", "POST"])
@with_link("answer")
def answer(token: str, data: dict):
    assignment = needs.get_assignment(data.get("a")) if isinstance(data.get("a"), int) else None
    volunteer = _volunteer(data.get("v"))
    if assignment is None or volunteer is None or assignment.volunteer_id != volunteer.id:
        return link_problem(_("This request no longer exists."), status=404)
    need = needs.get(assignment.need_id)
    outcome = None
    yes = _posted_yes_or_no("answer")
    if yes is not None:
        outcome = needs.answer(assignment, yes)
        db.session.commit()
    return render("dugnad_volunteers/public/answer.html", assignment=assignment, need=need, role=needs.role_of(need),
                  volunteer=volunteer, token=token, outcome=outcome,
                  message=ANSWER_MESSAGES[outcome]() if outcome else None, me_token=links.me_token(volunteer),
                  past=need.starts_at <= needs.local_now(), contact=mail.contact_email(g.tenant))


EVENT_MESSAGES = {
    "going": lambda: _("Welcome! You are signed up."),
    "not_going": lambda: _("Thank you for answering. Maybe next time!"),
    "already": lambda: _("You have already answered this. Nothing is changed."),
    "full": lambda: _("Sorry, the event is full."),
    "past": lambda: _("The event has already started."),
    "cancelled": lambda: _("The event is cancelled."),
}


@public.route("/arrangement/<token>", methods=["GET", "POST"])
@with_link("event")
def event(token: str, data: dict):
    invitation = warmth.get_invitation(data.get("i")) if isinstance(data.get("i"), int) else None
    volunteer = _volunteer(data.get("v"))
    if invitation is None or volunteer is None or invitation.volunteer_id != volunteer.id:
        return link_problem(_("This invitation no longer exists."), status=404)
    event = warmth.get_event(invitation.event_id)
    outcome = None
    going = _posted_yes_or_no("going")
    if going is not None:
        outcome = warmth.sign_up(invitation, going)
        db.session.commit()
    return render("dugnad_volunteers/public/event.html", invitation=invitation, event=event, volunteer=volunteer,
                  token=token, outcome=outcome, message=EVENT_MESSAGES[outcome]() if outcome else None,
                  counts=warmth.counts(event), me_token=links.me_token(volunteer),
                  past=event.starts_at <= needs.local_now())
