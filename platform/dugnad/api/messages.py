"""The API's field-validation messages in the reader's language (``Accept-Language``).

marshmallow and webargs write their messages in English, already filled in ("Must be one of:
json, csv."). Each known template is matched here and written again from its translation,
with the same values; a message we do not know is left as it is (our own schemas raise
translated messages already)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

# marshmallow's and webargs' English (the keys) -> ours; {name} is a value kept as it was
TEMPLATES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field may not be empty (null)."),
    "Unknown field.": _l("Unknown field."),
    "Invalid value.": _l("Invalid value."),
    "Invalid input.": _l("Invalid value."),
    "Invalid type.": _l("Wrong type of value."),
    "Invalid input type.": _l("Wrong type of value."),
    "Invalid JSON body.": _l("The body is not valid JSON."),
    "Not a valid string.": _l("Not text."),
    "Not a valid utf-8 string.": _l("Not valid UTF-8 text."),
    "Not a valid integer.": _l("Not a whole number."),
    "Not a valid number.": _l("Not a number."),
    "Number too large.": _l("The number is too large."),
    "Special numeric values (nan or infinity) are not permitted.": _l("Not a number (nan or infinity)."),
    "Not a valid boolean.": _l("Not true or false."),
    "Not a valid date.": _l("Not a date (write it as 2025-03-31)."),
    "Not a valid datetime.": _l("Not a date and time (write it as 2025-03-31T14:30:00+02:00)."),
    "Not a valid time.": _l("Not a time of day (write it as 14:30)."),
    "Not a valid email address.": _l("Not an e-mail address."),
    "Not a valid URL.": _l("Not a web address (URL)."),
    "Not a valid UUID.": _l("Not a UUID."),
    "Not a valid list.": _l("Not a list."),
    "Not a valid mapping type.": _l("Not an object."),
    "Not a valid period of time.": _l("Not a length of time."),
    "String does not match expected pattern.": _l("Not in the expected form."),
    "Shorter than minimum length {min}.": _l("Too short: at least {min} characters."),
    "Longer than maximum length {max}.": _l("Too long: at most {max} characters."),
    "Length must be between {min} and {max}.": _l("Must be between {min} and {max} characters long."),
    "Length must be {equal}.": _l("Must be exactly {equal} characters long."),
    "Must be one of: {choices}.": _l("Must be one of: {choices}."),
    "Must be equal to {other}.": _l("Must be {other}."),
    "Must be greater than or equal to {min} and less than or equal to {max}.": _l("Must be from {min} to {max}."),
    "Must be greater than or equal to {min}.": _l("Must be {min} or more."),
    "Must be less than or equal to {max}.": _l("Must be {max} or less."),
    "Must be greater than {min}.": _l("Must be more than {min}."),
    "Must be less than {max}.": _l("Must be less than {max}."),
    "\"{input}\" cannot be formatted as a date.": _l("\"{input}\" cannot be written as a date."),
    "\"{input}\" cannot be formatted as a datetime.": _l("\"{input}\" cannot be written as a date and time."),
}


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    # literal text escaped, each {name} a named group
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + r"\Z",
                      re.S)


_PATTERNS = [(_pattern(english), ours) for english, ours in TEMPLATES.items()]


def translate(message: str) -> str:
    for pattern, ours in _PATTERNS:
        found = pattern.match(message)
        if found:
            return str(ours).format(**found.groupdict())
    return message


def translate_all(messages: Any) -> Any:
    """The error tree webargs gives (``{"json": {"name": ["…"]}}``), every message translated."""
    if isinstance(messages, str):
        return translate(messages)
    if isinstance(messages, dict):
        return {key: translate_all(value) for key, value in messages.items()}
    if isinstance(messages, (list, tuple)):
        return [translate_all(value) for value in messages]
    return messages
