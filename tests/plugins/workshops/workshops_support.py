"""Shared helpers for the workshop tests: a series with people, tables and a room in
municipality alpha, built through the services as a coordinator would."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.notifications import OutboxMessage
from dugnad.participants.models import Participant
from tests.support.processes import in_tenant
from tests.core.test_processes_web import english, text

# (name, category) of the people of the test room; facilitators first
FACILITATORS = (("Frida Fasilitator", "municipality"), ("Finn Fasilitator", "municipality"),
                ("Fatima Fasilitator", "volunteer"))
GUESTS = (
    ("Kari Kommune", "municipality"), ("Knut Kommune", "municipality"), ("Vera Frivillig", "volunteer"),
    ("Viktor Frivillig", "volunteer"), ("Bodil Bedrift", "business"), ("Bjarne Bedrift", "business"),
    ("Amal Flyktning", "target_group"), ("Yonas Flyktning", "target_group"), ("Nina NAV", "public_agency"),
    ("Ola Ordfører", "politics"), ("Ida Innvandrerråd", "immigrant_council"), ("Sara Sosial", "social_entrepreneur"),
)


@dataclass
class Room:
    tenant_id: int
    process: int
    first: int
    second: int
    themes: list[int] = field(default_factory=list)
    tables: list[int] = field(default_factory=list)
    people: dict[str, int] = field(default_factory=dict)


def future(days: int = 7, hour: int = 17) -> datetime:
    return (datetime.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def person(name: str, category: str, email: bool = True) -> Participant:
    basis = "consent" if category in ("target_group", "residents") else "public_task"
    return Participant(name=name, category=category, legal_basis=basis,
                       consent_at=datetime(2026, 1, 5) if basis == "consent" else None,
                       email=f"{name.split()[0].lower()}.{name.split()[-1].lower()}@alpha.test".replace("ø", "o")
                       if email else None)


def build_room(app, world, slug: str = "alpha", *, guests=GUESTS, tables: int = 3, rotations: int = 2,
               invite: bool = True, answer: bool = True, schedule: bool = True) -> Room:
    """A series with three themes, workshop 1 scheduled, three tables with facilitators, and the
    guests on the list (invited, and answered yes) — ready to be placed."""
    from dugnad_workshops import invitations, room, series

    tenant_id = world.tenants[slug]

    def build():
        process = series.start("Integrering 2026", None)
        themes = [series.add_theme(process, area, question) for area, question in (
            ("housing", "Hvordan trygge det private utleiemarkedet slik at de ønsker å leie ut til flyktninger?"),
            ("qualification_settled", "Hvordan kan flyktninger gis bedre mulighet til sysselsetting?"),
            ("participation", "Hvordan skape arenaer og møteplasser for flyktninger og lokalbefolkningen?"),
        )]
        first, second = series.workshops_of(process)
        series.set_rotations(first, rotations)
        made = Room(tenant_id, process.id, first.id, second.id, [t.id for t in themes])
        for name, category in FACILITATORS + tuple(guests):
            participant = person(name, category)
            db.session.add(participant)
            db.session.flush()
            made.people[name] = participant.id
        if schedule:
            starts = future()
            series.schedule(first, starts, starts + timedelta(hours=4), "Rådhuset")
        for i in range(tables):
            table = room.add_table(first, name=f"Bord {i + 1}", theme_id=made.themes[i % 3],
                                   facilitator_id=made.people[FACILITATORS[i % 3][0]], seats=8)
            made.tables.append(table.id)
        if invite:
            invitations.add(first, [made.people[name] for name, _c in guests])
            if answer:
                for attendance in invitations.attendance_of(first):
                    invitations.respond(attendance, "yes")
        db.session.commit()
        return made

    return in_tenant(app, tenant_id, build)


def outbox(app, kind: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


__all__ = ["Room", "build_room", "in_tenant", "future", "person", "outbox", "english", "text", "date", "timedelta"]
