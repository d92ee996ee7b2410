"""Forms of the recruitment pages. They check only the shape of what is typed; the rules (and
their messages) are in the services, which name the field a refusal belongs to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from dugnad.sdk import optional_int, strip
from dugnad_recruitment.models import (
    FUNDING_KINDS,
    LEGAL_BASES,
    OPENING_KINDS,
    OUTCOME_STATUSES,
    STAGES,
    TRACK_KINDS,
)


CHOOSE = InputRequired(_l("Choose one from the list."))
DATE = InputRequired(_l("Give a date."))
NUMBER = InputRequired(_l("Give a number."))


def _choices(mapping, blank=None):
    items = [(key, str(label)) for key, label in mapping.items()]
    return ([("", str(blank))] if blank else []) + items


class CandidateForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[InputRequired(_l("Give the candidate's name.")),
                                                                 Length(max=200)])
    email = EmailField(_l("E-mail"), filters=[strip], validators=[Optional(), Length(max=254)])
    phone = TelField(_l("Phone"), filters=[strip], validators=[Optional(), Length(max=40)])
    background = TextAreaField(_l("Background"), filters=[strip],
                               description=_l("Education, languages (Norwegian level), work experience. "
                                              "Nothing about health, substance use or a record here."))
    legal_basis = SelectField(_l("Legal basis"), choices=[], validate_choice=False, validators=[CHOOSE])
    consent_on = DateField(_l("Consent given on"), validators=[Optional()],
                           description=_l("Needed when the basis is the candidate's consent."))
    participant_id = SelectField(_l("In the participant register as"), choices=[], coerce=optional_int,
                                 validate_choice=False, description=_l("Links the candidate to their data export."))

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_basis.choices = _choices(LEGAL_BASES, _l("Choose the legal basis"))
        self.participant_id.choices = [("", str(_l("Not in the register")))] + [(str(i), n) for i, n in participants]


class SensitiveForm(FlaskForm):
    health = TextAreaField(_l("Health"), filters=[strip])
    substance_use = TextAreaField(_l("Substance use"), filters=[strip])
    criminal_record = TextAreaField(_l("Criminal record"), filters=[strip])


class PurposeForm(FlaskForm):
    class Meta:
        csrf = False

    purpose = StringField(_l("Why do you need to see this?"), filters=[strip],
                          validators=[InputRequired(_l("Say why you need to see the sensitive information.")),
                                      Length(min=5, max=200, message=_l("Say why in a few words (5 to 200 characters)."))],
                          description=_l("Logged with your name, and shown on the record and to the candidate."))


class StageForm(FlaskForm):
    to_stage = SelectField(_l("New stage"), choices=[], validate_choice=False, validators=[CHOOSE])
    changed_on = DateField(_l("Date of the change"), validators=[DATE])
    reason = TextAreaField(_l("Reason"), filters=[strip],
                           description=_l("Needed when skipping a stage, going back, ending or starting again."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.to_stage.choices = _choices(STAGES, _l("Choose a stage"))


class OpeningForm(FlaskForm):
    unit = StringField(_l("Unit"), filters=[strip], validators=[InputRequired(_l("Name the unit that offers the place."))])
    title = StringField(_l("Title of the place"), filters=[strip],
                        validators=[InputRequired(_l("Give the place a title."))])
    kind = SelectField(_l("Kind of place"), choices=[], validate_choice=False, validators=[CHOOSE])
    starts_on = DateField(_l("Starts on"), validators=[DATE])
    months = IntegerField(_l("Length in months"), validators=[NUMBER])
    leader_id = SelectField(_l("Leader"), choices=[], coerce=optional_int, validate_choice=False, validators=[CHOOSE])
    mentor_id = SelectField(_l("Mentor"), choices=[], coerce=optional_int, validate_choice=False)
    monthly_wage = IntegerField(_l("Monthly wage cost (NOK)"), validators=[Optional()],
                                description=_l("The unit's full cost a month; used to show what a placement costs."))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = _choices(OPENING_KINDS, _l("Choose the kind"))
        persons = [(str(i), n) for i, n in people]
        self.leader_id.choices = [("", str(_l("Choose the leader")))] + persons
        self.mentor_id.choices = [("", str(_l("No mentor yet")))] + persons


class PlacementForm(FlaskForm):
    opening_id = SelectField(_l("Place"), choices=[], coerce=optional_int, validate_choice=False, validators=[CHOOSE])
    starts_on = DateField(_l("From"), validators=[Optional()], description=_l("Empty: when the place starts."))
    ends_on = DateField(_l("To"), validators=[Optional()], description=_l("Empty: the place's length."))

    def __init__(self, *args, openings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.opening_id.choices = [("", str(_l("Choose a place")))] + [(str(i), n) for i, n in openings]


class FundingForm(FlaskForm):
    rule_id = SelectField(_l("Funding"), choices=[], coerce=optional_int, validate_choice=False, validators=[CHOOSE])
    starts_on = DateField(_l("From"), validators=[Optional()], description=_l("Empty: from the placement's start."))
    ends_on = DateField(_l("To"), validators=[Optional()], description=_l("Empty: as long as the rule and placement allow."))
    rate = IntegerField(_l("Rate (%)"), validators=[Optional()], description=_l("Empty: the rule's rate."))
    step_down_on = DateField(_l("Steps down on"), validators=[Optional()], description=_l("Empty: as the rule says."))
    stepped_rate = IntegerField(_l("Rate after the step-down (%)"), validators=[Optional()])

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_id.choices = [("", str(_l("Choose the funding")))] + [(str(r.id), r.name) for r in rules]


class RuleForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[InputRequired(_l("Name the rule."))])
    kind = SelectField(_l("Kind"), choices=[], validate_choice=False)
    rate = IntegerField(_l("Rate (%)"), validators=[Optional()])
    step_after_months = IntegerField(_l("Steps down after (months)"), validators=[Optional()])
    stepped_rate = IntegerField(_l("Rate after the step-down (%)"), validators=[Optional()])
    max_months = IntegerField(_l("Lasts at most (months)"), validators=[Optional()])
    warn_days = IntegerField(_l("Warn this many days ahead"), validators=[Optional()], default=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = _choices(FUNDING_KINDS, _l("Choose the kind"))


class MentorForm(FlaskForm):
    mentor_id = SelectField(_l("Mentor in the municipality"), choices=[], coerce=optional_int, validate_choice=False)
    mentor_name = StringField(_l("Or a mentor from outside (name)"), filters=[strip], validators=[Length(max=200)])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.mentor_id.choices = [("", str(_l("None")))] + [(str(i), n) for i, n in people]


class MeetingForm(FlaskForm):
    met_on = DateField(_l("Met on"), validators=[DATE])
    summary = TextAreaField(_l("What you talked about"), filters=[strip], validators=[InputRequired(_l("Write a line about what you talked about."))],
                            description=_l("Short, and nothing about health, substance use or a record."))


class OutcomeForm(FlaskForm):
    status = SelectField(_l("Where is the candidate now?"), choices=[], validate_choice=False, validators=[CHOOSE])
    employer = StringField(_l("Where (employer or school)"), filters=[strip], validators=[Length(max=200)])
    permanent = BooleanField(_l("A permanent job"))
    note = TextAreaField(_l("Note"), filters=[strip])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _choices(OUTCOME_STATUSES, _l("Choose"))


class TrackForm(FlaskForm):
    name = StringField(_l("Name of the track"), filters=[strip], validators=[InputRequired(_l("Name the track."))])
    kind = SelectField(_l("Which of the four tracks"), choices=[], validate_choice=False, validators=[CHOOSE])
    target_group_id = SelectField(_l("Target group"), choices=[], coerce=optional_int, validate_choice=False)
    description = TextAreaField(_l("The innovation question"), filters=[strip],
                                description=_l("A need and a vision, with no solution in it."))

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = _choices(TRACK_KINDS, _l("Choose a track"))
        self.target_group_id.choices = [("", str(_l("Several or not decided")))] + [(str(g.id), g.name) for g in groups]


class TargetGroupForm(FlaskForm):
    code = StringField(_l("Letter"), filters=[strip], validators=[Length(max=8)])
    name = StringField(_l("Target group"), filters=[strip], validators=[InputRequired(_l("Name the target group."))])
    needs = TextAreaField(_l("Their needs"), filters=[strip])


class PersonaForm(FlaskForm):
    target_group_id = SelectField(_l("Target group"), choices=[], coerce=optional_int, validate_choice=False,
                                  validators=[CHOOSE])
    name = StringField(_l("First name"), filters=[strip], validators=[InputRequired(_l("Give the persona a first name."))])
    story = TextAreaField(_l("Story"), filters=[strip], validators=[InputRequired(_l("Tell the persona's story."))],
                          description=_l("Made up, from what you know of the group: never a real person."))
    resources = TextAreaField(_l("Resources"), filters=[strip])
    needs = TextAreaField(_l("Needs"), filters=[strip])

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target_group_id.choices = [("", str(_l("Choose the group")))] + [(str(g.id), g.name) for g in groups]


class SolutionForm(FlaskForm):
    code = StringField(_l("Code"), filters=[strip], validators=[Length(max=8)], description=_l("Such as D1."))
    title = StringField(_l("Solution"), filters=[strip], validators=[InputRequired(_l("Give the solution a title."))])
    kind = SelectField(_l("Track"), choices=[], validate_choice=False)
    target_group_id = SelectField(_l("Target group"), choices=[], coerce=optional_int, validate_choice=False)
    who_does_what = TextAreaField(_l("Who does what"), filters=[strip])
    road_in = TextAreaField(_l("The road in to the unit"), filters=[strip])
    owner_id = SelectField(_l("Owner of the plan"), choices=[], coerce=optional_int, validate_choice=False)
    plan_starts_on = DateField(_l("The plan starts on"), validators=[Optional()])
    plan_3d = TextAreaField(_l("The first 3 days"), filters=[strip], description=_l("One thing to do a line."))
    plan_3w = TextAreaField(_l("The first 3 weeks"), filters=[strip], description=_l("One thing to do a line."))
    plan_3m = TextAreaField(_l("The first 3 months"), filters=[strip], description=_l("One thing to do a line."))

    def __init__(self, *args, groups=(), owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = _choices(TRACK_KINDS)
        self.target_group_id.choices = [("", str(_l("Any")))] + [(str(g.id), g.name) for g in groups]
        self.owner_id.choices = [("", str(_l("No owner yet")))] + [(str(i), n) for i, n in owners]


class WorksheetForm(FlaskForm):
    unit = StringField(_l("Unit"), filters=[strip], validators=[InputRequired(_l("Name the unit."))])
    track_id = SelectField(_l("Track"), choices=[], coerce=optional_int, validate_choice=False)

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.track_id.choices = [("", str(_l("No track yet")))] + [(str(t.id), t.name) for t in tracks]


class TaskForm(FlaskForm):
    text = StringField(_l("Task"), filters=[strip], validators=[InputRequired(_l("Describe the task."))])
    simple = BooleanField(_l("Simple"))
    repeatable = BooleanField(_l("Repeatable"))
    hours_per_week = DecimalField(_l("Hours per week"), places=1, validators=[NUMBER])


class BundleForm(FlaskForm):
    task_ids = SelectMultipleField(_l("Tasks in the job"), choices=[], coerce=int, validate_choice=False,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    job_title = StringField(_l("Title of the new job"), filters=[strip])
    job_summary = TextAreaField(_l("Job description"), filters=[strip])
