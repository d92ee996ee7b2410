"""Forms of the newcomer service. They carry what is typed and the CSRF token; the rules
and their messages are in the services, which name the field a refusal belongs to, so
a refused form is shown again with everything typed kept and the field marked."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TelField, TextAreaField
from wtforms.widgets import DateInput, NumberInput

from dugnad.sdk import strip
from dugnad_newcomers.models import AGREEMENT_KINDS, ITEM_STATUSES, OUTCOMES, PLANS, REASONS


class Required:
    """Marks a field as required (label and ``required``); the service checks it and says why."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


class RegistrationForm(FlaskForm):
    name = StringField(_l("Your name"), [Required()], filters=[strip],
                       description=_l("The person we can talk to in the household."))
    phone = TelField(_l("Mobile number"), filters=[strip],
                     description=_l("Give a mobile number or an e-mail address, or both."))
    email = EmailField(_l("E-mail address"), filters=[strip],
                       description=_l("We send a link to confirm, and later a link to see or change what you wrote."))
    adults = StringField(_l("How many adults move?"), [Required()], default="1", widget=NumberInput(min=1, max=12))
    children = StringField(_l("Children's ages"), filters=[strip],
                           description=_l("Write the age of each child, separated by commas, like 4, 9. "
                                          "Leave empty if no children move."))
    moved_from = StringField(_l("Where do you move from?"), filters=[strip],
                             description=_l("A place in Norway or a country."))
    arrival_date = StringField(_l("When did you move here?"), [Required()], widget=DateInput(),
                               description=_l("The day you arrived, or about when."))
    reason = SelectField(_l("Why did you move here?"), [Required()], validate_choice=False)
    message = TextAreaField(_l("Anything else we should know?"), filters=[strip])
    consent = BooleanField(_l("I agree that the newcomer service stores this, as the text above says."))
    consent_version = HiddenField()
    website = StringField(_l("Leave this field empty"))  # the honeypot

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [("", _l("Choose"))] + [(k, v) for k, v in REASONS.items()]

    def values(self, help_wanted: list[str]) -> dict:
        return {"name": self.name.data, "phone": self.phone.data, "email": self.email.data,
                "adults": self.adults.data, "children": self.children.data, "moved_from": self.moved_from.data,
                "arrival_date": self.arrival_date.data, "reason": self.reason.data, "message": self.message.data,
                "consent": self.consent.data, "help_wanted": help_wanted}


class CoordinatorRegistrationForm(RegistrationForm):
    name = StringField(_l("Name of the person we talk to"), [Required()], filters=[strip])
    consent = BooleanField(_l("They agreed to the consent text in the conversation"))
    locale = SelectField(_l("Language for e-mail"), choices=[("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English"),
                                                             ("uk", "Українська"), ("ar", "العربية")])


class ContactForm(FlaskForm):
    contact_user_id = SelectField(_l("Contact person"), validate_choice=False)


class ItemForm(FlaskForm):
    status = SelectField(_l("Status"), choices=list(ITEM_STATUSES.items()), validate_choice=False)
    owner_user_id = SelectField(_l("Owner"), validate_choice=False)
    due_on = StringField(_l("Due"), widget=DateInput())
    note = StringField(_l("Note"), filters=[strip])


class FollowUpForm(FlaskForm):
    how_going = TextAreaField(_l("How is it going?"), filters=[strip])
    missing = TextAreaField(_l("What is missing?"), filters=[strip])
    plans = SelectField(_l("Plans to stay?"), validate_choice=False)
    outcome = SelectField(_l("Outcome"), [Required()], validate_choice=False)
    moved_to = StringField(_l("Moved to"), filters=[strip], description=_l("Only when they moved away: where to."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plans.choices = [("", _l("Not asked"))] + [(k, v) for k, v in PLANS.items()]
        self.outcome.choices = [("", _l("Choose"))] + [(k, v) for k, v in OUTCOMES.items()]


class MovedForm(FlaskForm):
    moved_to = StringField(_l("Moved to"), filters=[strip])


class LinkRequestForm(FlaskForm):
    email = EmailField(_l("E-mail address"), [Required()], filters=[strip])


class MeasureForm(FlaskForm):
    group_name = StringField(_l("Group"), [Required()], filters=[strip])
    table_host = StringField(_l("Table host"), filters=[strip])
    text = StringField(_l("Prioritised measure"), [Required()], filters=[strip])


class DecisionForm(FlaskForm):
    decided_on = StringField(_l("Date of the decision"), [Required()], widget=DateInput())
    case_number = StringField(_l("Case number"), [Required()], filters=[strip])
    text = TextAreaField(_l("The decision"), filters=[strip])
    unanimous = BooleanField(_l("Unanimous"))


class AgreementForm(FlaskForm):
    kind = SelectField(_l("Agreement with"), [Required()], validate_choice=False)
    participant_id = SelectField(_l("Volunteer organisation"), validate_choice=False,
                                 description=_l("From the participant register, for agreements with volunteers."))
    party = StringField(_l("Party"), filters=[strip], description=_l("Who the agreement is with."))
    what = TextAreaField(_l("What is agreed"), filters=[strip])
    owner = StringField(_l("Owner in the municipality"), [Required()], filters=[strip])
    renews_on = StringField(_l("Renewal date"), widget=DateInput())

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("Choose"))] + [(k, v) for k, v in AGREEMENT_KINDS.items()]
        self.participant_id.choices = [("", _l("None"))] + [(str(i), n) for i, n in organisations]


class ConsentTextForm(FlaskForm):
    body = TextAreaField(_l("New wording of the consent text"), [Required()], filters=[strip],
                         description=_l("Saved as a new version; each household keeps the version they agreed to."))
