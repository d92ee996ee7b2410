"""The household checklist: what a newcomer household may need, from seeds 000 and 002
(work for the partner, housing, kindergarten, school, GP, Norwegian course, clubs and
volunteer activities, a welcome conversation, a local contact). A municipality picks
and adds items under Settings (``newcomers_checklist``)."""

from __future__ import annotations

import re

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from dugnad.sdk import current_tenant_id, db, Tenant

SETTING = "newcomers_checklist"
DEFAULT_ITEMS = {
    "partner_job": _l("Job or work for the partner"),
    "housing": _l("Housing"),
    "kindergarten": _l("Kindergarten place"),
    "school": _l("School"),
    "gp": _l("GP (fastlege)"),
    "norwegian": _l("Norwegian course"),
    "activities": _l("Clubs and volunteer activities"),
    "welcome": _l("Welcome conversation"),
    "local_contact": _l("A local contact (buddy)"),
}
DEFAULT_SETTING = ", ".join(DEFAULT_ITEMS)
# the items a newcomer may ask for on the public form (the welcome talk is always had)
ASKABLE = ("partner_job", "housing", "kindergarten", "school", "gp", "norwegian", "activities", "local_contact")


def title(key: str, stored: str) -> str:
    """A default item's name in the reader's language; any other item's stored text."""
    default = DEFAULT_ITEMS.get(key)
    return stored if default is None else str(default)


def stored_label(key: str, label: str) -> str:
    """The text stored with a new item: a default item's in Bokmål, whoever's language the
    request is in (a newcomer confirming in Arabic starts the checklist); it is shown
    through its key, so the stored text is only what exports of old rows fall back on."""
    if key not in DEFAULT_ITEMS:
        return label
    with force_locale("nb"):
        return str(DEFAULT_ITEMS[key])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9æøå]+", "-", text.lower()).strip("-")[:30] or "item"


def parse(setting: str | None) -> list[tuple[str, str]]:
    """``"housing, school, Fishing licence"`` → [(key, label) …]: a default item's key gives
    that item (in the reader's language); any other words become an item of their own."""
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for entry in (DEFAULT_SETTING if setting is None else setting).replace("\n", ",").split(","):
        entry = entry.strip()
        if not entry:
            continue
        if entry in DEFAULT_ITEMS:
            key, label = entry, str(DEFAULT_ITEMS[entry])
        else:
            key, label = "own-" + _slug(entry), entry[:200]
        if key not in seen:
            seen.add(key)
            items.append((key, label))
    return items


def items_for(tenant: Tenant | None = None) -> list[tuple[str, str]]:
    tenant = tenant or db.session.get(Tenant, current_tenant_id())
    return parse((tenant.settings or {}).get(SETTING))


def askable(tenant: Tenant | None = None) -> list[tuple[str, str]]:
    """The items a newcomer can tick on the public form, in the municipality's order."""
    return [(key, label) for key, label in items_for(tenant) if key in ASKABLE or key.startswith("own-")]
