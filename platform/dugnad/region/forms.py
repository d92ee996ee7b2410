from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional


def strip(value):
    return value.strip() if isinstance(value, str) else value


class TenantForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)], filters=[strip],
                       description=_l("As people know it, for example Hamar."))
    number = StringField(
        _l("Municipality number (kommunenummer)"),
        validators=[DataRequired(), Length(min=4, max=4)],
        filters=[strip],
        description=_l("Four digits from Statistics Norway, for example 3403 for Hamar."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    slug = StringField(
        _l("Web address"),
        validators=[Optional(), Length(max=63)],
        filters=[strip],
        description=_l("The part after the slash in the address, for example hamar. Leave empty to make it from the name."),
    )


class RenameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


class SuspendForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it suspended?"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("People who try to open the municipality's pages see this."),
    )


class InviteAdminForm(FlaskForm):
    email = EmailField(_l("E-mail of the municipality's admin"), validators=[DataRequired(), Email(), Length(max=254)], filters=[strip])


def settings_form(fields, values: dict) -> FlaskForm:
    """A form built from the plugins' ``tenant_settings_schema``."""

    class SettingsForm(FlaskForm):
        pass

    kinds = {
        "text": lambda f: StringField(f.label, validators=[Optional(), Length(max=500)], description=f.help),
        "email": lambda f: EmailField(f.label, validators=[Optional(), Email()], description=f.help),
        "int": lambda f: IntegerField(f.label, validators=[Optional()], description=f.help),
        "bool": lambda f: BooleanField(f.label, description=f.help),
    }
    for field in fields:
        setattr(SettingsForm, field.key, kinds[field.kind](field))
    data = {f.key: values.get(f.key, f.default) for f in fields}
    return SettingsForm(data=data)
