from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from dugnad.accounts.security import MIN_PASSWORD_LENGTH


def strip(value):
    """Drop the spaces a phone keyboard or a paste leaves around an e-mail address."""
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    # No format check here: an account is looked up as typed, and a wrong address
    # gets the same answer as a wrong password.
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me logged in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()], filters=[strip], render_kw={"autocomplete": "email"})


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("At least %(n)s characters. A sentence you can remember works well.", n=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Your current password"), validators=[DataRequired()],
                            render_kw={"autocomplete": "current-password"})


class AcceptInvitationForm(NewPasswordForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)], render_kw={"autocomplete": "name"})


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)], filters=[strip])
    role = SelectField(_l("Role"), validators=[DataRequired()])

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(r.key, r.label) for r in roles]


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[DataRequired()])

    def __init__(self, roles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(r.key, r.label) for r in roles]


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=80)])
    scope = SelectField(_l("Municipality"), validators=[DataRequired()])
    expires = DateField(_l("Expires"), validators=[Optional()], description=_l("Leave empty for no expiry."))

    def validate_expires(self, field):
        from datetime import date

        if field.data and field.data <= date.today():
            raise ValidationError(_l("Choose a date after today."))


class ProfileForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    locale = SelectField(_l("Language"), choices=[("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English")])


class ConfirmForm(FlaskForm):
    """An empty form: only the CSRF token, for buttons that change something."""

    submit = SubmitField()
