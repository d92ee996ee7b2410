"""Shared helpers for the participant and stakeholder tests: English-reading clients,
participants made straight in the database, and reading them back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dugnad.extensions import db
from dugnad.participants.models import Participant
from dugnad.tenancy import tenant_context
from tests.support.context import in_english

VALID = {"kind": "person", "name": "Kari Nordmann", "category": "business", "email": "Kari@Example.no",
         "phone": "+47 900 00 000", "title": "Daglig leder", "legal_basis": "public_task"}


@pytest.fixture
def client_as(client_as):
    """Clients that read English, so the tests can look for the texts as written in the code."""

    return lambda key: in_english(client_as(key))


def add(app, tenant_id: int, **values) -> int:
    with app.app_context():
        with tenant_context(tenant_id):
            data = {"kind": "person", "category": "residents", "legal_basis": "public_task", **values}
            participant = Participant(**data)
            db.session.add(participant)
            db.session.commit()
            return participant.id


def stored(app, tenant_id: int) -> list[Participant]:
    with app.app_context():
        with tenant_context(tenant_id):
            rows = db.session.scalars(select(Participant).order_by(Participant.id)).all()
            db.session.expunge_all()
            return rows
