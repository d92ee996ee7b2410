"""Forms: what a municipality shares, and the region's KOSTRA groups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import Length, Optional


def sharing_form(groups: list[tuple[str, str, str]], current: dict[str, bool]):
    """One checkbox per metric group: (group, label, what it holds)."""

    class SharingForm(FlaskForm):
        # a form with every box unticked sends no field: this one says it was sent all the same
        sent = HiddenField(default="1")

    for group, label, description in groups:
        setattr(SharingForm, f"share_{group}", BooleanField(label, default=current.get(group, False),
                                                            description=description))
    return SharingForm()


def kostra_form(places):
    """A text field per municipality, e.g. "KOSTRA-gruppe 13"."""

    class KostraForm(FlaskForm):
        pass

    for place in places:
        setattr(KostraForm, f"group_{place.number}", StringField(
            _l("%(name)s (%(number)s)", name=place.name, number=place.number),
            validators=[Optional(), Length(max=120)], default=place.kostra_group or ""))
    return KostraForm()
