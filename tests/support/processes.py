"""Shared helpers for the process tests: a BLT process in a municipality, participants,
and reading rows straight from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from dugnad.extensions import db
from dugnad.participants.models import Participant
from dugnad.processes import service
from dugnad.processes.models import Activity, Phase, Process, ProcessParticipant
from tests.support.context import in_tenant
from dugnad.clock import today as oslo_today


@dataclass
class Made:
    tenant_id: int
    process: int
    phases: list[int]
    people: dict[str, int] = field(default_factory=dict)


def make_process(app, world, slug: str = "alpha", name: str | None = None, people=("Pia Planner",)) -> Made:
    tenant_id = world.tenants[slug]

    def build():
        process = service.start_process("blt", name or f"{slug} process", None)
        made = Made(tenant_id, process.id, [p.id for p in service.phases_of(process)])
        for person in people:
            participant = Participant(name=person, category="municipality", legal_basis="public_task",
                                      email=f"{person.split()[0].lower()}@{slug}.test")
            db.session.add(participant)
            db.session.flush()
            db.session.add(ProcessParticipant(process_id=process.id, participant_id=participant.id))
            made.people[person] = participant.id
        db.session.commit()
        return made

    return in_tenant(app, tenant_id, build)


def add_activities(app, made: Made, n: int, *, overdue: int = 0, owner: int | None = None) -> None:
    def build():
        rows = []
        for i in range(n):
            rows.append(Activity(process_id=made.process, phase_id=made.phases[i % len(made.phases)], kind="task",
                                 title=f"Task {i}", owner_id=owner,
                                 due_date=oslo_today() - timedelta(days=3) if i < overdue else oslo_today() + timedelta(days=30)))
        db.session.add_all(rows)
        db.session.commit()

    in_tenant(app, made.tenant_id, build)


def count(app, tenant_id: int, model, *where) -> int:
    return in_tenant(app, tenant_id, lambda: db.session.scalar(select(func.count()).select_from(model).where(*where)))


def future(days: int = 7, hour: int = 10) -> datetime:
    return (datetime.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def form_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


__all__ = ["Made", "in_tenant", "make_process", "add_activities", "count", "future", "form_time",
           "Activity", "Phase", "Process"]
