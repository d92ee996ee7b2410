"""The tables of a workshop series (seed 003, chapter 4).

A series *is* a process started from the plugin's template: every table refers to
the process, and ``WorkshopSeries`` holds what the process has no room for (the
preparatory material). Workshops, homework and pilots also appear in the process
as core activities; the links to those are plain ids (``activity_id``), not keys,
so deleting an activity from the process plan never deletes workshop data.
People are always participants of the municipality's register.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dugnad.sdk import db, tenant_fk, TenantScoped, utcnow

# Theme areas (seed 003, figure 2), plus a theme written anew.
AREAS = {
    "housing": _l("Settlement and housing"),
    "qualification_reception": _l("Qualification and employment in the reception centre"),
    "qualification_settled": _l("Qualification and employment after settlement"),
    "participation": _l("Participation and inclusion"),
    "own": _l("Our own theme"),
}
RESPONSES = {"yes": _l("Coming"), "no": _l("Not coming")}
PRESENCE = {"present": _l("Here"), "absent": _l("Did not come")}
CHECKS = {"ok": _l("Possible today"), "partly": _l("Possible with changes"), "not": _l("Not possible today")}
DECISIONS = {"adjust": _l("Adjust and test again"), "scale": _l("Scale up"), "drop": _l("Drop")}
PILOT_STATUSES = {"planned": _l("Planned"), "testing": _l("Being tested"), "scaled": _l("Scaled up"),
                  "dropped": _l("Dropped")}
WORKSHOP_STATUSES = {"planned": _l("Planned"), "running": _l("Running now"), "held": _l("Held")}


def _participant(owner: str, column: str):
    """A read-only link to a participant through the composite key."""
    return relationship(
        "Participant",
        primaryjoin=f"and_({owner}.{column} == Participant.id, {owner}.tenant_id == Participant.tenant_id)",
        foreign_keys=f"[{owner}.{column}, {owner}.tenant_id]",
        viewonly=True,
        lazy="raise",
    )


class WorkshopSeries(TenantScoped, db.Model):
    """What a workshop series adds to its process: the preparatory material sent with the invitations."""

    __tablename__ = "workshop_series"
    tenant_table_args = (tenant_fk("process_id", "process"), UniqueConstraint("tenant_id", "process_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column()
    preparation: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Theme(TenantScoped, db.Model):
    """A theme of the series, written as an innovation question: it addresses a need,
    holds a vision and contains no solution."""

    __tablename__ = "workshop_theme"
    tenant_table_args = (tenant_fk("process_id", "process"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    area: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)


class Workshop(TenantScoped, db.Model):
    """Workshop 1 or 2 of a series. Its time and place are those of its core activity."""

    __tablename__ = "workshop"
    tenant_table_args = (
        tenant_fk("process_id", "process"),
        UniqueConstraint("tenant_id", "process_id", "number"),
        CheckConstraint("number IN (1, 2)", name="number"),
        CheckConstraint("rotations BETWEEN 0 AND 12", name="rotations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    number: Mapped[int] = mapped_column()
    activity_id: Mapped[int | None] = mapped_column()  # the core activity (kind "workshop"); not a key
    rotations: Mapped[int] = mapped_column(default=1)  # forced rotations after the first sitting
    current_round: Mapped[int] = mapped_column(default=0)  # 0 = the first sitting
    status: Mapped[str] = mapped_column(String(16), default="planned")  # planned | running | held
    held_at: Mapped[datetime | None]
    invited_sequence: Mapped[int | None] = mapped_column()  # the activity version invitations went out for


class WorkshopTable(TenantScoped, db.Model):
    """A table (group) of a workshop: a theme and a facilitator who stays at it."""

    __tablename__ = "workshop_table"
    tenant_table_args = (
        tenant_fk("workshop_id", "workshop"),
        tenant_fk("theme_id", "workshop_theme", ondelete=None),
        tenant_fk("facilitator_id", "participant", ondelete=None),
        CheckConstraint("seats BETWEEN 1 AND 40", name="seats"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(80))
    theme_id: Mapped[int | None] = mapped_column()
    facilitator_id: Mapped[int | None] = mapped_column()
    seats: Mapped[int] = mapped_column(default=8)  # for participants; the facilitator has a chair of their own
    position: Mapped[int] = mapped_column(default=0)

    facilitator = _participant("WorkshopTable", "facilitator_id")


class Attendance(TenantScoped, db.Model):
    """One participant and one workshop: invited, their answer, and whether they came."""

    __tablename__ = "workshop_attendance"
    tenant_table_args = (
        tenant_fk("workshop_id", "workshop"),
        tenant_fk("participant_id", "participant", ondelete=None),
        UniqueConstraint("tenant_id", "workshop_id", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(index=True)
    participant_id: Mapped[int] = mapped_column(index=True)
    invited_at: Mapped[datetime | None]  # when the invitation was sent
    response: Mapped[str | None] = mapped_column(String(8))  # yes | no
    responded_at: Mapped[datetime | None]
    presence: Mapped[str | None] = mapped_column(String(8))  # present | absent, at the door
    arrived_late: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participant = _participant("Attendance", "participant_id")

    @property
    def in_room(self) -> bool:
        """Counted in the room: here, or coming and not yet checked in."""
        return self.presence == "present" or (self.presence is None and self.response == "yes")


class Placement(TenantScoped, db.Model):
    """Where a participant sits in one round (0 = the first sitting, then each rotation)."""

    __tablename__ = "workshop_placement"
    tenant_table_args = (
        tenant_fk("workshop_id", "workshop"),
        tenant_fk("table_id", "workshop_table"),
        tenant_fk("participant_id", "participant", ondelete=None),
        UniqueConstraint("tenant_id", "workshop_id", "round", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(index=True)
    round: Mapped[int] = mapped_column()
    table_id: Mapped[int] = mapped_column(index=True)
    participant_id: Mapped[int] = mapped_column()


class Need(TenantScoped, db.Model):
    """A need or bottleneck a table found; the table prioritises which ones to solve."""

    __tablename__ = "workshop_need"
    tenant_table_args = (tenant_fk("workshop_id", "workshop"), tenant_fk("table_id", "workshop_table"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(index=True)
    table_id: Mapped[int] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(Text)
    prioritised: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Solution(TenantScoped, db.Model):
    """An idea for a need, developed into a solution (challenge, measure, effect), picked by
    its table for the plenary, sharpened and reality-checked in workshop 2."""

    __tablename__ = "workshop_solution"
    tenant_table_args = (
        tenant_fk("process_id", "process"),
        tenant_fk("table_id", "workshop_table"),
        tenant_fk("need_id", "workshop_need"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    table_id: Mapped[int] = mapped_column(index=True)
    need_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)  # the idea, in the table's words
    measure: Mapped[str | None] = mapped_column(Text)  # tiltak: what is done
    effect: Mapped[str | None] = mapped_column(Text)  # effekt: what it gives the target group
    key_resources: Mapped[str | None] = mapped_column(Text)  # nøkkelressurser
    picked_at: Mapped[datetime | None]  # sent to the plenary by its table
    chosen_at: Mapped[datetime | None]  # went on after the plenary vote (homework follows)
    sharpened: Mapped[str | None] = mapped_column(Text)  # workshop 2: the solution made concrete
    rules_check: Mapped[str | None] = mapped_column(String(8))  # ok | partly | not
    rules_note: Mapped[str | None] = mapped_column(Text)
    budget_check: Mapped[str | None] = mapped_column(String(8))
    budget_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Homework(TenantScoped, db.Model):
    """Checking a chosen solution out before workshop 2: an owner, specific questions and a due date."""

    __tablename__ = "workshop_homework"
    tenant_table_args = (
        tenant_fk("solution_id", "workshop_solution"),
        tenant_fk("owner_id", "participant", ondelete=None),
        UniqueConstraint("tenant_id", "solution_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    solution_id: Mapped[int] = mapped_column()
    owner_id: Mapped[int] = mapped_column(index=True)
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_date: Mapped[date] = mapped_column()
    activity_id: Mapped[int | None] = mapped_column()  # the core task; not a key
    reminded_on: Mapped[date | None]
    findings: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    presented_at: Mapped[datetime | None]  # in workshop 2
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner = _participant("Homework", "owner_id")


class Summary(TenantScoped, db.Model):
    """The summary of a workshop as it was sent: once, to everyone who took part."""

    __tablename__ = "workshop_summary"
    tenant_table_args = (tenant_fk("workshop_id", "workshop"), UniqueConstraint("tenant_id", "workshop_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)  # the organiser's own words at the top
    body: Mapped[str | None] = mapped_column(Text)  # the text sent, kept as it was
    requested_at: Mapped[datetime | None]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None]
    recipients: Mapped[int] = mapped_column(default=0)


class Pilot(TenantScoped, db.Model):
    """A solution tested in practice: owner, time and first activity (the action plan),
    rounds of testing, and a decision: adjust, scale or drop."""

    __tablename__ = "workshop_pilot"
    tenant_table_args = (
        tenant_fk("process_id", "process"),
        tenant_fk("solution_id", "workshop_solution"),
        tenant_fk("owner_id", "participant", ondelete=None),
        UniqueConstraint("tenant_id", "solution_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    solution_id: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column()
    starts_on: Mapped[date] = mapped_column()
    first_activity: Mapped[str] = mapped_column(String(200))
    activity_id: Mapped[int | None] = mapped_column()  # the core task; not a key
    target_result: Mapped[str | None] = mapped_column(Text)  # what result for the target group shows it works
    status: Mapped[str] = mapped_column(String(16), default="planned")
    decided_at: Mapped[datetime | None]  # when it was scaled or dropped
    evaluation: Mapped[str | None] = mapped_column(Text)  # results for the target group
    reached: Mapped[int | None] = mapped_column()  # people in the target group it reached
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner = _participant("Pilot", "owner_id")


class PilotRound(TenantScoped, db.Model):
    """One round of testing a pilot: what was tried, what was found, and what was decided."""

    __tablename__ = "workshop_pilot_round"
    tenant_table_args = (tenant_fk("pilot_id", "workshop_pilot"), UniqueConstraint("tenant_id", "pilot_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(index=True)
    number: Mapped[int] = mapped_column()
    started_on: Mapped[date] = mapped_column()
    ended_on: Mapped[date | None]
    tested: Mapped[str] = mapped_column(Text)
    findings: Mapped[str | None] = mapped_column(Text)
    reached: Mapped[int | None] = mapped_column()
    decision: Mapped[str | None] = mapped_column(String(8))  # adjust | scale | drop
    reason: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None]


MODELS = [WorkshopSeries, Theme, Workshop, WorkshopTable, Attendance, Placement, Need, Solution, Homework, Summary,
          Pilot, PilotRound]
