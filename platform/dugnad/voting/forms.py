from __future__ import annotations

from datetime import timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from dugnad.processes.forms import DATETIME_FORMATS, optional_int, strip
from dugnad.voting.models import VISIBILITY
from dugnad.voting.rules import DEFAULT_CRITERIA

OSLO = ZoneInfo("Europe/Oslo")

# The default pilot criteria of seed 003 §4.1.6, as people read them (rules.py keeps the English).
CRITERION_LABELS = {
    "effect": _l("Expected effect on the need"),
    "cost": _l("Cost of a test that still answers whether it works"),
    "capacity": _l("Capacity and competence to run it"),
    "fit": _l("Fit with existing services"),
}


def criterion_label(criterion) -> str:
    """A default criterion in the reader's language; the organiser's own as written."""
    default = next((c for c in DEFAULT_CRITERIA if c.key == criterion.key), None)
    if default is not None and default.label == criterion.label:
        return str(CRITERION_LABELS[criterion.key])
    return criterion.label


def to_utc(local):
    """A time typed in Norway (naive) as the naive UTC the polls store."""
    if local is None:
        return None
    return local.replace(tzinfo=OSLO).astimezone(timezone.utc).replace(tzinfo=None)


def to_local(utc):
    if utc is None:
        return None
    return utc.replace(tzinfo=timezone.utc).astimezone(OSLO).replace(tzinfo=None)


def default_criteria_text() -> str:
    return "\n".join(f"{CRITERION_LABELS[c.key]} | {c.weight:g}" for c in DEFAULT_CRITERIA)


def parse_criteria(text: str) -> list[dict]:
    """One criterion per line: ``name | weight`` (the weight may be left out: 1)."""
    criteria = []
    default_keys = {str(CRITERION_LABELS[c.key]): c.key for c in DEFAULT_CRITERIA}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        label, _sep, weight = line.partition("|")
        label = label.strip()
        try:
            value = float(weight.strip().replace(",", ".")) if weight.strip() else 1.0
        except ValueError:
            raise ValueError(_("Line %(n)s: the weight after | must be a number, for example 2 or 0.5.", n=number)) from None
        key = default_keys.get(label) or f"c{len(criteria) + 1}"
        criteria.append({"key": key, "label": label, "weight": value})
    return criteria


class PollForm(FlaskForm):
    title = StringField(_l("Question or title"), validators=[DataRequired(), Length(max=200)], filters=[strip],
                        description=_l("What people vote on, for example “Which solutions do we take further?”"))
    description = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=5000)], filters=[strip],
                                description=_l("Background people need before they vote. For a consent poll: the proposal itself."))
    method = RadioField(_l("How people vote"), validators=[InputRequired(message=_l("Choose how people vote."))])
    option_mode = RadioField(_l("Who writes the options"), default="fixed", choices=[
        ("fixed", _l("I write them now")),
        ("proposals", _l("Participants propose options first; I open the vote afterwards")),
    ])
    options = TextAreaField(_l("Options"), validators=[Optional(), Length(max=20000)],
                            description=_l("One per line. You can add more before the vote opens."))
    dots_per_person = IntegerField(_l("Dots per person"), default=2, validators=[Optional(), NumberRange(min=1, max=20)],
                                   description=_l("In a workshop everyone usually gets two dots."))
    stacking = BooleanField(_l("People may put several dots on the same option"), default=True)
    max_per_option = IntegerField(_l("Most dots one person may put on one option"), validators=[Optional(), NumberRange(min=1, max=20)],
                                  description=_l("Leave empty for no limit beyond the dots a person has."))
    max_approvals = IntegerField(_l("Most options one person may tick"), validators=[Optional(), NumberRange(min=1, max=100)],
                                 description=_l("Leave empty to let people tick as many as they support."))
    score_min = IntegerField(_l("Lowest score"), default=0, validators=[Optional(), NumberRange(min=-10, max=100)])
    score_max = IntegerField(_l("Highest score"), default=5, validators=[Optional(), NumberRange(min=-10, max=100)])
    criteria = TextAreaField(_l("Criteria"), validators=[Optional(), Length(max=5000)],
                             description=_l("One per line, with its weight after a bar: “Expected effect | 2”. Each option is scored on every criterion."))
    ranked_variant = RadioField(_l("How rankings are counted"), default="irv", choices=[
        ("irv", _l("Instant runoff: the option with fewest first choices drops out until one has a majority")),
        ("borda", _l("Borda points: a first choice gets most points, the last fewest")),
    ])
    results_visibility = RadioField(_l("When people see the results"), default="live", choices=list(VISIBILITY.items()))
    anonymous = BooleanField(_l("Anonymous: nobody, admins included, can ever see who voted what"),
                             description=_l("An anonymous vote cannot be changed, and results show when the poll closes. This can never be undone."))
    allow_change = BooleanField(_l("People may change their vote until the poll closes"), default=True)
    member_voting = BooleanField(_l("Members of the municipality can vote when logged in"), default=True,
                                 description=_l("Personal voting cards (QR codes) and paper ballots work either way."))
    opens_at = DateTimeLocalField(_l("Opens"), format=DATETIME_FORMATS, validators=[Optional()],
                                  description=_l("Leave empty to open it yourself."))
    closes_at = DateTimeLocalField(_l("Closes"), format=DATETIME_FORMATS, validators=[Optional()],
                                   description=_l("Leave empty to close it yourself."))
    phase_id = SelectField(_l("Phase"), coerce=optional_int, validate_choice=False, validators=[Optional()])
    activity_id = SelectField(_l("Activity"), coerce=optional_int, validate_choice=False, validators=[Optional()],
                              description=_l("For example the workshop where people vote."))

    def settings(self) -> dict:
        method = self.method.data
        if method == "dot":
            values = {"dots_per_person": self.dots_per_person.data or 2, "stacking": bool(self.stacking.data)}
            if self.max_per_option.data:
                values["max_per_option"] = self.max_per_option.data
            return values
        if method == "approval":
            return {"max_approvals": self.max_approvals.data} if self.max_approvals.data else {}
        if method in ("score", "matrix"):
            values = {"score_min": self.score_min.data if self.score_min.data is not None else 0,
                      "score_max": self.score_max.data if self.score_max.data is not None else 5}
            if method == "matrix":
                values["criteria"] = parse_criteria(self.criteria.data)
            return values
        if method == "ranked":
            return {"ranked_variant": self.ranked_variant.data or "irv"}
        return {}

    def option_lines(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]


class EditPollForm(FlaskForm):
    title = StringField(_l("Question or title"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    description = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=5000)], filters=[strip])
    opens_at = DateTimeLocalField(_l("Opens"), format=DATETIME_FORMATS, validators=[Optional()],
                                  description=_l("Leave empty to open it yourself."))
    closes_at = DateTimeLocalField(_l("Closes"), format=DATETIME_FORMATS, validators=[Optional()],
                                   description=_l("Leave empty to close it yourself."))


class OptionForm(FlaskForm):
    label = StringField(_l("New option"), validators=[DataRequired(message=_l("Write the option.")), Length(max=300)],
                        filters=[strip])
    description = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=2000)], filters=[strip])


class CardsForm(FlaskForm):
    count = IntegerField(_l("How many cards"), default=20, validators=[InputRequired(), NumberRange(min=1, max=500)],
                         description=_l("One for each person in the room who votes on a phone."))


class PaperForm(FlaskForm):
    participant_id = SelectField(_l("On behalf of"), coerce=optional_int, validate_choice=False, validators=[Optional()],
                                 description=_l("Someone from the process, or leave it unnamed."))
    label = StringField(_l("Name or note"), validators=[Optional(), Length(max=120)], filters=[strip],
                        description=_l("For an unnamed ballot, for example “Table 3, paper”."))
