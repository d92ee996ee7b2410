"""Role-level page caches: a page or fragment that is the same for everyone of a role in
a municipality is rendered once per (municipality, role, language, day, data version)
and then served without the ORM, the database or Jinja.

``same_for_role`` marks such a view. It goes under the view's permission check (which
still runs on every request, so a cached page never reaches someone the view would
refuse). What it keeps:

* fragments (a dashboard widget, an htmx part) for a member of the municipality, by
  their role: a fragment carries no one's name, menu or messages;
* whole pages only for someone not logged in with no messages waiting (a public page):
  a logged-in person's page has their name and menu in it.

Everything else is rendered as usual. The CSRF token is taken out of what is kept and the
reader's own put in. The data version is the stamps of ``dugnad.versions``: any write in
the municipality (or to its settings and plugins, or to people) moves them, so the next
request renders afresh. What changes with time alone (a poll closing, "due in 3 days")
is kept at most ``ttl`` seconds.

A view whose answer depends on the person (their own households, their own vote) must
not use this.

``same_for_person`` keeps a member's whole page (their name and menu in it) for that
person alone, under the same data version: a page whose only personal parts are the
shell's (name, menu, permissions — a change to the person moves the ``people`` stamp, a
change in the municipality its data stamp) is then served without Jinja. Not while
messages wait to be shown, and never for anyone not a member here.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from functools import wraps

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from dugnad import cache, clock, versions
from dugnad.web import replay
from dugnad.web.templating import wants_fragment

CSRF_MARK = "\x00dugnad-csrf\x00"  # where the reader's token goes; no page contains a NUL
DEFAULT_TTL = 60


def _role() -> str | None:
    """Whose page this is: a member's role, "anonymous", or None (not to be kept)."""
    if current_user._get_current_object().is_authenticated:
        membership = g.get("membership")
        if membership is None or not wants_fragment():
            return None
        return "role:" + membership.role
    return None if session.get("_flashes") else "anonymous"


def _person() -> str | None:
    """Whose page this is for ``same_for_person``: this member alone, or None (not to be kept)."""
    membership = g.get("membership")
    user = current_user._get_current_object()
    if not user.is_authenticated or membership is None or session.get("_flashes"):
        return None
    return f"person:{user.id}:{membership.role}"


def _key(role: str, view, kwargs: dict, tenant_id: int, day) -> str:
    # the view itself, not request.endpoint: the dashboard renders its widgets' views inside its own request
    args = ",".join(f"{k}={v}" for k, v in sorted(kwargs.items()))
    query = request.query_string.decode("latin-1")
    return ":".join(("page", str(tenant_id), role, str(get_locale()), day.isoformat(),
                     f"{view.__module__}.{view.__qualname__}", args, query,
                     "fragment" if wants_fragment() else "page"))


def same_for_role(view=None, *, ttl: int = DEFAULT_TTL):
    """View decorator (under the permission check): keep the answer per role, as above."""
    return _kept(view, ttl, _role)


def same_for_person(view=None, *, ttl: int = DEFAULT_TTL):
    """View decorator (under the permission check): keep a member's page for them alone, as above."""
    return _kept(view, ttl, _person)


def _kept(view, ttl: int, whose):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            here = g._get_current_object()  # g once: each look through Flask's proxy walks the context stack
            tenant = here.get("tenant")
            role = whose() if tenant is not None and request.method == "GET" else None
            if role is None:
                return view(*args, **kwargs)
            day = clock.today()
            key = _key(role, view, kwargs, tenant.id, day)
            kept, stamps = cache.get_fresh(key, versions.stamps_of(tenant.id))
            if kept is not None and kept["until"] > time.time():
                here.setdefault("page_cache", []).append("hit")
                body = _with_token(kept["body"])
                replay.kept_answer(body, kept["until"], day)
                return body, 200
            answer = view(*args, **kwargs)
            replay.kept_answer(None)  # rendered: the next request finds it kept
            body, status = answer if isinstance(answer, tuple) else (answer, 200)
            if status == 200 and isinstance(body, str):
                # the time it ends kept too: without Redis nothing else expires it
                cache.put_fresh(key, {"body": _without_token(body), "until": time.time() + ttl}, stamps, ttl)
                here.setdefault("page_cache", []).append("miss")
            return answer

        return wrapper

    return decorator(view) if view is not None else decorator


def _without_token(body: str) -> str:
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return body.replace(token, CSRF_MARK) if token else body


def _with_token(body: str) -> str:
    return body.replace(CSRF_MARK, readers_token()) if CSRF_MARK in body else body


_signed: OrderedDict[str, str] = OrderedDict()  # the session's raw token -> its signed form
_SIGNED_KEPT = 10_000


def readers_token() -> str:
    """``generate_csrf()``, without signing the session's token afresh on every request: its
    signed form is kept in this process (it does not expire: ``WTF_CSRF_TIME_LIMIT`` is None)."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if config.get("WTF_CSRF_TIME_LIMIT") is not None or field in g:
        return generate_csrf()
    raw = session.get(field)
    token = _signed.get(raw) if isinstance(raw, str) else None
    if token is None:
        token = generate_csrf()
        _signed[session[field]] = token
        if len(_signed) > _SIGNED_KEPT:
            _signed.popitem(last=False)
    else:
        setattr(g, field, token)  # as generate_csrf does: the rest of the request uses the same
    return token
