"""A household's checklist item asks other modules for help (``dugnad.handoffs``), without
knowing them: where the volunteer bank is on, "A local contact (buddy)" can ask it for a
local buddy. The request
carries the item, never the household's name; its status comes back to the item."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dugnad.sdk import HandoffOrigin, Reference, db, handoffs, record
from dugnad_newcomers.models import ChecklistItem

ITEM = "newcomers.checklist_item"
ASKS_FOR_HELP = "local_contact"  # the item whose page offers "Ask for help"
# the handoff's status → the checklist item's (what came of it is kept in the item's note)
STATUS = {"received": "in_progress", "working": "in_progress", "done": "done"}


def _item(item_id) -> ChecklistItem | None:
    if not isinstance(item_id, int):
        return None
    return db.session.scalar(select(ChecklistItem).where(ChecklistItem.id == item_id))


def resolve_item(item_id: int) -> Reference | None:
    item = _item(item_id)
    if item is None:
        return None
    # data minimisation: the receiving module sees the item and a household number, no name
    return Reference(f"{ITEM}:{item.id}", _("%(item)s for newcomer household no. %(n)s", item=item.title,
                                            n=item.household_id), "newcomers.show", {"household_id": item.household_id})


ORIGINS = [HandoffOrigin(ITEM, _l("newcomer checklist item"), resolve=resolve_item, permission="newcomers.contact")]


def panel(item: ChecklistItem):
    return handoffs.panel(ITEM, item.id, level=3)


def changed(change) -> None:
    """A handoff from one of our items changed: move the item along."""
    if change.origin_type != ITEM:
        return
    item = _item(change.origin_id)
    if item is None:
        return
    status = STATUS.get(change.status)
    if status is not None and item.status not in ("done", "not_needed"):
        item.status = status
    if change.status == "done" and change.outcome:
        item.note = change.outcome[:500]
    if change.status == "declined" and change.reason:
        item.note = _("Declined: %(reason)s", reason=change.reason)[:500]
    record("newcomers.checklist_item_handoff", item, household_id=item.household_id, status=change.status)
