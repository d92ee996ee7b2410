"""The card vote over htmx without the Flask request pipeline: 500 phones pressing "vote"
at the same moment.

``CardVotes`` sits in front of Flask (inside ``ProxyFix``, so it sees what Flask sees) and
takes exactly one kind of request: ``POST /<tenant>/vote/<code>`` (the endpoint
``voting_public.cast``, found by Flask's own URL map) sent by htmx, a small url-encoded
form, no query string. Everything the general path checks first it checks the same way —
the input guard's rules, the session cookie (Flask's signed cookie, its fallback keys
included), the CSRF token (Flask-WTF's token, its time limit, the referrer on HTTPS), the
municipality (``routing.find_tenant``: not suspended, voting switched on, the mount
public) — and then hands the ballot to ``fastcast.cast_card``, the same one statement.

It answers only when the ballot is stored, with what the general path answers: the
confirmation fragment (rendered once per process for each language and kind of poll with
the real template, the card's address put in), the same headers, one log line, the
municipality's data stamp moved. Anything else — a logged-in person (a session with a
user or a remember-me cookie), another language choice than the session's or the
browser's, a token missing, expired or wrong, a form it does not read, a card not yet held
by this phone, a refusal of any kind, an error before the ballot is stored — goes to Flask
untouched (the body given back), which decides and words it exactly as before. Turn it
off with ``DUGNAD_LEAN_CARD_VOTES = False`` in the app config.
"""

from __future__ import annotations

import functools
import hmac
import io
import logging
import secrets
import time
from typing import Callable
from urllib.parse import parse_qsl

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_babel import force_locale
from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import escape
from werkzeug.datastructures import LanguageAccept, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header, parse_cookie

from dugnad.web.input_guard import _UNSTORABLE

log = logging.getLogger("dugnad.request")

ENDPOINT = "voting_public.cast"
# the request hooks whose work the lean path does itself (input guard, request id, CSRF,
# the municipality): should another come to run before a card's vote, the lean path steps
# aside and Flask runs it
KNOWN_HOOKS = frozenset({"init_app.<locals>._refuse_unusable_input", "init_app.<locals>._start",
                         "CSRFProtect.init_app.<locals>.csrf_protect", "init_app.<locals>._enter_tenant"})
MAX_BODY = 4096  # a card's form is a few hundred bytes; anything larger is the general path's
CARD_URL = "__CARD_URL__"  # where the card's address goes in a kept fragment


class CardVotes:
    """WSGI middleware: the lean path for a card's vote, everything else to ``inner``."""

    def __init__(self, app: Flask, inner: Callable):
        self.app, self.inner = app, inner
        self._fragments: dict[tuple[str, bool, bool], str] = {}
        self._session_serializer: URLSafeTimedSerializer | None = None

    def __call__(self, environ: dict, start_response):
        if (environ.get("REQUEST_METHOD") == "POST" and environ.get("HTTP_HX_REQUEST") == "true"
                and self.app.config.get("DUGNAD_LEAN_CARD_VOTES", True)):
            response = self._vote(environ)
            if response is not None:
                return response(environ, start_response)
        return self.inner(environ, start_response)

    # --- the checks the general path makes before the view --------------------------------------

    def _vote(self, environ: dict):
        started = time.perf_counter()
        app, config = self.app, self.app.config
        if (environ.get("QUERY_STRING") or environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST") == "true"
                or environ.get("HTTP_TRANSFER_ENCODING")):
            return None
        mimetype = (environ.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
        if mimetype != "application/x-www-form-urlencoded":
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        if not 0 < length <= MAX_BODY or (config.get("MAX_CONTENT_LENGTH") or MAX_BODY) < length:
            return None
        adapter = app.url_map.bind_to_environ(environ)
        try:
            match = adapter.match(method="POST")
        except HTTPException:
            return None
        if match[0] != ENDPOINT or _UNSTORABLE.search(environ.get("PATH_INFO", "")) or not self._hooks_known():
            return None
        slug, code = match[1]["tenant"], match[1]["code"]
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # the general path reads the same body
        form = _form(body)
        if form is None:
            return None
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if cookies.get(config.get("REMEMBER_COOKIE_NAME", "remember_token")):
            return None  # someone logged in: the general path (their language, their log line)
        session = self._session(cookies)
        if session is None or "_user_id" in session or "_id" in session or not self._csrf_valid(environ, form, session):
            return None
        from dugnad.extensions import login_manager

        protection = config.get("SESSION_PROTECTION", login_manager.session_protection)
        if protection not in (None, False, "basic") and not session.get("_permanent"):
            return None  # "strong" protection empties the session: Flask-Login's to do
        protected = protection in ("basic", "strong")
        lang = session.get("lang")
        from dugnad.web.i18n import LANGUAGES

        if lang is not None and lang not in LANGUAGES:
            return None
        locale = lang or _browser_locale(environ.get("HTTP_ACCEPT_LANGUAGE") or "")
        devices = session.get("poll_devices") or {}
        if not isinstance(devices, dict) or not devices:
            return None
        with app.app_context():
            return self._cast(environ, adapter, slug, code, form, session, protected, locale, started)

    def _hooks_known(self) -> bool:
        hooks = [*self.app.before_request_funcs.get(None, ()), *self.app.before_request_funcs.get("voting_public", ())]
        return all(getattr(hook, "__qualname__", "") in KNOWN_HOOKS for hook in hooks)

    def _session(self, cookies) -> dict | None:
        from dugnad.web.sessions import KeptCookieSessionInterface

        interface = self.app.session_interface
        if type(interface) not in (SecureCookieSessionInterface, KeptCookieSessionInterface):
            return None
        value = cookies.get(interface.get_cookie_name(self.app))
        if not value:
            return None
        if isinstance(interface, KeptCookieSessionInterface):
            return interface.read(self.app, value)
        if self._session_serializer is None:
            self._session_serializer = interface.get_signing_serializer(self.app)
        if self._session_serializer is None:
            return None
        try:
            data = self._session_serializer.loads(value, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
        except BadData:
            return None
        return data if isinstance(data, dict) else None

    def _csrf_valid(self, environ: dict, form: MultiDict, session: dict) -> bool:
        """Whether Flask-WTF's check (``CSRFProtect.protect``) would pass; anything else it
        decides itself, on the general path."""
        config = self.app.config
        if not (config.get("WTF_CSRF_ENABLED", True) and config.get("WTF_CSRF_CHECK_DEFAULT", True)
                and "POST" in config.get("WTF_CSRF_METHODS", ("POST", "PUT", "PATCH", "DELETE"))):
            return False
        field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        token, kept = form.get(field), session.get(field)
        if not token or not kept:
            return False
        serializer = _csrf_serializer(config.get("WTF_CSRF_SECRET_KEY") or self.app.secret_key)
        try:
            signed = serializer.loads(token, max_age=config.get("WTF_CSRF_TIME_LIMIT", 3600))
        except BadData:
            return False
        if not isinstance(signed, str) or not isinstance(kept, str) or not hmac.compare_digest(kept, signed):
            return False
        if environ.get("wsgi.url_scheme") == "https" and config.get("WTF_CSRF_SSL_STRICT", True):
            from flask_wtf.csrf import same_origin

            referrer, host = environ.get("HTTP_REFERER"), environ.get("HTTP_HOST") or environ.get("SERVER_NAME")
            if not referrer or not host or not same_origin(referrer, f"https://{host}/"):
                return False
        return True

    # --- the municipality and the ballot ---------------------------------------------------------

    def _cast(self, environ, adapter, slug: str, code: str, form: MultiDict, session: dict, protected: bool, locale: str,
              started: float):
        from dugnad.extensions import db
        from dugnad.tenancy.context import reset_request_tenant, set_request_tenant
        from dugnad.tenancy.scoping import sync_open_session
        from dugnad.versions import data_changed
        from dugnad.voting import fastcast
        from dugnad.web.routing import tenant_columns

        app = self.app
        try:
            found = tenant_columns(slug)
            if found is None:
                return None
            tenant, enabled = found
            plugin_name, mount = app.extensions["dugnad.mounts"]["voting_public"]
            loaded = app.extensions["dugnad.plugins"]
            if (tenant["status"] == "suspended" or not mount.public
                    or not (plugin_name in loaded.core or plugin_name in enabled)):
                return None
            card_url = adapter.build("voting_public.vote", {"tenant": tenant["slug"], "code": code})
            fragments = [self._fragment(locale, change, anonymous) for change in (False, True) for anonymous in (False, True)]
        except Exception:
            db.session.rollback()
            return None  # the general path meets it again, and answers as it always does
        tenant_id = tenant["id"]
        token = set_request_tenant(tenant_id)
        try:
            sync_open_session()
            try:
                stored = fastcast.cast_card(code, session["poll_devices"].values(), form)
            except Exception:
                db.session.rollback()
                return None
            if stored is None:
                db.session.rollback()
                return None
            if db.session().in_transaction():  # SQLite's steps; on PostgreSQL the statement was its own
                db.session.commit()
            data_changed()  # the function wrote inside a SELECT, which the statement watch cannot see
            body = fragments[2 * stored.allow_change + stored.anonymous].replace(CARD_URL, str(escape(card_url)))
            response = self._answer(environ, body.encode(), session, protected)
            self._log(environ, response.status, started, tenant_id)
            return response
        finally:
            reset_request_tenant(token)

    def _fragment(self, locale: str, allow_change: bool, anonymous: bool) -> str:
        key = (locale, allow_change, anonymous)
        kept = self._fragments.get(key)
        if kept is None:
            from dugnad.voting.public import voted_fragment

            with self.app.test_request_context("/", headers={"HX-Request": "true"}), force_locale(locale):
                kept = self._fragments[key] = voted_fragment(allow_change, anonymous, CARD_URL)
        return kept

    # --- what the general path adds to every answer ----------------------------------------------

    def _answer(self, environ: dict, body: bytes, session: dict, protected: bool):
        """The response as Flask would finish it: the headers of ``security.add_headers``, and
        the session saved by Flask's own session interface (Flask-Login's "basic" session
        protection marks an anonymous session not fresh the first time, which sends a cookie)."""
        from dugnad.web.security import add_headers

        app = self.app
        response = app.response_class(body, mimetype="text/html")
        request_id = environ.get("HTTP_X_REQUEST_ID") or secrets.token_hex(8)
        environ["dugnad.request_id"] = request_id
        add_headers(app, response.headers, request_id, ENDPOINT)
        kept = app.session_interface.session_class(session)
        if protected and session.get("_fresh") is not False:
            kept["_fresh"] = False
        kept.accessed = True
        app.session_interface.save_session(app, kept, response)
        return response

    def _log(self, environ: dict, status: str, started: float, tenant_id: int) -> None:
        """The request's one log line, as ``security._log_request`` writes it: the record made
        directly, without looking up the caller's frame (its file is this one's)."""
        if not log.isEnabledFor(logging.INFO):
            return
        from werkzeug.wsgi import get_path_info

        extra = {"method": "POST", "path": "/" + get_path_info(environ).lstrip("/"), "status": int(status[:3]),
                 "ms": round((time.perf_counter() - started) * 1000, 1), "user_id": None, "tenant_id": tenant_id,
                 "request_id": environ["dugnad.request_id"]}
        log.handle(log.makeRecord(log.name, logging.INFO, __file__, 0, "request", (), None, func="_log", extra=extra))


@functools.lru_cache(maxsize=256)
def _browser_locale(accept_language: str) -> str:
    """The language ``Accept-Language`` asks for (``i18n.locale_of``): phones send a handful
    of distinct headers, so each is parsed once per process."""
    from dugnad.web.i18n import locale_of

    return locale_of(parse_accept_header(accept_language, LanguageAccept) if accept_language else None)


@functools.lru_cache(maxsize=8)
def _csrf_serializer(secret_key) -> URLSafeTimedSerializer:
    """Flask-WTF's token serializer for this key, made once (it keeps nothing per token)."""
    from dugnad.web.sessions import KeyedSigner

    return URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token", signer=KeyedSigner)


def _form(body: bytes) -> MultiDict | None:
    """The url-encoded form as Flask reads it, or None when the input guard would refuse it
    (bytes that are not UTF-8, NUL, lone surrogates) or it is not plainly a form."""
    try:
        text = body.decode("ascii")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=200)
    except (UnicodeDecodeError, ValueError):
        return None
    if any(_UNSTORABLE.search(key) or _UNSTORABLE.search(value) for key, value in pairs):
        return None
    return MultiDict(pairs)


def install(app: Flask) -> None:
    """Put the lean path in front of Flask's own WSGI app (before any proxy middleware wraps it)."""
    app.wsgi_app = CardVotes(app, app.wsgi_app)
