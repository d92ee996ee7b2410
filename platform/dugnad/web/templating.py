"""One template serves a page and its htmx fragment; shared template variables."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2_fragments.flask import render_block

from dugnad.extensions import htmx
from dugnad.web.i18n import LANGUAGES, NATIVE_NAMES


def wants_fragment() -> bool:
    """Whether this request is answered with a fragment: htmx asks (and is not restoring
    history), or another page shows it in its first response (``fragment_of``)."""
    return bool(g.get("render_fragment") or (htmx and not htmx.history_restore_request
                                             and request.headers.get("HX-Target") != "body"))


def render(template: str, block: str = "content", status: int = 200, **context):
    """The whole page, or only ``block`` when htmx asks (and is not restoring history)."""
    if wants_fragment():
        return render_block(template, block, is_fragment=True, **context), status
    return render_template(template, is_fragment=False, **context), status


def fragment_of(view, *args, **kwargs) -> tuple[str, int]:
    """What ``view`` answers an htmx request with, rendered inside this request (a page
    that shows another's fragment in its first response)."""
    previous = g.get("render_fragment")
    g.render_fragment = True
    try:
        answer = view(*args, **kwargs)
    finally:
        g.render_fragment = previous
    return answer if isinstance(answer, tuple) else (answer, 200)


def init_app(app: Flask) -> None:
    from dugnad.accounts.permissions import can
    from dugnad.plugins import plugins

    @app.context_processor
    def _shell():
        tenant = g.get("tenant")
        context = {
            "tenant": tenant,
            "membership": g.get("membership"),
            "can": can,
            "languages": NATIVE_NAMES,
            "language_labels": LANGUAGES,
            "csrf_token_value": generate_csrf,
            "get_locale": get_locale,
        }
        if tenant is not None and g.get("membership") is not None:
            loaded = plugins()
            items = [
                item
                for group in loaded.hook("navigation_items", tenant.id)(tenant=tenant, user=current_user)
                for item in group
                if item.permission is None or can(item.permission)
            ]
            context["nav_items"] = sorted(items, key=lambda i: (i.order, str(i.label)))
            for extra in loaded.hook("extra_template_vars", tenant.id)(tenant=tenant, user=current_user):
                context.update(extra)
        return context
