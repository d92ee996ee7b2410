"""Shared helpers for the newcomer service's tests: households made directly (fast) or
through the public form, links from the outbox, and the municipality's context."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import select

from dugnad.sdk import db, tenant_context, today
from dugnad.notifications import OutboxMessage
from dugnad_newcomers import households


@contextmanager
def in_tenant(app, tenant_id):
    with app.app_context(), tenant_context(tenant_id):
        yield


def form_data(**overrides) -> dict:
    data = {"name": "Olena Kovalenko", "phone": "+47 912 34 567", "email": "olena@example.no", "adults": "2",
            "children": "4, 9", "moved_from": "Kharkiv", "arrival_date": (today() - timedelta(days=20)).isoformat(),
            "reason": "work", "help_wanted": ["kindergarten", "partner_job"], "consent": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_household(app, tenant_id, name="Ahmed Hassan", *, arrival: date | None = None, email=None, phone=None,
                   by_user_id=None, **extra) -> int:
    """An active household written through the service (as the coordinator registers them)."""
    from dugnad.sdk import User

    with in_tenant(app, tenant_id):
        user = db.session.get(User, by_user_id) if by_user_id else None
        data = {"name": name, "email": email or f"{name.lower().replace(' ', '.')}@example.no", "phone": phone,
                "adults": extra.pop("adults", 2), "children": extra.pop("children", [3]),
                "arrival_date": arrival or today() - timedelta(days=30), "reason": extra.pop("reason", "work"),
                "consent": True, **extra}
        household = households.register(data, by=user)
        if household.status == "unconfirmed":
            households.confirm_email(household, household.email)  # as if the link was opened
        db.session.commit()
        return household.id


def outbox(app, tenant_id, kind: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).where(OutboxMessage.tenant_id == tenant_id).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        messages = list(db.session.scalars(query))
        db.session.expunge_all()
        return messages


def link_in(message, pattern: str) -> str:
    found = re.search(r"https?://[^\s]+(" + pattern + r"[^\s]*)", message.body)
    assert found, message.body
    return found.group(1)
