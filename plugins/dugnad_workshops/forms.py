"""The workshop forms. The services check every rule; these only read what was typed
(and keep it, so a refused form shows it again)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from markupsafe import Markup, escape
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import Select

from dugnad.sdk import DATETIME_FORMATS, optional_int, strip
from dugnad_workshops.models import AREAS, CHECKS, DECISIONS


class LongSelect(Select):
    """WTForms' ``Select`` for a long list (the register, 135 names in a large room): the same
    HTML, each plain option written directly instead of through ``html_params`` and a Markup
    format (a third of the room page's form time)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        # html_params sorts its keys: "selected" comes before "value"
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{escape(choice.value)}">{escape(choice.label or choice.value)}</option>')


class Needed:
    """Marks a field as required (its label and the ``required`` attribute) and leaves the
    check itself to the service, whose message then is the one people see."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


class StartForm(FlaskForm):
    name = StringField(_l("Name of the series"), validators=[Optional(), Length(max=200)], filters=[strip],
                       description=_l("For example “Integration workshops autumn 2026”. Leave it empty to use the "
                                      "template's name."))


class ThemeForm(FlaskForm):
    area = SelectField(_l("Theme area"), choices=list(AREAS.items()))
    question = TextAreaField(_l("Innovation question"), validators=[Needed(), Length(max=300)], filters=[strip],
                             description=_l("Short and clear: it names a need, holds a vision and contains no "
                                            "solution. For example “How can refugees get work experience in the "
                                            "local community?”"))


class PreparationForm(FlaskForm):
    preparation = TextAreaField(
        _l("Preparatory material"), validators=[Optional(), Length(max=20000)], filters=[strip],
        description=_l("Sent with the invitation: the background and purpose, how long it takes and where to meet, "
                       "and what to think about beforehand — needs and bottlenecks in the themes, what your "
                       "organisation can contribute, good stories to share."))


class ScheduleForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS,
                                   validators=[InputRequired(message=_l("Give the start time."))],
                                   description=_l("About four hours; late afternoon or evening suits volunteers "
                                                  "and business."))
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS,
                                 validators=[InputRequired(message=_l("Give the end time."))])
    location = StringField(_l("Place"), validators=[Optional(), Length(max=200)], filters=[strip],
                           description=_l("For example the town hall, or at a local business."))


class AddInviteeForm(FlaskForm):
    participant_id = SelectField(_l("Someone from the register"), coerce=optional_int, validate_choice=False,
                                 validators=[InputRequired(message=_l("Choose someone from the register."))])


class AnswerForm(FlaskForm):
    answer = HiddenField(validators=[InputRequired()])


class TableForm(FlaskForm):
    name = StringField(_l("Table"), validators=[Needed(), Length(max=80)], filters=[strip],
                       description=_l("For example “Table 1” or “Housing”."))
    theme_id = SelectField(_l("Theme"), coerce=optional_int, validate_choice=False, validators=[Optional()])
    facilitator_id = SelectField(_l("Facilitator"), coerce=optional_int, validate_choice=False, validators=[Needed()],
                                 widget=LongSelect(),
                                 description=_l("Stays at the table the whole workshop and tells each new group what "
                                                "the one before found."))
    seats = IntegerField(_l("Seats"), default=8, validators=[InputRequired(message=_l("How many seats?")),
                                                             NumberRange(min=1, max=40)],
                         description=_l("For participants; the facilitator has a chair of their own. Groups of "
                                        "6–8 work well."))


class RotationsForm(FlaskForm):
    rotations = IntegerField(_l("Rotations"), validators=[InputRequired(), NumberRange(min=0, max=12)],
                             description=_l("How many times everyone moves to a table they have not sat at."))


class PresenceForm(FlaskForm):
    presence = HiddenField()


class LateForm(FlaskForm):
    participant_id = SelectField(_l("Who came"), coerce=optional_int, validate_choice=False,
                                 validators=[InputRequired(message=_l("Choose who came."))])


class NeedForm(FlaskForm):
    text = TextAreaField(_l("Need or bottleneck"), validators=[Needed(), Length(max=2000)], filters=[strip],
                         description=_l("What stands in the way today? In the table's own words."))


class SolutionForm(FlaskForm):
    need_id = SelectField(_l("Answers the need"), coerce=optional_int, validate_choice=False,
                          validators=[Needed()])
    title = StringField(_l("Idea"), validators=[Needed(), Length(max=200)], filters=[strip],
                        description=_l("A short title, for example “Host families after the housing school”."))
    description = TextAreaField(_l("What is the idea?"), validators=[Optional(), Length(max=2000)], filters=[strip])
    measure = TextAreaField(_l("Measure: what is done, and by whom"), validators=[Optional(), Length(max=2000)],
                            filters=[strip])
    effect = TextAreaField(_l("Effect for the refugees"), validators=[Optional(), Length(max=2000)], filters=[strip])
    key_resources = TextAreaField(_l("Key resources"), validators=[Optional(), Length(max=2000)], filters=[strip],
                                  description=_l("Who and what it takes: services, organisations, businesses."))

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("need_id", "title", "description", "measure", "effect", "key_resources")}


class SharpenForm(FlaskForm):
    sharpened = TextAreaField(_l("The solution made concrete"), validators=[Optional(), Length(max=5000)],
                              filters=[strip],
                              description=_l("Who does what, for whom, from when — what the homework taught us."))
    rules_check = SelectField(_l("Within today's rules?"), choices=[("", _l("Not checked yet"))] + list(CHECKS.items()))
    rules_note = TextAreaField(_l("About the rules"), validators=[Optional(), Length(max=2000)], filters=[strip])
    budget_check = SelectField(_l("Within today's budgets?"), choices=[("", _l("Not checked yet"))] + list(CHECKS.items()))
    budget_note = TextAreaField(_l("About the budget"), validators=[Optional(), Length(max=2000)], filters=[strip])

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("sharpened", "rules_check", "rules_note", "budget_check", "budget_note")}


class HomeworkForm(FlaskForm):
    owner_id = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False, validators=[Needed()],
                           description=_l("Commit employers to homework: it is what brings them back to workshop 2."))
    questions = TextAreaField(_l("Questions to find out"), validators=[Needed(), Length(max=6000)],
                              description=_l("One per line, for example “Does the housing office want to share "
                                             "the responsibility?”"))
    due_date = DateField(_l("Due"), validators=[Needed(), Optional()])


class FindingsForm(FlaskForm):
    findings = TextAreaField(_l("What did you find out?"), validators=[Needed(), Length(max=20000)], filters=[strip],
                             description=_l("Facts, whom you talked to, whether it exists already, what you would "
                                            "change. You present it at the start of workshop 2."))


class SummaryForm(FlaskForm):
    note = TextAreaField(_l("A greeting at the top"), validators=[Optional(), Length(max=5000)], filters=[strip],
                         description=_l("Optional: thank people, and say what happens next."))


class PilotForm(FlaskForm):
    title = StringField(_l("Pilot"), validators=[Needed(), Length(max=200)], filters=[strip])
    owner_id = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False, validators=[Needed()])
    starts_on = DateField(_l("Starts"), validators=[Needed(), Optional()])
    first_activity = StringField(_l("First activity"), validators=[Needed(), Length(max=200)], filters=[strip],
                                 description=_l("The first concrete step, for example “Go through the housing school "
                                                "with the housing office”."))
    target_result = TextAreaField(_l("Result for the target group"), validators=[Optional(), Length(max=10000)],
                                  filters=[strip],
                                  description=_l("What will show that it works for the refugees? For example “more in "
                                                 "permanent work after a year”."))

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("title", "owner_id", "starts_on", "first_activity", "target_result")}


class RoundForm(FlaskForm):
    started_on = DateField(_l("Started"), validators=[Needed(), Optional()])
    tested = TextAreaField(_l("What is tested, and with whom"), validators=[Needed(), Length(max=10000)], filters=[strip])


class FindingsRoundForm(FlaskForm):
    tested = TextAreaField(_l("What was tested, and with whom"), validators=[Needed(), Length(max=10000)], filters=[strip])
    findings = TextAreaField(_l("Findings"), validators=[Optional(), Length(max=10000)], filters=[strip],
                             description=_l("What happened, and what the users said."))
    reached = IntegerField(_l("People in the target group who took part"), validators=[Optional(), NumberRange(min=0)])
    ended_on = DateField(_l("Ended"), validators=[Optional()])


class DecideForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[("", _l("Choose…"))] + list(DECISIONS.items()),
                           validators=[Needed()])
    reason = TextAreaField(_l("Why"), validators=[Needed(), Length(max=10000)], filters=[strip])


class EvaluationForm(FlaskForm):
    evaluation = TextAreaField(_l("Results for the target group"), validators=[Needed(), Length(max=10000)], filters=[strip],
                               description=_l("What changed for the refugees? Success is measured by their results."))
    reached = IntegerField(_l("People in the target group it reached"), validators=[Optional(), NumberRange(min=0)])
