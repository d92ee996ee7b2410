from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from dugnad.processes.models import ACTIVITY_KINDS, ACTIVITY_STATUSES, LADDER

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # a value that matches nothing: the service says what is wrong


def _ladder_label(level: int, label) -> str:
    return f"{level} – {label}"


def ladder_choices(blank: str | None = None):
    # lazy: the forms are built when the module is imported, the labels when a page is shown
    choices = [(level, LazyString(_ladder_label, level, label)) for level, label in LADDER.items()]
    return ([("", blank)] if blank else []) + choices


class StartForm(FlaskForm):
    template = HiddenField(validators=[DataRequired()])
    name = StringField(_l("Name of the process"), validators=[Optional(), Length(max=200)], filters=[strip],
                       description=_l("For example “Welcoming newcomers 2026”. Leave it empty to use the template's name."))


class ProcessForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)], filters=[strip])
    status = SelectField(_l("Status"), choices=[("active", _l("Active")), ("paused", _l("Paused")), ("closed", _l("Closed"))])


class AddPhaseForm(FlaskForm):
    name = StringField(_l("Name of the new phase"), validators=[DataRequired(), Length(max=200)], filters=[strip])


class PhaseForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    desired_result = TextAreaField(
        _l("Desired result"), validators=[Optional(), Length(max=5000)], filters=[strip],
        description=_l("What the phase must deliver. Write it early and adjust it as you learn."))
    suggested_measures = TextAreaField(_l("Suggested measures"), validators=[Optional(), Length(max=10000)],
                                       description=_l("One per line."))
    key_questions = TextAreaField(_l("Key questions"), validators=[Optional(), Length(max=10000)],
                                  description=_l("One per line."))
    responsible_roles = TextAreaField(_l("Who is responsible"), validators=[Optional(), Length(max=2000)],
                                      description=_l("One role per line, for example “Rådmann”."))
    ladder_level = SelectField(_l("Participation ladder"), coerce=int, choices=ladder_choices(),
                               description=_l("How far the public is involved in this phase."))


class MoveForm(FlaskForm):
    phase_id = SelectField(_l("Move to phase"), coerce=optional_int, validate_choice=False,
                           validators=[InputRequired(message=_l("Choose the phase the process moves to."))])
    reason = TextAreaField(_l("Why"), validators=[DataRequired(message=_l("Say why the process moves, so others can follow the history.")),
                                                  Length(max=5000)], filters=[strip],
                           description=_l("For example what was learnt, or what the group agreed."))


class ActivityForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=list(ACTIVITY_KINDS.items()), default="task")
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    phase_id = SelectField(_l("Phase"), coerce=optional_int, validate_choice=False, validators=[InputRequired()])
    owner_id = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False, validators=[Optional()],
                           description=_l("Someone from the participant register."))
    due_date = DateField(_l("Due date"), validators=[Optional()],
                         description=_l("For meetings and workshops, the day of the meeting if left empty."))
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS, validators=[Optional()],
                                   description=_l("Meetings and workshops only."))
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS, validators=[Optional()],
                                 description=_l("Meetings and workshops only."))
    location = StringField(_l("Place"), validators=[Optional(), Length(max=200)], filters=[strip])
    status = SelectField(_l("Status"), choices=list(ACTIVITY_STATUSES.items()))
    ladder_level = SelectField(_l("Participation ladder"), coerce=optional_int, validate_choice=False,
                               choices=ladder_choices(blank=_l("As its phase")), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)], filters=[strip])

    def fill_choices(self, phases, participants):
        self.phase_id.choices = [(p.id, p.name) for p in phases]
        self.owner_id.choices = [("", _l("No owner yet"))] + list(participants)

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("kind", "title", "phase_id", "owner_id", "due_date", "starts_at", "ends_at", "location", "status",
                 "ladder_level", "description")}


class DecisionForm(FlaskForm):
    decided_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Give the date of the decision."))])
    title = StringField(_l("Decision"), validators=[DataRequired(), Length(max=200)], filters=[strip],
                        description=_l("A short title, for example “Start a newcomer service”."))
    text = TextAreaField(_l("What was decided"), validators=[Optional(), Length(max=20000)], filters=[strip])
    decided_by = StringField(_l("Decided by"), validators=[Optional(), Length(max=200)], filters=[strip],
                             description=_l("For example “kommunestyret” or “the steering group”."))
    phase_id = SelectField(_l("Phase"), coerce=optional_int, validate_choice=False, validators=[Optional()])


class ChecklistItemForm(FlaskForm):
    text = StringField(_l("New checklist item"), validators=[DataRequired(), Length(max=300)], filters=[strip])
