"""The API's field-validation messages follow ``Accept-Language`` (nb, nn, en), field by
field, with the values marshmallow fills in kept (``dugnad.api.messages``)."""

from __future__ import annotations

import inspect

import marshmallow.fields
import pytest

from dugnad.api.messages import TEMPLATES, translate
from tests.core.test_api import Api, assert_json_error

BAD = {"name": "x" * 201, "category": "nope", "kind": "person", "legal_basis": "consent", "notes": 7}


@pytest.fixture
def api(app, world):
    return Api(app, world)


@pytest.mark.parametrize("language, expected", [
    ("nb", {"name": "Må være mellom 1 og 200 tegn langt.", "category": "Må være en av: municipality, politics,",
            "notes": "Ikke tekst.", "extra": "Ukjent felt."}),
    ("nn", {"name": "Må vere mellom 1 og 200 teikn langt.", "category": "Må vere ein av: municipality, politics,",
            "notes": "Ikkje tekst.", "extra": "Ukjent felt."}),
    ("en", {"name": "Must be between 1 and 200 characters long.", "category": "Must be one of: municipality, politics,",
            "notes": "Not text.", "extra": "Unknown field."}),
])
def test_field_messages_are_in_the_readers_language(api, language, expected):
    response = api.call("POST", "/participants/", api.token("alpha_admin"), json={**BAD, "extra": 1},
                        headers={"Accept-Language": language})
    errors = assert_json_error(response, 422)["errors"]["json"]
    for field, message in expected.items():
        assert errors[field][0].startswith(message), errors


@pytest.mark.parametrize("language, required, email", [
    ("nb", "Dette feltet må fylles ut.", "Ikke en e-postadresse."),
    ("nn", "Dette feltet må fyllast ut.", "Ikkje ei e-postadresse."),
    ("en", "This field is required.", "Not an e-mail address."),
])
def test_a_missing_field_is_named_in_the_readers_language(api, language, required, email):
    response = api.call("POST", "/invitations/", api.token("alpha_admin"), json={"email": "ikke-en-adresse"},
                        headers={"Accept-Language": language})
    errors = assert_json_error(response, 422)["errors"]["json"]
    assert errors == {"role": [required], "email": [email]}


def test_every_message_of_the_fields_we_use_has_a_translation():
    """A marshmallow upgrade that rewords a message shows up here, not as English in an nb answer."""
    used = (marshmallow.fields.Field, marshmallow.fields.String, marshmallow.fields.Integer,
            marshmallow.fields.Number, marshmallow.fields.Boolean, marshmallow.fields.Date,
            marshmallow.fields.Email, marshmallow.fields.List, marshmallow.fields.Dict, marshmallow.fields.Nested)
    for field in used:
        for message in inspect.getattr_static(field, "default_error_messages").values():
            filled = message.format(obj_type="date", input="x")
            assert filled in TEMPLATES or translate(filled) != filled, filled
