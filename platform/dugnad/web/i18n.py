"""Language choice: Bokmål (default), Nynorsk, English."""

from __future__ import annotations

from babel import Locale
from flask import has_request_context, request, session
from flask_login import current_user

from flask_babel import lazy_gettext as _l

LANGUAGES = {"nb": _l("Bokmål"), "nn": _l("Nynorsk"), "en": _l("English")}
# The name of each language in itself, for the switch (shown the same in every language).
NATIVE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


# Each language's Locale, made once: Flask-Babel takes a Locale as it is (parsing a code
# builds a new one on every request).
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}


def select_locale() -> Locale | None:
    if not has_request_context():
        return None  # jobs and commands: the default language (BABEL_DEFAULT_LOCALE)
    return _LOCALES[_language()]


def _language() -> str:
    if (lang := session.get("lang")) in LANGUAGES:
        return lang
    user = current_user._get_current_object()
    if getattr(user, "is_authenticated", False) and user.locale in LANGUAGES:
        return user.locale
    if "Accept-Language" not in request.headers:
        return "nb"  # without parsing an empty header
    return locale_of(request.accept_languages)


def locale_of(accept_languages) -> str:
    """The language for a visitor without a choice of their own, from ``Accept-Language``
    (parsed; None when there is none)."""
    best = accept_languages.best_match(["nb", "nn", "en", "no", "nb-NO", "nn-NO"]) if accept_languages else None
    if best in ("no", "nb-NO"):
        return "nb"
    if best == "nn-NO":
        return "nn"
    return best or "nb"
