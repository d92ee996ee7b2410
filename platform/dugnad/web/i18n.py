"""Language choice: Bokmål (default), Nynorsk, English."""

from __future__ import annotations

from flask import has_request_context, request, session
from flask_login import current_user

from flask_babel import lazy_gettext as _l

LANGUAGES = {"nb": _l("Bokmål"), "nn": _l("Nynorsk"), "en": _l("English")}
# The name of each language in itself, for the switch (shown the same in every language).
NATIVE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


def select_locale() -> str | None:
    if not has_request_context():
        return None  # jobs and commands: the default language (BABEL_DEFAULT_LOCALE)
    if (lang := session.get("lang")) in LANGUAGES:
        return lang
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return current_user.locale
    return locale_of(request.accept_languages if request else None)


def locale_of(accept_languages) -> str:
    """The language for a visitor without a choice of their own, from ``Accept-Language``
    (parsed; None when there is none)."""
    best = accept_languages.best_match(["nb", "nn", "en", "no", "nb-NO", "nn-NO"]) if accept_languages else None
    if best in ("no", "nb-NO"):
        return "nb"
    if best == "nn-NO":
        return "nn"
    return best or "nb"
