"""Shared helpers for the recruitment tests: a track in municipality alpha with a recruitment
coordinator, two unit leaders and a mentor; candidates made through the services."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from dugnad.sdk import Membership, User, db, tenant_context, today
from dugnad_recruitment import candidates, design, placements
from dugnad_recruitment.setup import seed_defaults

PEOPLE = {
    "recruiter": ("recruiter@alpha.test", "Rakel Rekrutterer", "recruitment_coordinator"),
    "leader": ("leader@alpha.test", "Leif Leder", "member"),
    "other_leader": ("other.leader@alpha.test", "Olga Annenleder", "member"),
    "mentor": ("mentor@alpha.test", "Mona Mentor", "member"),
}


@contextmanager
def in_tenant(app, tenant_id: int, locale: str = "en"):
    """The municipality's context; services speak English here, as the test users read it (jobs
    and commands speak Bokmål in production: pass ``locale="nb"`` to see that)."""
    with app.app_context(), tenant_context(tenant_id), force_locale(locale):
        yield
        db.session.remove()


@dataclass
class Pilot:
    app: object
    tenant_id: int
    users: dict[str, int] = field(default_factory=dict)
    track_id: int = 0
    openings: dict[str, int] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)


def set_up(app, world, slug: str = "alpha", password_hash: str = "x") -> Pilot:
    tenant_id = world.tenants[slug]
    pilot = Pilot(app, tenant_id)
    with in_tenant(app, tenant_id):
        for key, (email, name, role) in PEOPLE.items():
            email = email.replace("alpha", slug)
            user = User(email=email, name=name, password_hash=password_hash, locale="en")
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(user_id=user.id, role=role))
            pilot.users[key] = user.id
            world.users[f"{key}@{slug}" if slug != "alpha" else key] = user.id
        seed_defaults()
        track = design.create_track({"name": "Bærum pilot", "kind": "qualification"}, None)
        pilot.track_id = track.id
        start = today() - timedelta(days=30)
        pilot.openings["kitchen"] = placements.create_opening(track, {
            "unit": "Lønnås sykehjem", "title": "Kitchen assistant", "kind": "temporary", "starts_on": start,
            "months": 6, "leader_id": pilot.users["leader"], "mentor_id": pilot.users["mentor"],
            "monthly_wage": 40000}).id
        pilot.openings["school"] = placements.create_opening(track, {
            "unit": "Hosle skole", "title": "School assistant", "kind": "temporary", "starts_on": start,
            "months": 6, "leader_id": pilot.users["other_leader"], "monthly_wage": 38000}).id
        from dugnad_recruitment.models import FundingRule
        from sqlalchemy import select

        pilot.rules = {r.name: r.id for r in db.session.scalars(select(FundingRule))}
        db.session.commit()
    return pilot


@pytest.fixture
def pilot(app, world, password_hash) -> Pilot:
    return set_up(app, world, password_hash=password_hash)


def add_candidate(pilot: Pilot, name: str = "Amina Hassan", *, opening: str | None = None, starts_on: date | None = None,
                  sensitive: dict | None = None, **data) -> int:
    from dugnad_recruitment.models import Opening, Track

    with in_tenant(pilot.app, pilot.tenant_id):
        track = db.session.get(Track, pilot.track_id)
        candidate = candidates.create(track, {"name": name, "legal_basis": "consent",
                                              "consent_on": today() - timedelta(days=60), **(sensitive or {}), **data})
        if opening:
            placements.place(candidate, db.session.get(Opening, pilot.openings[opening]),
                             {"starts_on": starts_on} if starts_on else {})
        db.session.commit()
        return candidate.id
