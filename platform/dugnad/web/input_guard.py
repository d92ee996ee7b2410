"""No input makes a 5xx: what the database or the parser would choke on is refused first,
with a 4xx and a message in the request's language.

- Integers in paths fit the database's ``integer`` (≤ 2,147,483,647): the ``int``
  converter is bounded, so a larger id matches no route (404), in the web and the API.
- NUL bytes and lone surrogates (which PostgreSQL cannot store) in the path, the query,
  a form or a JSON body: 400.
- JSON nested deeper than any request of ours needs, or not JSON at all: 400.
- Anything that still gets past and that the database refuses as a value (a number out
  of range in a query or body, say): 400, the transaction rolled back.
"""

from __future__ import annotations

import json
import re

from flask import Flask, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.routing import IntegerConverter

MAX_INT = 2**31 - 1  # PostgreSQL's integer, the type of every id
MAX_JSON_DEPTH = 32
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` that matches only what an ``integer`` column can hold."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002  (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_INT if max is None else max, signed=signed)


def json_depth(raw: bytes | str) -> int:
    """How deeply arrays and objects nest in a JSON text (strings skipped), without parsing it."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _unstorable(value) -> bool:
    if isinstance(value, str):
        return bool(_UNSTORABLE.search(value))
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(v) for v in value)
    return False


def _messages() -> dict[str, str]:
    # translated only when there is something to say: choosing the language may load the
    # logged-in person, which an API request (token, no session) must not do
    return {
        "characters": _("The request contains characters that cannot be used (such as a NUL byte or a broken "
                        "character). Remove them and try again."),
        "deep": _("The JSON is nested too deeply (at most %(n)s levels).", n=MAX_JSON_DEPTH),
        "json": _("The body is not valid JSON."),
        "bytes": _("The form contains bytes that are not text (UTF-8). Type the text again, or paste it "
                   "as plain text, and send the form again."),
    }


def _problem() -> str | None:
    """What is wrong with the request's input, as a key of ``_messages()``; None when nothing."""
    if _UNSTORABLE.search(request.path):
        return "characters"
    if any(_unstorable(k) or _unstorable(v) for k, v in request.args.items(multi=True)):
        return "characters"
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            raw = request.get_data(cache=True)
            if raw.strip():
                if json_depth(raw) > MAX_JSON_DEPTH:
                    return "deep"
                try:
                    data = json.loads(raw)
                except (ValueError, RecursionError):
                    return "json"
                if _unstorable(data):
                    return "characters"
        elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if request.mimetype == "application/x-www-form-urlencoded" and not _valid_utf8_form(request.get_data(cache=True)):
                return "bytes"
            if any(_unstorable(k) or _unstorable(v) for k, v in request.form.items(multi=True)):
                return "characters"
    return None


def _valid_utf8_form(raw: bytes) -> bool:
    from urllib.parse import unquote_to_bytes

    try:
        for pair in raw.split(b"&"):
            for part in pair.split(b"=", 1):
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def install_converter(app: Flask) -> None:
    """Before any route is added: ``int`` is the bounded one."""
    app.url_map.converters["int"] = BoundedIntConverter


def init_app(app: Flask) -> None:
    """Register the guard first of the request hooks, so nothing reads the input before it."""
    from dugnad.web.errors import error_response

    def _refuse_unusable_input():
        problem = _problem()
        if problem:
            return error_response(400, _messages()[problem])
        return None

    # ahead of every other hook, CSRF's included: a form it cannot decode is not "expired"
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_unusable_input)

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def _out_of_range(error):
        from dugnad.extensions import db

        db.session.rollback()
        return error_response(400, _("A value in the request is out of range (a number too large, or text the "
                                     "database cannot store). Nothing was saved."))


def integer_schema(converter: IntegerConverter) -> dict:
    """The OpenAPI schema of a bounded ``int`` path parameter (flask-smorest's converter map)."""
    schema: dict = {"type": "integer", "maximum": converter.max}
    if converter.min is not None:
        schema["minimum"] = converter.min
    elif not converter.signed:
        schema["minimum"] = 0
    return schema
