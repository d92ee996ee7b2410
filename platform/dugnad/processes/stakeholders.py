"""Who takes part in a process, and its stakeholder analysis (*interessentanalyse*,
seed 003 figure 5) with the invitation list it leads to.

Pages: ``stakeholders.people`` and ``stakeholders.analysis`` (both take ``process_id``).
Every object is looked up in the municipality in context before anything else, so
another municipality's ids answer 404. Rows of the analysis are edited in place with
htmx, and on a page of their own without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from dugnad.accounts.forms import ConfirmForm
from dugnad import spreadsheets
from dugnad.accounts.permissions import can, require
from dugnad.audit import record
from dugnad.extensions import db, htmx
from dugnad.participants.forms import optional_int
from dugnad.participants.models import CATEGORIES, Participant
from dugnad.processes.models import AFFECTED, EFFECTS, PROCESS_ROLES, STAKEHOLDER_GROUPS, Process, ProcessParticipant, StakeholderEntry
from dugnad.processes.views import process_tabs
from dugnad.web.templating import render

stakeholders = Blueprint("stakeholders", __name__, url_prefix="/processes")

STEPS = (
    (_l("Identify"), _l("Who is interested in, or affected by, the work?")),
    (_l("Group"), _l("Who is a primary stakeholder (affected much and directly), and who is secondary (affected indirectly or less)?")),
    (_l("Clarify roles"), _l("What role does each stakeholder have in the project?")),
    (_l("Effects"), _l("What effects will the project have for each stakeholder?")),
    (_l("Conclude"), _l("How does the analysis change how the project goes on?")),
)


@stakeholders.context_processor
def _labels():
    return {"CATEGORIES": CATEGORIES, "PROCESS_ROLES": PROCESS_ROLES, "STAKEHOLDER_GROUPS": STAKEHOLDER_GROUPS,
            "EFFECTS": EFFECTS, "AFFECTED": AFFECTED, "STEPS": STEPS}


# --- forms ----------------------------------------------------------------------------------


def _participant_choices(exclude: set[int] = frozenset(), include_id: int | None = None) -> list[tuple[int, str]]:
    query = select(Participant.id, Participant.name, Participant.category).order_by(func.lower(Participant.name), Participant.id)
    rows = db.session.execute(query.where(
        Participant.archived_at.is_(None) | (Participant.id == (include_id or 0))
    )).all()
    return [(pid, f"{name} ({CATEGORIES.get(category, category)})") for pid, name, category in rows if pid not in exclude]


class AddPersonForm(FlaskForm):
    participant_id = SelectField(_l("Participant"), coerce=optional_int, validate_choice=False,
                                 validators=[DataRequired(message=_l("Choose someone from the register."))])
    role = SelectField(_l("Role in the process"), choices=[], validators=[DataRequired()])

    def __init__(self, choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant_id.choices = [(None, _l("Choose…"))] + choices
        self.role.choices = list(PROCESS_ROLES.items())

    def validate_participant_id(self, field):
        if field.data not in {value for value, _label in field.choices if value is not None}:
            raise ValidationError(_l("Choose someone from this municipality's register."))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[], validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = list(PROCESS_ROLES.items())


class StakeholderForm(FlaskForm):
    participant_id = SelectField(_l("From the register"), coerce=optional_int, validate_choice=False,
                                 description=_l("Choose someone from the register, or write a name and a category below."))
    name = StringField(_l("Stakeholder"), validators=[Length(max=200)],
                       description=_l("A group, an organisation or a person, e.g. “the refugees who came this year”."))
    category = SelectField(_l("Stakeholder category"), choices=[], validate_choice=False)
    grouping = SelectField(_l("Primary or secondary"), choices=[], validators=[DataRequired()],
                           description=_l("Primary: affected much and directly. Secondary: affected indirectly or less."))

    def __init__(self, choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant_id.choices = [(None, _l("Not in the register"))] + choices
        self.category.choices = [("", _l("Choose…"))] + list(CATEGORIES.items())
        self.grouping.choices = list(STAKEHOLDER_GROUPS.items())

    def validate_participant_id(self, field):
        if field.data is not None and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose someone from this municipality's register."))

    def validate_name(self, field):
        if self.participant_id.data is None and not (field.data or "").strip():
            raise ValidationError(_l("Write who the stakeholder is, or choose someone from the register."))

    def validate_category(self, field):
        if (self.participant_id.data is None or field.data) and field.data not in CATEGORIES:
            raise ValidationError(_l("Choose the stakeholder category."))


class EntryForm(StakeholderForm):
    role = TextAreaField(_l("Role in the project"), validators=[Optional(), Length(max=2000)])
    need = TextAreaField(_l("Primary need"), validators=[Optional(), Length(max=2000)],
                         description=_l("What does the stakeholder need most, in this theme?"))
    benefits = TextAreaField(_l("Biggest benefits"), validators=[Optional(), Length(max=2000)])
    costs = TextAreaField(_l("Biggest costs or drawbacks"), validators=[Optional(), Length(max=2000)])
    overall_effect = SelectField(_l("Overall effect"), choices=[], validators=[Optional()])
    affected = SelectField(_l("How much the result goal affects them"), choices=[], validators=[Optional()])

    def __init__(self, choices, *args, **kwargs):
        super().__init__(choices, *args, **kwargs)
        self.overall_effect.choices = [("", _l("Not decided"))] + list(EFFECTS.items())
        self.affected.choices = [("", _l("Not decided"))] + list(AFFECTED.items())


class ConclusionForm(FlaskForm):
    stakeholder_conclusion = TextAreaField(_l("How the analysis changes the project"), validators=[Optional(), Length(max=10000)],
                                           description=_l("For example: who must be invited, what must be explained, what to change."))


# --- lookups --------------------------------------------------------------------------------


def _process_or_404(process_id: int) -> Process:
    return db.session.scalar(select(Process).where(Process.id == process_id)) or abort(404)


def _member_or_404(process: Process, process_participant_id: int) -> ProcessParticipant:
    return db.session.scalar(select(ProcessParticipant).where(
        ProcessParticipant.id == process_participant_id, ProcessParticipant.process_id == process.id)) or abort(404)


def _entry_or_404(process: Process, stakeholder_id: int) -> StakeholderEntry:
    return db.session.scalar(select(StakeholderEntry).where(
        StakeholderEntry.id == stakeholder_id, StakeholderEntry.process_id == process.id)) or abort(404)


def _active_participant(participant_id: int | None) -> Participant | None:
    if participant_id is None:
        return None
    return db.session.scalar(select(Participant).where(Participant.id == participant_id))


# --- people ---------------------------------------------------------------------------------


def _members(process: Process) -> list[tuple[ProcessParticipant, Participant]]:
    return db.session.execute(
        select(ProcessParticipant, Participant)
        .join(Participant, (Participant.id == ProcessParticipant.participant_id) & (Participant.tenant_id == ProcessParticipant.tenant_id))
        .where(ProcessParticipant.process_id == process.id)
        .order_by(ProcessParticipant.role, func.lower(Participant.name))
    ).all()


def _people_page(process: Process, form: AddPersonForm | None = None, status: int = 200):
    members = _members(process)
    order = list(PROCESS_ROLES)
    members = sorted(members, key=lambda m: (order.index(m[0].role) if m[0].role in order else 99, m[1].name.lower()))
    taken = {pp.participant_id for pp, _p in members}
    return render(
        "processes/people.html", process=process, tabs=process_tabs(process), active="stakeholders.people", members=members,
        form=form or AddPersonForm(_participant_choices(exclude=taken)),
        role_forms={pp.id: RoleForm(prefix=f"r{pp.id}", role=pp.role) for pp, _p in members},
        manage=can("processes.manage"), status=status,
    )


@stakeholders.get("/<int:process_id>/people")
@require("participants.view")
def people(process_id: int):
    return _people_page(_process_or_404(process_id))


@stakeholders.post("/<int:process_id>/people")
@require("processes.manage")
def add_person(process_id: int):
    process = _process_or_404(process_id)
    taken = set(db.session.scalars(select(ProcessParticipant.participant_id).where(ProcessParticipant.process_id == process.id)))
    form = AddPersonForm(_participant_choices(exclude=taken))
    if form.validate_on_submit():
        participant = _active_participant(form.participant_id.data)
        if participant is None:  # gone since the page was shown
            abort(404)
        link = ProcessParticipant(process_id=process.id, participant_id=participant.id, role=form.role.data)
        try:
            with db.session.begin_nested():
                db.session.add(link)
                db.session.flush()
        except IntegrityError:
            form.participant_id.errors.append(_("%(name)s already takes part.", name=participant.name))
        else:
            record("process.participant_added", process, participant_id=participant.id, role=link.role)
            db.session.commit()
            flash(_("%(name)s takes part as %(role)s.", name=participant.name, role=PROCESS_ROLES[link.role]), "success")
            return redirect(url_for("stakeholders.people", process_id=process.id))
    db.session.rollback()
    return _people_page(process, form=form, status=422)


@stakeholders.post("/<int:process_id>/people/<int:process_participant_id>/role")
@require("processes.manage")
def change_role(process_id: int, process_participant_id: int):
    process = _process_or_404(process_id)
    link = _member_or_404(process, process_participant_id)
    form = RoleForm(prefix=f"r{link.id}")
    if form.validate_on_submit() and form.role.data != link.role:
        link.role = form.role.data
        record("process.participant_role_changed", process, participant_id=link.participant_id, role=link.role)
        db.session.commit()
        flash(_("The role is changed to %(role)s.", role=PROCESS_ROLES[link.role]), "success")
    elif form.is_submitted() and form.errors:
        flash(_("Choose one of the roles."), "danger")
    return redirect(url_for("stakeholders.people", process_id=process.id))


@stakeholders.post("/<int:process_id>/people/<int:process_participant_id>/remove")
@require("processes.manage")
def remove_person(process_id: int, process_participant_id: int):
    process = _process_or_404(process_id)
    link = _member_or_404(process, process_participant_id)
    ConfirmForm().validate_on_submit() or abort(400)
    record("process.participant_removed", process, participant_id=link.participant_id)
    db.session.delete(link)
    db.session.commit()
    flash(_("Removed from the process. They are still in the register."), "success")
    return redirect(url_for("stakeholders.people", process_id=process.id))


# --- the analysis ---------------------------------------------------------------------------


@dataclass
class Invitee:
    participant: Participant
    reasons: list[str] = field(default_factory=list)


@dataclass
class InvitationList:
    invitees: list[Invitee]
    missing: list[str]  # category keys with no one to invite
    named_only: dict[str, list[str]]  # category -> stakeholders named in the analysis but not in the register

    @property
    def missing_labels(self) -> list[str]:
        return [str(CATEGORIES[key]) for key in self.missing]


def invitation_list(process: Process, entries: list[StakeholderEntry] | None = None) -> InvitationList:
    """Whom to invite: the participants linked in the analysis and those taking part, and
    which stakeholder categories have no one yet."""
    if entries is None:
        entries = _entries(process)
    by_id: dict[int, Invitee] = {}
    linked = db.session.execute(
        select(StakeholderEntry, Participant)
        .join(Participant, (Participant.id == StakeholderEntry.participant_id) & (Participant.tenant_id == StakeholderEntry.tenant_id))
        .where(StakeholderEntry.process_id == process.id, Participant.archived_at.is_(None))
    ).all()
    for entry, participant in linked:
        invitee = by_id.setdefault(participant.id, Invitee(participant))
        invitee.reasons.append(_("%(group)s stakeholder", group=STAKEHOLDER_GROUPS.get(entry.grouping, entry.grouping)))
    for link, participant in _members(process):
        if participant.archived_at is not None:
            continue
        invitee = by_id.setdefault(participant.id, Invitee(participant))
        invitee.reasons.append(str(PROCESS_ROLES.get(link.role, link.role)))
    invitees = sorted(by_id.values(), key=lambda i: (list(CATEGORIES).index(i.participant.category)
                                                     if i.participant.category in CATEGORIES else 99, i.participant.name.lower()))
    covered = {i.participant.category for i in invitees}
    missing = [key for key in CATEGORIES if key not in covered]
    named_only: dict[str, list[str]] = {}
    for entry in entries:
        if entry.participant_id is None and entry.category in missing:
            named_only.setdefault(entry.category, []).append(entry.name)
    return InvitationList(invitees, missing, named_only)


def _entries(process: Process) -> list[StakeholderEntry]:
    return list(db.session.scalars(
        select(StakeholderEntry).where(StakeholderEntry.process_id == process.id)
        .order_by(StakeholderEntry.position, StakeholderEntry.id)
    ))


def _analysis_page(process: Process, add_form=None, conclusion_form=None, status: int = 200):
    entries = _entries(process)
    return render(
        "processes/stakeholders.html", process=process, tabs=process_tabs(process), active="stakeholders.analysis",
        entries=entries, groups={key: [e for e in entries if e.grouping == key] for key in STAKEHOLDER_GROUPS},
        add_form=add_form or StakeholderForm(_participant_choices(), prefix="add"),
        conclusion_form=conclusion_form or ConclusionForm(obj=process),
        invitations=invitation_list(process, entries), manage=can("processes.manage"), status=status,
    )


@stakeholders.get("/<int:process_id>/stakeholders")
@require("participants.view")
def analysis(process_id: int):
    return _analysis_page(_process_or_404(process_id))


def _fill(entry: StakeholderEntry, form: StakeholderForm) -> None:
    participant = _active_participant(form.participant_id.data)
    if form.participant_id.data is not None and participant is None:
        abort(404)
    entry.participant_id = participant.id if participant else None
    entry.name = (form.name.data or "").strip() or (participant.name if participant else "")
    entry.category = form.category.data if form.category.data in CATEGORIES else (participant.category if participant else "")
    entry.grouping = form.grouping.data
    if isinstance(form, EntryForm):
        for name in ("role", "need", "benefits", "costs"):
            setattr(entry, name, (getattr(form, name).data or "").strip() or None)
        entry.overall_effect = form.overall_effect.data or None
        entry.affected = form.affected.data or None


@stakeholders.post("/<int:process_id>/stakeholders")
@require("processes.manage")
def add_stakeholder(process_id: int):
    process = _process_or_404(process_id)
    form = StakeholderForm(_participant_choices(), prefix="add")
    if form.validate_on_submit():
        position = db.session.scalar(select(func.max(StakeholderEntry.position)).where(StakeholderEntry.process_id == process.id))
        entry = StakeholderEntry(process_id=process.id, position=(position or 0) + 1)
        _fill(entry, form)
        db.session.add(entry)
        db.session.flush()
        record("process.stakeholder_added", process, stakeholder_id=entry.id)
        db.session.commit()
        flash(_("%(name)s is added to the analysis. Now fill in their role and the effects.", name=entry.name), "success")
        return redirect(url_for("stakeholders.analysis", process_id=process.id) + f"#stakeholder-{entry.id}")
    db.session.rollback()
    return _analysis_page(process, add_form=form, status=422)


def _entry_form(entry: StakeholderEntry, formdata=None) -> EntryForm:
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = EntryForm(_participant_choices(include_id=entry.participant_id), obj=entry, prefix=f"s{entry.id}", **kwargs)
    return form


def _row(process, entry, form=None, status=200):
    """One row of the table, for htmx: shown, or as a form."""
    body = render_block("processes/stakeholders_row.html", "row", process=process, entry=entry, form=form,
                        manage=can("processes.manage"), CATEGORIES=CATEGORIES, STAKEHOLDER_GROUPS=STAKEHOLDER_GROUPS,
                        EFFECTS=EFFECTS, AFFECTED=AFFECTED)
    response = Response(body, status=status)
    response.headers["Vary"] = "HX-Request"
    return response


@stakeholders.get("/<int:process_id>/stakeholders/<int:stakeholder_id>")
@require("participants.view")
def stakeholder_row(process_id: int, stakeholder_id: int):
    process = _process_or_404(process_id)
    entry = _entry_or_404(process, stakeholder_id)
    if htmx:
        return _row(process, entry)
    return redirect(url_for("stakeholders.analysis", process_id=process.id) + f"#stakeholder-{entry.id}")


@stakeholders.route("/<int:process_id>/stakeholders/<int:stakeholder_id>/edit", methods=["GET", "POST"])
@require("processes.manage")
def edit_stakeholder(process_id: int, stakeholder_id: int):
    process = _process_or_404(process_id)
    entry = _entry_or_404(process, stakeholder_id)
    form = _entry_form(entry)
    if request.method == "GET" and entry.participant_id:
        form.participant_id.data = entry.participant_id
    if form.validate_on_submit():
        _fill(entry, form)
        record("process.stakeholder_changed", process, stakeholder_id=entry.id)
        db.session.commit()
        if htmx:
            return _row(process, entry)
        flash(_("Saved."), "success")
        return redirect(url_for("stakeholders.analysis", process_id=process.id) + f"#stakeholder-{entry.id}")
    status = 422 if form.is_submitted() else 200
    if htmx:
        return _row(process, entry, form=form, status=status)
    return render("processes/stakeholders_edit.html", process=process, entry=entry, form=form, status=status)


@stakeholders.post("/<int:process_id>/stakeholders/<int:stakeholder_id>/remove")
@require("processes.manage")
def remove_stakeholder(process_id: int, stakeholder_id: int):
    process = _process_or_404(process_id)
    entry = _entry_or_404(process, stakeholder_id)
    ConfirmForm().validate_on_submit() or abort(400)
    record("process.stakeholder_removed", process, stakeholder_id=entry.id)
    db.session.delete(entry)
    db.session.commit()
    flash(_("%(name)s is removed from the analysis.", name=entry.name), "success")
    return redirect(url_for("stakeholders.analysis", process_id=process.id))


@stakeholders.post("/<int:process_id>/stakeholders/conclusion")
@require("processes.manage")
def conclusion(process_id: int):
    process = _process_or_404(process_id)
    form = ConclusionForm()
    if form.validate_on_submit():
        process.stakeholder_conclusion = (form.stakeholder_conclusion.data or "").strip() or None
        record("process.stakeholder_conclusion_changed", process)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("stakeholders.analysis", process_id=process.id) + "#step-5")
    return _analysis_page(process, conclusion_form=form, status=422)


@stakeholders.get("/<int:process_id>/stakeholders/invitations.csv")
@require("participants.view")
def invitations_csv(process_id: int):
    from dugnad.participants.csv_io import write_rows

    process = _process_or_404(process_id)
    invitations = invitation_list(process)
    body = write_rows(
        [_("Name"), _("E-mail"), _("Phone"), _("Category"), _("Role or title"), _("Why invite")],
        ([i.participant.name, i.participant.email, i.participant.phone, i.participant.category_label,
          i.participant.title, "; ".join(i.reasons)] for i in invitations.invitees),
    )
    record("process.invitation_list_exported", process)
    db.session.commit()
    return spreadsheets.download(body, f"invitations-{process.id}.csv", private=True)
