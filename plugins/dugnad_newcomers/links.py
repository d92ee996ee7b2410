"""Signed links for households without an account: confirming the e-mail address, and
their own page (see, correct, download, delete). The page link carries the household's
``link_version``; deleting raises it, so a replayed link opens nothing."""

from __future__ import annotations

from dugnad.sdk import DAY, external_url, read_signed, sign

CONFIRM_AGE = 14 * DAY
ME_AGE = 120 * DAY


def confirm_token(household) -> str:
    return sign("newcomer-confirm", h=household.id, e=household.email)


def _language(household) -> dict:
    """The page a link opens speaks the language the household registered in (as its e-mail does)."""
    return {"lang": household.locale} if household.locale else {}


def confirm_link(household) -> str:
    return external_url("newcomer_public.confirm", token=confirm_token(household), **_language(household))


def me_token(household) -> str:
    return sign("newcomer-me", h=household.id, n=household.link_version)


def me_link(household) -> str:
    return external_url("newcomer_public.me", token=me_token(household), **_language(household))


def read_confirm(token: str) -> dict:
    return read_signed("newcomer-confirm", token, CONFIRM_AGE)


def read_me(token: str) -> dict:
    return read_signed("newcomer-me", token, ME_AGE)
