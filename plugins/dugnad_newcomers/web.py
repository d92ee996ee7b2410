"""The service's pages: the staff's (``newcomers``, members only) and the public ones for
newcomers without an account (``newcomer_public``: register, confirm, their own page).

Need to know: the newcomer coordinator (and admins) see every household; a contact
person sees the households they are contact for; nobody else sees any. Objects are
looked up before anything else, so another municipality's ids answer 404; every staff
read is logged; a refused form comes back with status 422, what was typed kept."""

from __future__ import annotations

import json
from functools import wraps

from flask import Blueprint, Response, abort, flash, g, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from dugnad.sdk import (
    ConfirmForm,
    LinkProblem,
    Refusal,
    can,
    db,
    error_page,
    process_tabs,
    render,
    require,
    show_refusal,
    today,
)
from dugnad_newcomers import checklist, establishing, followups, households, links, mail, retention, statistics
from dugnad_newcomers.forms import (
    AgreementForm,
    ConsentTextForm,
    ContactForm,
    CoordinatorRegistrationForm,
    DecisionForm,
    FollowUpForm,
    ItemForm,
    LinkRequestForm,
    MeasureForm,
    MovedForm,
    RegistrationForm,
)
from dugnad_newcomers.models import AGREEMENT_KINDS, ITEM_STATUSES, OUTCOMES, PLANS, REASONS, STATUSES

newcomers = Blueprint("newcomers", __name__, url_prefix="/newcomers")
public = Blueprint("newcomer_public", __name__, url_prefix="/ny-her")

# the public pages' languages: the core's three and Ukrainian and Arabic (right to left)
PUBLIC_LANGUAGES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English", "uk": "Українська", "ar": "العربية"}
LABELS = {"REASONS": REASONS, "STATUSES": STATUSES, "OUTCOMES": OUTCOMES, "PLANS": PLANS,
          "ITEM_STATUSES": ITEM_STATUSES, "AGREEMENT_KINDS": AGREEMENT_KINDS, "PUBLIC_LANGUAGES": PUBLIC_LANGUAGES}


@newcomers.context_processor
@public.context_processor
def _labels():
    return LABELS


# --- need to know ------------------------------------------------------------------------------------


def may_see(household) -> bool:
    return can("newcomers.manage") or (can("newcomers.contact") and household.contact_user_id == current_user.id)


def with_household(view):
    """Look the household up first (404 for another municipality's), then check need to know."""

    @wraps(view)
    def wrapper(household_id: int, **kwargs):
        household = households.get(household_id)
        if household is None:
            abort(404)
        if not may_see(household):
            abort(403)
        return view(household, **kwargs)

    return wrapper


def _user_choices(blank):
    return [("", blank)] + [(str(i), n) for i, n in households.contact_choices()]


# --- the coordinator's pages -----------------------------------------------------------------------------


@newcomers.get("/")
@require("newcomers.contact")
def index():
    filters = households.Filters.from_args(request.args)
    if not can("newcomers.manage"):
        filters.mine = True
    rows, total = households.listing(filters, current_user.id)
    pages = max(1, -(-total // households.PAGE_SIZE))
    # Worked out once, not per row: the links' common part, the date pattern, the status names.
    show_prefix = url_for("newcomers.show", household_id=0).removesuffix("0")
    pager = [(page, url_for("newcomers.index", q=filters.q or None, status=filters.status or None,
                            mine=1 if filters.mine else None, page=page) if page else None)
             for page in households.pager(filters.page, pages)]
    return render("dugnad_newcomers/index.html", rows=rows, total=total, filters=filters, pages=pages, pager=pager,
                  manage=can("newcomers.manage"), show_prefix=show_prefix, medium_date=households.medium_dates(),
                  status_names={key: str(name) for key, name in STATUSES.items()})


@newcomers.get("/widget")
@require("newcomers.contact")
def widget():
    counts = statistics.widget_counts(None if can("newcomers.manage") else current_user.id)
    return render("dugnad_newcomers/widget.html", **counts)


@newcomers.route("/new", methods=["GET", "POST"])
@require("newcomers.manage")
def new():
    form = CoordinatorRegistrationForm()
    options = checklist.askable()
    if form.validate_on_submit():
        wanted = request.form.getlist("help_wanted")
        try:
            household = households.register(form.values(wanted), locale=form.locale.data or "nb", by=current_user)
        except Refusal as error:
            show_refusal(form, error)
            return render("dugnad_newcomers/new.html", form=form, options=options, wanted=wanted,
                          consent=households.current_consent(), status=422)
        db.session.commit()
        flash(_("The household is registered."), "success")
        return redirect(url_for("newcomers.show", household_id=household.id))
    return render("dugnad_newcomers/new.html", form=form, options=options, wanted=request.form.getlist("help_wanted"),
                  consent=households.current_consent(), status=422 if form.is_submitted() else 200)


def _show(household, status=200, **forms):
    households.read(household, "page")
    db.session.commit()
    contact = ContactForm(formdata=None, contact_user_id=str(household.contact_user_id or ""))
    contact.contact_user_id.choices = _user_choices(_("No contact person yet"))
    owners = _user_choices(_("Nobody"))
    items = households.items(household)
    from dugnad_newcomers import handoffs as asks

    panels = {i.id: asks.panel(i) for i in items if i.key == asks.ASKS_FOR_HELP}
    return render("dugnad_newcomers/show.html", household=household, members=households.members(household),
                  items=items, panels=panels, follow_ups=households.follow_ups(household),
                  reads=households.reads(household), contact_form=forms.get("contact_form", contact),
                  owners=owners, moved_form=forms.get("moved_form", MovedForm(formdata=None)),
                  confirm=ConfirmForm(), manage=can("newcomers.manage"), today=today(), status=status,
                  item_errors=forms.get("item_errors", {}))


@newcomers.get("/<int:household_id>")
@with_household
def show(household):
    return _show(household)


@newcomers.post("/<int:household_id>/contact")
@require("newcomers.manage")
@with_household
def contact(household):
    form = ContactForm()
    form.contact_user_id.choices = _user_choices(_("No contact person yet"))
    if not form.validate_on_submit():
        abort(400)
    try:
        households.assign_contact(household, form.contact_user_id.data)
    except Refusal as error:
        show_refusal(form, error)
        return _show(household, status=422, contact_form=form)
    db.session.commit()
    flash(_("The contact person is saved."), "success")
    return redirect(url_for("newcomers.show", household_id=household.id))


@newcomers.post("/<int:household_id>/items/<int:item_id>")
@with_household
def item(household, item_id):
    found = households.get_item(household, item_id)
    if found is None:
        abort(404)
    form = ItemForm()
    if not form.validate_on_submit():
        abort(400)
    data = {"status": form.status.data, "owner_user_id": form.owner_user_id.data, "due_on": form.due_on.data or ""}
    if "note" in request.form:
        data["note"] = form.note.data
    try:
        households.update_item(found, data)
    except Refusal as error:
        db.session.rollback()
        return _show(households.get(household.id), status=422, item_errors={item_id: str(error)})
    db.session.commit()
    flash(_("“%(item)s” is saved.", item=found.title), "success")
    return redirect(url_for("newcomers.show", household_id=household.id) + f"#item-{found.id}")


@newcomers.route("/<int:household_id>/follow-ups/<int:follow_up_id>", methods=["GET", "POST"])
@with_household
def follow_up(household, follow_up_id):
    found = followups.get(household, follow_up_id)
    if found is None:
        abort(404)
    form = FollowUpForm()
    if form.validate_on_submit():
        try:
            followups.record_conversation(household, found, {k: getattr(form, k).data for k in
                                                             ("how_going", "missing", "plans", "outcome", "moved_to")},
                                          current_user)
        except Refusal as error:
            show_refusal(form, error)
            found = followups.get(household, follow_up_id)
            household = households.get(household.id)
        else:
            db.session.commit()
            flash(_("The %(n)s-month follow-up is recorded.", n=found.month), "success")
            return redirect(url_for("newcomers.show", household_id=household.id))
    households.read(household, "follow-up")
    db.session.commit()
    return render("dugnad_newcomers/follow_up.html", household=household, follow_up=found, form=form,
                  status=422 if form.is_submitted() else 200)


@newcomers.post("/<int:household_id>/moved")
@with_household
def moved(household):
    form = MovedForm()
    if not form.validate_on_submit():
        abort(400)
    if household.anonymised_at is not None:
        abort(404)
    households.mark_moved(household, form.moved_to.data)
    db.session.commit()
    flash(_("The household is marked as moved away; it will not be contacted again."), "success")
    return redirect(url_for("newcomers.show", household_id=household.id))


@newcomers.post("/<int:household_id>/delete")
@require("newcomers.manage")
@with_household
def delete(household):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    households.anonymise(household, "coordinator")
    db.session.commit()
    flash(_("The household's information is deleted."), "success")
    return redirect(url_for("newcomers.index"))


@newcomers.get("/<int:household_id>/export.json")
@with_household
def export(household):
    households.read(household, "export")
    db.session.commit()
    return Response(json.dumps(households.export(household), ensure_ascii=False, indent=2),
                    mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=household-{household.id}.json"})


@newcomers.get("/retention")
@require("newcomers.manage")
def retention_report():
    kind = request.args.get("kind") if request.args.get("kind") in ("year", "quarter") else "year"
    rows = retention.report(kind)
    return render("dugnad_newcomers/retention.html", rows=rows, kind=kind, horizons=retention.HORIZONS,
                  migration=statistics.net_migration(), threshold=retention.SHARE_THRESHOLD)


@newcomers.route("/consent", methods=["GET", "POST"])
@require("newcomers.manage")
def consent():
    form = ConsentTextForm()
    if form.validate_on_submit():
        try:
            text = households.new_consent_version(form.body.data)
        except Refusal as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Version %(n)s of the consent text is saved; new registrations agree to it.", n=text.version),
                  "success")
            return redirect(url_for("newcomers.consent"))
    current = households.current_consent()
    db.session.commit()
    if not form.is_submitted():
        form.body.data = current.body
    return render("dugnad_newcomers/consent.html", form=form, current=current,
                  status=422 if form.is_submitted() else 200)


# --- establishing the service --------------------------------------------------------------------------------


def with_process(view):
    @wraps(view)
    def wrapper(process_id: int, **kwargs):
        process = establishing.process_or_none(process_id)
        if process is None:
            abort(404)
        if not can("newcomers.establish"):
            abort(403)
        return view(process, **kwargs)

    return wrapper


def _insight(process, form=None, status=200):
    return render("dugnad_newcomers/insight.html", process=process, tabs=process_tabs(process), form=form or MeasureForm(formdata=None),
                  measures=establishing.measures(process), poll=establishing.plenary_poll(process),
                  figures=statistics.insight(), question_heard=establishing.QUESTION_HEARD,
                  question_act=establishing.QUESTION_ACT, status=status)


@newcomers.route("/processes/<int:process_id>/insight", methods=["GET", "POST"])
@with_process
def insight(process):
    form = MeasureForm()
    if form.validate_on_submit():
        try:
            establishing.add_measure(process, {"group_name": form.group_name.data, "table_host": form.table_host.data,
                                               "text": form.text.data})
        except Refusal as error:
            show_refusal(form, error)
            return _insight(process, form, 422)
        db.session.commit()
        flash(_("The measure is recorded."), "success")
        return redirect(url_for("newcomers.insight", process_id=process.id))
    return _insight(process, form if form.is_submitted() else None, 422 if form.is_submitted() else 200)


@newcomers.post("/processes/<int:process_id>/insight/vote")
@with_process
def plenary_vote(process):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        poll = establishing.start_plenary_vote(process, current_user)
    except Refusal as error:
        show_refusal(None, error)
        return _insight(process, status=error.status)
    db.session.commit()
    flash(_("The plenary vote is made; open it when the room is ready."), "success")
    return redirect(url_for("voting.show", poll_id=poll.id))


def _agreements(process, decision_form=None, agreement_form=None, status=200):
    organisations = establishing.volunteer_organisations()
    return render("dugnad_newcomers/agreements.html", process=process, tabs=process_tabs(process), decisions=establishing.decisions(process),
                  agreements=establishing.agreements(process),
                  decision_form=decision_form or DecisionForm(formdata=None),
                  agreement_form=agreement_form or AgreementForm(organisations, formdata=None), status=status)


@newcomers.route("/processes/<int:process_id>/agreements", methods=["GET", "POST"])
@with_process
def agreements(process):
    if request.method == "GET":
        return _agreements(process)
    organisations = establishing.volunteer_organisations()
    if request.form.get("form") == "decision":
        form = DecisionForm()
        if form.validate_on_submit():
            try:
                establishing.record_decision(process, {k: getattr(form, k).data for k in
                                                       ("decided_on", "case_number", "text", "unanimous")})
            except Refusal as error:
                show_refusal(form, error)
                return _agreements(process, decision_form=form, status=422)
            db.session.commit()
            flash(_("The council decision is recorded."), "success")
            return redirect(url_for("newcomers.agreements", process_id=process.id))
        return _agreements(process, decision_form=form, status=422)
    form = AgreementForm(organisations)
    if form.validate_on_submit():
        try:
            establishing.add_agreement(process, {k: getattr(form, k).data for k in
                                                 ("kind", "participant_id", "party", "what", "owner", "renews_on")})
        except Refusal as error:
            show_refusal(form, error)
            return _agreements(process, agreement_form=form, status=422)
        db.session.commit()
        flash(_("The agreement is recorded."), "success")
        return redirect(url_for("newcomers.agreements", process_id=process.id))
    return _agreements(process, agreement_form=form, status=422)


# --- the public pages ----------------------------------------------------------------------------------------


def public_language() -> str:
    lang = request.values.get("lang")
    if lang in PUBLIC_LANGUAGES:
        return lang
    from flask_babel import get_locale

    current = str(get_locale() or "nb")
    return current if current in PUBLIC_LANGUAGES else "nb"


def in_language(view):
    """Public pages answer in the language chosen (``?lang=``), also Ukrainian and Arabic."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        g.newcomer_lang = public_language()
        with force_locale(g.newcomer_lang):
            return view(*args, **kwargs)

    return wrapper


def _public_error(error):
    """An error on a public page (a deleted household's link, an expired form) in the
    newcomer's language: the core renders it outside the view's ``force_locale``."""
    with force_locale(public_language()):
        return error_page(error)


for _code in (400, 403, 404, 405, 410, 413, 429):  # by code: the core's expired-form handler is a 400 too
    public.register_error_handler(_code, _public_error)


def _register_page(form, wanted, status=200):
    consent = households.current_consent(g.tenant.name)
    if not form.consent_version.data:
        form.consent_version.data = str(consent.version)
    return render("dugnad_newcomers/public/register.html", form=form, consent=consent, options=checklist.askable(),
                  wanted=wanted, lang=g.newcomer_lang, contact=mail.contact_email(g.tenant), status=status)


@public.route("/", methods=["GET", "POST"])
@in_language
def register():
    form = RegistrationForm()
    wanted = request.form.getlist("help_wanted")
    if not form.is_submitted():
        db.session.commit()  # the first consent text, when the municipality has none yet
        return _register_page(form, wanted)
    if form.website.data:
        return redirect(url_for("newcomer_public.thanks", lang=g.newcomer_lang))  # a robot: tell it nothing
    if not form.validate_on_submit():
        return _register_page(form, wanted, 422)
    try:
        version = int(form.consent_version.data or 0) or None
    except ValueError:
        version = None
    try:
        household = households.register(form.values(wanted), locale=g.newcomer_lang, consent_version=version)
    except Refusal as error:
        show_refusal(form, error)
        if error.status == 409:
            owner = households.find_duplicate(households.normalise_email(form.email.data),
                                              households.normalise_phone(form.phone.data))
            if owner is not None and owner.email:
                getattr(form, error.field).errors = [_("You are already registered. We have sent a link to the e-mail "
                                                       "address you registered with, so you can see and change it.")]
                mail.later(mail.send_me_link if owner.email_confirmed_at else mail.send_confirmation, owner.id)
                db.session.commit()
        return _register_page(form, wanted, 422)
    if household.email:
        mail.later(mail.send_confirmation, household.id)
    mail.later(mail.notify_coordinator, household.id)
    db.session.commit()
    return redirect(url_for("newcomer_public.thanks", lang=g.newcomer_lang, email=1 if household.email else None))


@public.get("/takk")
@in_language
def thanks():
    return render("dugnad_newcomers/public/thanks.html", lang=g.newcomer_lang, by_email=bool(request.args.get("email")),
                  contact=mail.contact_email(g.tenant))


def _link_problem(reason: str):
    message = (_("This link has expired. Ask for a new one below.") if reason == "expired"
               else _("This link does not work any more. It may be cut off, replaced by a newer one, or the "
                      "registration is deleted. Ask for a new one below."))
    return render("dugnad_newcomers/public/link_problem.html", message=message, lang=g.newcomer_lang,
                  form=LinkRequestForm(formdata=None), status=410 if reason == "expired" else 404)


@public.route("/bekreft/<token>", methods=["GET", "POST"])
@in_language
def confirm(token):
    try:
        data = links.read_confirm(token)
    except LinkProblem as problem:
        return _link_problem(problem.reason)
    household = households.get(data.get("h"))
    if household is None or household.anonymised_at is not None:
        return _link_problem("invalid")
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            first = households.confirm_email(household, data.get("e"))
        except Refusal:
            db.session.rollback()
            return _link_problem("invalid")
        db.session.commit()
        if first:
            mail.later(mail.send_me_link, household.id)
            db.session.commit()
        return render("dugnad_newcomers/public/confirmed.html", household=household, first=first, lang=g.newcomer_lang,
                      me_token=links.me_token(household))
    return render("dugnad_newcomers/public/confirm.html", household=household, form=form, lang=g.newcomer_lang,
                  already=household.email_confirmed_at is not None and household.email == data.get("e"))


def me_required(view):
    @wraps(view)
    @in_language
    def wrapper(token: str, **kwargs):
        try:
            data = links.read_me(token)
        except LinkProblem as problem:
            return _link_problem(problem.reason)
        household = households.get(data.get("h"))
        if household is None or household.anonymised_at is not None or household.link_version != data.get("n"):
            return _link_problem("invalid")
        return view(household, token, **kwargs)

    return wrapper


def _me_form(household) -> RegistrationForm:
    members = households.members(household)
    form = RegistrationForm(formdata=None, name=household.name, phone=household.phone, email=household.email,
                            adults=str(sum(1 for m in members if m.kind == "adult")),
                            children=", ".join(str(m.age) for m in members if m.kind == "child"),
                            moved_from=household.moved_from, arrival_date=household.arrival_date.isoformat(),
                            reason=household.reason, message=household.message)
    return form


def _me_page(household, token, form, wanted, status=200):
    return render("dugnad_newcomers/public/me.html", household=household, token=token, form=form, wanted=wanted,
                  options=checklist.askable(), lang=g.newcomer_lang, confirm=ConfirmForm(), status=status)


@public.route("/meg/<token>", methods=["GET", "POST"])
@me_required
def me(household, token):
    if request.method == "GET":
        return _me_page(household, token, _me_form(household), household.help_wanted or [])
    form = RegistrationForm()
    wanted = request.form.getlist("help_wanted")
    if not form.validate_on_submit():
        return _me_page(household, token, form, wanted, 422)
    try:
        households.correct(household, form.values(wanted))
    except Refusal as error:
        show_refusal(form, error)
        return _me_page(households.get(household.id), token, form, wanted, 422)
    db.session.commit()
    flash(_("Your changes are saved."), "success")
    return redirect(url_for("newcomer_public.me", token=token, lang=g.newcomer_lang))


@public.get("/meg/<token>/data.json")
@me_required
def me_export(household, token):
    return Response(json.dumps(households.export(household), ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=newcomer-service.json"})


@public.post("/meg/<token>/slett")
@me_required
def me_delete(household, token):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    households.anonymise(household, "the household asked")
    db.session.commit()
    return render("dugnad_newcomers/public/deleted.html", lang=g.newcomer_lang)


@public.route("/lenke", methods=["GET", "POST"])
@in_language
def new_link():
    form = LinkRequestForm()
    if form.validate_on_submit():
        email = households.normalise_email(form.email.data)
        found = households.find_duplicate(email, None) if email else None
        if found is not None:
            mail.later(mail.send_me_link if found.email_confirmed_at else mail.send_confirmation, found.id)
            db.session.commit()
        # the same answer whether or not the address is registered
        return render("dugnad_newcomers/public/link_sent.html", lang=g.newcomer_lang)
    return render("dugnad_newcomers/public/link_request.html", form=form, lang=g.newcomer_lang,
                  status=422 if form.is_submitted() else 200)
