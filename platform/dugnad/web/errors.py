"""Error pages for people, JSON errors for the API. No error page reveals internals."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from dugnad.web.templating import render

log = logging.getLogger("dugnad.errors")


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something in the request was wrong"), _("Go back and try again.")),
        401: (_("You need to log in"), _("Log in, or send a valid token, and try again.")),
        409: (_("That cannot be done now"), _("Reload and look at how things stand now.")),
        403: (_("You do not have access to this"), _("Ask an admin in your municipality if you need it.")),
        404: (_("We could not find the page"), _("The address may be mistyped, or the page has moved.")),
        405: (_("That did not work"), _("Go back and try again.")),
        410: (_("This link no longer works"), _("Ask for a new one.")),
        413: (_("The file is too large"), _("Choose a smaller file (at most 5 MB).")),
        422: (_("Some of what you sent could not be used"), _("Go back, correct it and try again.")),
        429: (_("Too many attempts"), _("Wait a few minutes and try again.")),
        500: (_("Something went wrong on our side"), _("Nothing you did caused it. Try again in a moment.")),
    }


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(code: int, detail: str | None = None):
    title, hint = _messages().get(code, _messages()[500])
    if _wants_json():
        return jsonify({"code": code, "status": title, "message": detail or hint}), code
    return render("errors/error.html", title=title, hint=detail or hint, code=code, status=code)


def suspended_page(tenant):
    return render("errors/suspended.html", suspended=tenant, status=403)


def error_page(error: HTTPException):
    """The error page (or the API's JSON error) for ``error``, in the current language — so a
    plugin whose public pages speak other languages can render it inside ``force_locale``."""
    if isinstance(error, CSRFError):
        return error_response(400, _("The form had expired or was sent from somewhere else. Nothing was saved. Go back, reload the page and try again."))
    response = _http_response(error)
    if error.code == 401 and _wants_json():
        response[0].headers["WWW-Authenticate"] = 'Bearer realm="dugnad"'
    return response


def _http_response(error: HTTPException):
    detail = None
    if _wants_json():
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        if messages:
            from dugnad.api.messages import translate_all

            title = _messages().get(error.code, (error.name,))[0]
            return jsonify({"code": error.code, "status": title, "message": _("Some of the input could not be used."),
                            "errors": translate_all(messages)}), error.code
        detail = error.description
    return error_response(error.code or 500, detail)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, error_page)
    app.register_error_handler(HTTPException, error_page)

    @app.errorhandler(Exception)
    def _crash(error: Exception):
        log.exception("unhandled error")
        from dugnad.extensions import db

        db.session.rollback()
        return error_response(500)
