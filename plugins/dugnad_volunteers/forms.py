"""Forms of the bank. They check only the shape of what is typed; the rules (and their
messages) are in the services, which name the field a refusal belongs to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from dugnad.sdk import DATETIME_FORMATS, optional_int, strip
from dugnad_volunteers.configuration import shown

from dugnad_volunteers.models import (
    EVENT_KINDS,
    FREQUENCIES,
    LANGUAGES,
    LEVELS,
    QUALIFICATION_KINDS,
    REQUIRABLE_QUALIFICATIONS,
    SLOT_LABELS,
    TARGET_GROUPS,
    WORKS_WITH,
)

LANGUAGE_ROWS = 4


def language_choices(blank):
    return [("", blank)] + sorted(((code, str(label)) for code, label in LANGUAGES.items()),
                                  key=lambda c: (c[0] != "no", c[1]))


def slot_choices():
    return [(bit, label) for bit, label in enumerate(SLOT_LABELS)]


class LanguageRow(Form):
    language = SelectField(_l("Language"), choices=[], validate_choice=False)
    level = SelectField(_l("How well"), choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices(_l("Choose a language"))
        self.level.choices = [("", _l("Choose how well"))] + [(str(k), v) for k, v in LEVELS.items()]


class ProfileForm(FlaskForm):
    """What a volunteer tells about themselves (also used by the coordinator to correct it)."""

    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=200)], filters=[strip],
                       render_kw={"autocomplete": "name"})
    phone = TelField(_l("Mobile number"), validators=[InputRequired(), Length(max=40)], filters=[strip],
                     description=_l("The coordinator usually calls or sends a text message."),
                     render_kw={"autocomplete": "tel", "inputmode": "tel"})
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)], filters=[strip],
                       description=_l("We send you a link to confirm it, and a link to your own page."),
                       render_kw={"autocomplete": "email", "inputmode": "email"})
    birth_date = DateField(_l("Date of birth"), validators=[InputRequired()],
                           description=_l("You must be 15 or older. Under 18, a parent or guardian must agree."),
                           render_kw={"autocomplete": "bday"})
    guardian_name = StringField(_l("Name of a parent or guardian"), validators=[Optional(), Length(max=200)],
                                filters=[strip], description=_l("Only if you are under 18."))
    guardian_email = EmailField(_l("E-mail of the parent or guardian"), validators=[Optional(), Length(max=254)],
                                filters=[strip], description=_l("They get a link to confirm that they agree."))
    languages = FieldList(FormField(LanguageRow), min_entries=LANGUAGE_ROWS, max_entries=LANGUAGE_ROWS + 4,
                          label=_l("Languages you speak"))
    role_ids = SelectMultipleField(_l("What you would like to help with"), coerce=int, choices=[], validate_choice=False)
    formal_competence = TextAreaField(
        _l("Education, profession and courses"), validators=[Optional(), Length(max=3000)], filters=[strip],
        description=_l("For example nurse, teacher, first aid course, driving licence."))
    informal_competence = TextAreaField(
        _l("What you are good at"), validators=[Optional(), Length(max=3000)], filters=[strip],
        description=_l("Things you have learnt in life, not at school: cooking, football, finding your way in the system …"))
    availability = SelectMultipleField(_l("When you can usually help"), coerce=int, choices=[])
    frequency = SelectField(_l("How often"), validators=[Optional()], choices=[])
    area_ids = SelectMultipleField(_l("Where you can help"), coerce=int, choices=[], validate_choice=False)
    anywhere = BooleanField(_l("Anywhere in the municipality"))

    def __init__(self, roles, areas, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role_ids.choices = [(r.id, shown(r.name)) for r in roles]
        self.role_list = roles
        self.area_ids.choices = [(a.id, a.name) for a in areas]
        self.frequency.choices = [("", _l("Choose…"))] + list(FREQUENCIES.items())
        self.availability.choices = slot_choices()

    def fill_languages(self, rows: list[tuple[str, int]]) -> None:
        while len(self.languages.entries):
            self.languages.pop_entry()
        for code, level in rows:
            self.languages.append_entry({"language": code, "level": str(level)})
        while len(self.languages.entries) < LANGUAGE_ROWS:
            self.languages.append_entry()

    def values(self) -> dict:
        return {
            "name": self.name.data, "phone": self.phone.data, "email": self.email.data, "birth_date": self.birth_date.data,
            "guardian_name": self.guardian_name.data, "guardian_email": self.guardian_email.data,
            "languages": [(row.language.data, row.level.data) for row in self.languages],
            "role_ids": self.role_ids.data or [], "area_ids": self.area_ids.data or [], "anywhere": self.anywhere.data,
            "availability": self.availability.data or [], "frequency": self.frequency.data,
            "formal_competence": self.formal_competence.data, "informal_competence": self.informal_competence.data,
        }


# shown first on the registration form (the most spoken among volunteers here); the others under "More languages"
COMMON_LANGUAGES = ("no", "en", "ar", "ti", "uk", "so", "prs", "pl")
LEVEL_CHOICES = [("", _l("Choose how well"))] + [(str(k), v) for k, v in LEVELS.items()]


class RegistrationForm(ProfileForm):
    """Registration asks for languages as ticks (``spoken``), each with how well
    (``level_<code>``), instead of rows of dropdowns: short on a phone."""

    common_languages = len(COMMON_LANGUAGES)
    spoken = SelectMultipleField(_l("Languages you speak"), choices=[], validate_choice=False)
    regional = BooleanField(_l("I can also help in neighbouring municipalities"),
                            description=_l("Coordinators there may then see your first name, languages and what you want "
                                           "to help with, and ask you by e-mail. Never your contact details."))
    consent = BooleanField(_l("I have read the consent text and agree"))
    consent_version = HiddenField()
    # A honeypot: hidden from people (and screen readers), filled in by robots.
    website = StringField(_l("Leave this empty"), render_kw={"autocomplete": "off", "tabindex": "-1"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = language_choices("")[1:]
        self.spoken.choices = ([c for c in everything if c[0] in COMMON_LANGUAGES]
                               + [c for c in everything if c[0] not in COMMON_LANGUAGES])

    def level_of(self, code: str):
        return getattr(self, f"level_{code}", None)

    def values(self) -> dict:
        # an unknown code goes on to the service, which refuses it by name
        languages = [(code, self.level_of(code).data if self.level_of(code) else None) for code in self.spoken.data or []]
        return {**super().values(), "languages": languages, "regional": self.regional.data, "consent": self.consent.data,
                "consent_version": self.consent_version.data}


for _code in LANGUAGES:  # one "how well" per language, shown beside its tick
    setattr(RegistrationForm, f"level_{_code}", SelectField(_l("How well"), choices=LEVEL_CHOICES, validate_choice=False))


class LinkRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)], filters=[strip],
                       render_kw={"autocomplete": "email"})


class PauseForm(FlaskForm):
    until = DateField(_l("Pause until"), validators=[Optional()],
                      description=_l("Leave it empty to pause until you start again yourself."))


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[("approve", _l("Approve")), ("more_info", _l("Ask for more information")),
                                                    ("reject", _l("Do not approve"))])
    message = TextAreaField(_l("Message to the volunteer"), validators=[Optional(), Length(max=2000)], filters=[strip],
                            description=_l("Needed when you ask for more or do not approve: the volunteer gets it by e-mail."))


class QualificationForm(FlaskForm):
    kind = SelectField(_l("Qualification"), choices=[("", _l("Choose…"))] + list(QUALIFICATION_KINDS.items()))
    note = StringField(_l("Details"), validators=[Optional(), Length(max=200)], filters=[strip],
                       description=_l("For example the course, or what “other” is."))
    valid_until = DateField(_l("Valid until"), validators=[Optional()],
                            description=_l("Leave it empty if it does not expire."))


class VettingForm(FlaskForm):
    role_id = SelectField(_l("For the role"), coerce=optional_int, choices=[], validate_choice=False)
    issued_on = DateField(_l("Date of issue on the certificate"), validators=[Optional()])
    shown_on = DateField(_l("Day it was shown to you"), validators=[Optional()],
                         description=_l("Today if left empty. It must be within three months of the date of issue."))


class RoleForm(FlaskForm):
    name = StringField(_l("Name of the role"), validators=[InputRequired(), Length(max=120)], filters=[strip])
    description = TextAreaField(_l("What volunteers do"), validators=[Optional(), Length(max=3000)], filters=[strip],
                                description=_l("Shown on the registration form."))
    requires_certificate = BooleanField(_l("Needs a police certificate"),
                                        description=_l("For tasks of trust or responsibility towards minors or people with "
                                                       "intellectual disabilities (politiregisterloven § 39)."))
    works_with = SelectField(_l("Trust or responsibility towards"), validators=[Optional()],
                             choices=[("", _l("Choose…"))] + list(WORKS_WITH.items()))
    purpose = TextAreaField(_l("The tasks, for the purpose confirmation"), validators=[Optional(), Length(max=3000)],
                            filters=[strip],
                            description=_l("Written on the purpose confirmation the volunteer sends the police. "
                                           "Changing it asks volunteers for a new certificate."))


class AreaForm(FlaskForm):
    name = StringField(_l("New area"), validators=[InputRequired(), Length(max=120)], filters=[strip],
                       description=_l("A district or village, for example “Sentrum”."))


class ConsentTextForm(FlaskForm):
    body = TextAreaField(_l("Consent text"), validators=[InputRequired(), Length(max=10000)], filters=[strip],
                         description=_l("A new version: volunteers who agreed to an earlier one are asked to read this one."))


class NeedForm(FlaskForm):
    title = StringField(_l("What is needed"), validators=[InputRequired(), Length(max=200)], filters=[strip],
                        description=_l("For example “Escort to the GP”. Do not write the name of the person who gets help."))
    role_id = SelectField(_l("Kind of task"), coerce=optional_int, choices=[], validate_choice=False)
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS, validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS, validators=[Optional()])
    location = StringField(_l("Where"), validators=[Optional(), Length(max=200)], filters=[strip],
                           description=_l("For example “Tønsberg legesenter, Storgaten 1”."))
    area_id = SelectField(_l("Area"), coerce=optional_int, choices=[], validate_choice=False)
    language = SelectField(_l("Language needed"), choices=[], validators=[Optional()])
    language_level = SelectField(_l("How well"), choices=[], validators=[Optional()])
    qualification = SelectField(_l("Qualification needed"), validators=[Optional()],
                                choices=[("", _l("None"))] + list(REQUIRABLE_QUALIFICATIONS.items()))
    volunteers_needed = IntegerField(_l("How many volunteers"), validators=[Optional()], default=1)
    description = TextAreaField(_l("More about the task"), validators=[Optional(), Length(max=3000)], filters=[strip],
                                description=_l("What the volunteer needs to know. Volunteers who are asked see this."))

    def __init__(self, roles, areas, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role_id.choices = [("", _l("Choose…"))] + [(r.id, shown(r.name)) for r in roles]
        self.area_id.choices = [("", _l("Anywhere"))] + [(a.id, a.name) for a in areas]
        self.language.choices = language_choices(_l("No particular language"))
        self.language_level.choices = [(str(k), v) for k, v in LEVELS.items()]

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "title", "role_id", "starts_at", "ends_at", "location", "area_id", "language", "language_level",
            "qualification", "volunteers_needed", "description")}


class AskForm(FlaskForm):
    volunteer_ids = SelectMultipleField(_l("Volunteers to ask"), coerce=optional_int, choices=[], validate_choice=False)


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Why it is cancelled"), validators=[Optional(), Length(max=2000)], filters=[strip],
                           description=_l("The volunteers who were asked get it by e-mail."))


class EventForm(FlaskForm):
    title = StringField(_l("Name of the event"), validators=[InputRequired(), Length(max=200)], filters=[strip],
                        description=_l("For example “Christmas lunch for volunteers” or “Course: being an escort”."))
    kind = SelectField(_l("Kind"), choices=list(EVENT_KINDS.items()))
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS, validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS, validators=[Optional()])
    location = StringField(_l("Where"), validators=[Optional(), Length(max=200)], filters=[strip])
    capacity = IntegerField(_l("How many can come"), validators=[Optional()],
                            description=_l("Leave it empty if there is room for everyone."))
    description = TextAreaField(_l("About the event"), validators=[Optional(), Length(max=3000)], filters=[strip])

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("title", "kind", "starts_at", "ends_at", "location", "capacity", "description")}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[InputRequired(), Length(max=200)], filters=[strip])
    activities = TextAreaField(_l("Activities"), validators=[Optional(), Length(max=5000)], filters=[strip],
                               description=_l("What they do, for example “homework help on Tuesdays, international café”."))
    target_groups = SelectMultipleField(_l("For whom"), choices=list(TARGET_GROUPS.items()))
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)], filters=[strip])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)], filters=[strip])
    phone = TelField(_l("Phone"), validators=[Optional(), Length(max=40)], filters=[strip])
    website = StringField(_l("Web site"), validators=[Optional(), Length(max=300)], filters=[strip])

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("name", "activities", "target_groups", "contact_name", "email", "phone", "website")}


class PoolAskForm(FlaskForm):
    municipality = HiddenField()
    volunteer = HiddenField()
    message = TextAreaField(_l("What you need help with"), validators=[Optional(), Length(max=2000)], filters=[strip],
                            description=_l("When, where and what. The volunteer gets this with your name and e-mail address."))
