"""Forms of the participant register and the import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from dugnad.participants.models import CATEGORIES, KINDS, LEGAL_BASES


def strip(value):
    return value.strip() if isinstance(value, str) else value


def optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a choice: refused with a message


class ParticipantForm(FlaskForm):
    kind = SelectField(_l("Person or organisation"), choices=[], validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Write the name.")), Length(max=200)], filters=[strip])
    category = SelectField(_l("Stakeholder category"), choices=[], validators=[DataRequired(message=_l("Choose a stakeholder category."))],
                           description=_l("Which group they belong to in the stakeholder analysis."))
    title = StringField(_l("Role or title"), validators=[Optional(), Length(max=120)], filters=[strip],
                        description=_l("For example “mayor”, “daily leader” or “volunteer coordinator”."))
    organisation_id = SelectField(_l("Speaks for the organisation"), choices=[], coerce=optional_int, validate_choice=False,
                                  description=_l("Only for persons: the organisation they represent, if any."))
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(message=_l("Write a valid e-mail address, like name@example.no.")), Length(max=254)],
                       filters=[strip])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)], filters=[strip])
    legal_basis = SelectField(_l("Legal basis for holding this information"), choices=[],
                              validators=[DataRequired(message=_l("Choose the legal basis for holding this information."))],
                              description=_l("Why the municipality may keep this person's details (GDPR article 6)."))
    consent_at = DateField(_l("Date consent was given"), validators=[Optional()],
                           description=_l("Required when the legal basis is consent."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)], filters=[strip],
                          description=_l("Write only what the work needs. Do not write health or other sensitive information here."))

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = list(KINDS.items())
        self.category.choices = [("", _l("Choose…"))] + list(CATEGORIES.items())
        self.legal_basis.choices = [("", _l("Choose…"))] + list(LEGAL_BASES.items())
        self.organisation_id.choices = [(None, _l("None"))] + [(o.id, o.name) for o in organisations]

    def validate_organisation_id(self, field):
        if field.data is not None and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose an organisation from this municipality's register."))

    def validate_consent_at(self, field):
        if self.legal_basis.data == "consent" and not field.data and not field.errors:
            raise ValidationError(_l("Write the date the person gave consent."))

    def data_for_service(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("kind", "name", "category", "title", "organisation_id", "email", "phone", "legal_basis", "consent_at", "notes")}


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file to upload."))], description=_l("A .csv file saved from Excel or another spreadsheet, at most 1 MB and 2,000 rows."))


class ConfirmImportForm(FlaskForm):
    payload = HiddenField()
