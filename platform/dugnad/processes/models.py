"""A municipality's processes: phases (reorderable, with the participation ladder),
moves between phases (forward and back, kept as history), activities, decisions,
checklists, who takes part, and the stakeholder analysis (interessentanalyse)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dugnad.extensions import db
from dugnad.tenancy import TenantScoped, tenant_fk
from dugnad.clock import utcnow

# Medvirkningstrappa (seed 000): how far the public is involved.
LADDER = {
    1: _l("Information"),
    2: _l("Dialogue"),
    3: _l("Cooperation"),
    4: _l("Co-determination"),
    5: _l("Decision"),
}
ACTIVITY_KINDS = {"meeting": _l("Meeting"), "workshop": _l("Workshop"), "task": _l("Task")}
ACTIVITY_STATUSES = {"planned": _l("Planned"), "in_progress": _l("In progress"), "done": _l("Done"), "cancelled": _l("Cancelled")}
PROCESS_ROLES = {
    "owner": _l("Process owner"),
    "steering_group": _l("Steering group"),
    "working_group": _l("Working group"),
    "participant": _l("Participant"),
}
# The process checklist of seed 000: open–close, the human factor, reflect–document–evaluate.
CHECKLIST_KINDS = {
    "open_close": _l("Open and close"),
    "human_factor": _l("The human factor"),
    "reflect": _l("Reflect"),
    "document": _l("Document"),
    "evaluate": _l("Evaluate"),
}
DEFAULT_CHECKLIST = (
    ("open_close", _l("Open the phase: agree what it must deliver and who does what")),
    ("human_factor", _l("Celebrate progress and thank those who took part")),
    ("reflect", _l("Reflect together: what worked, what did not")),
    ("document", _l("Document what was decided and learnt")),
    ("evaluate", _l("Evaluate against the desired result, then close the phase")),
)
STAKEHOLDER_GROUPS = {"primary": _l("Primary"), "secondary": _l("Secondary")}
EFFECTS = {"negative": _l("Negative"), "neutral": _l("Neutral"), "positive": _l("Positive")}
AFFECTED = {"neutral": _l("Neutral"), "some": _l("Some"), "much": _l("Much")}


class Process(TenantScoped, db.Model):
    __tablename__ = "process"
    tenant_table_args = (tenant_fk("current_phase_id", "phase", ondelete=None, use_alter=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_key: Mapped[str | None] = mapped_column(String(63))  # which template it started from
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | paused | closed
    current_phase_id: Mapped[int | None] = mapped_column()
    stakeholder_conclusion: Mapped[str | None] = mapped_column(Text)  # step 5: how the analysis changes the project
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    phases: Mapped[list["Phase"]] = relationship(
        primaryjoin="and_(Process.id == Phase.process_id, Process.tenant_id == Phase.tenant_id)",
        foreign_keys="[Phase.process_id, Phase.tenant_id]",
        order_by="Phase.position",
        viewonly=True,
    )


class Phase(TenantScoped, db.Model):
    __tablename__ = "phase"
    tenant_table_args = (
        tenant_fk("process_id", "process"),
        CheckConstraint("ladder_level BETWEEN 1 AND 5", name="ladder_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str | None] = mapped_column(String(63))  # the template phase it came from
    name: Mapped[str] = mapped_column(String(200))
    desired_result: Mapped[str | None] = mapped_column(Text)  # ønsket resultat: what the phase must deliver
    suggested_measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    key_questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    responsible_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    ladder_level: Mapped[int] = mapped_column(default=1)


class PhaseMove(TenantScoped, db.Model):
    """A change of the current phase, forward or back, with the reason. Names are
    copied so the history stays readable after a phase is renamed or removed."""

    __tablename__ = "phase_move"
    tenant_table_args = (tenant_fk("process_id", "process"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    from_phase_id: Mapped[int | None] = mapped_column()  # not a key: the phase may be gone
    to_phase_id: Mapped[int | None] = mapped_column()
    from_name: Mapped[str | None] = mapped_column(String(200))
    to_name: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(8))  # start | forward | back
    reason: Mapped[str] = mapped_column(Text)
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    moved_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChecklistItem(TenantScoped, db.Model):
    __tablename__ = "phase_checklist_item"
    tenant_table_args = (tenant_fk("phase_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class Activity(TenantScoped, db.Model):
    """A meeting, workshop or task in a phase, with an owner from the participant register."""

    __tablename__ = "activity"
    tenant_table_args = (
        tenant_fk("process_id", "process"),
        tenant_fk("phase_id", "phase"),
        tenant_fk("owner_id", "participant", ondelete=None),
        CheckConstraint("ladder_level IS NULL OR ladder_level BETWEEN 1 AND 5", name="ladder_level"),
        Index("ix_activity_due", "tenant_id", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    phase_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16), default="task")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column()
    due_date: Mapped[date | None]
    starts_at: Mapped[datetime | None]  # meetings and workshops (local time, Europe/Oslo)
    ends_at: Mapped[datetime | None]
    location: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    ladder_level: Mapped[int | None] = mapped_column()  # None: as its phase
    sequence: Mapped[int] = mapped_column(default=0)  # iCal SEQUENCE: bumped when a meeting changes
    reminded_on: Mapped[date | None]  # last overdue reminder, so one goes out per day at most
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner = relationship(
        "Participant",
        primaryjoin="and_(Activity.owner_id == Participant.id, Activity.tenant_id == Participant.tenant_id)",
        foreign_keys="[Activity.owner_id, Activity.tenant_id]",
        viewonly=True,
        lazy="raise",
    )


class Decision(TenantScoped, db.Model):
    """The process's decision log."""

    __tablename__ = "decision"
    tenant_table_args = (tenant_fk("process_id", "process"), tenant_fk("phase_id", "phase", ondelete=None))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    phase_id: Mapped[int | None] = mapped_column()
    decided_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))  # e.g. "kommunestyret"
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessParticipant(TenantScoped, db.Model):
    """A participant's role in a process."""

    __tablename__ = "process_participant"
    tenant_table_args = (
        tenant_fk("process_id", "process"),
        tenant_fk("participant_id", "participant"),
        UniqueConstraint("tenant_id", "process_id", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    participant_id: Mapped[int] = mapped_column(index=True)
    role: Mapped[str] = mapped_column(String(32), default="participant")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participant = relationship(
        "Participant",
        primaryjoin="and_(ProcessParticipant.participant_id == Participant.id, "
        "ProcessParticipant.tenant_id == Participant.tenant_id)",
        foreign_keys="[ProcessParticipant.participant_id, ProcessParticipant.tenant_id]",
        viewonly=True,
        lazy="raise",
    )


class StakeholderEntry(TenantScoped, db.Model):
    """One row of a process's stakeholder analysis (seed 003, figure 5): a stakeholder
    (a participant, or a category not yet in the register), grouped primary or
    secondary, their role, primary need, biggest benefits and costs, overall effect
    and how much the result goal affects them."""

    __tablename__ = "stakeholder_entry"
    tenant_table_args = (
        tenant_fk("process_id", "process"),
        tenant_fk("participant_id", "participant", ondelete=None),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    participant_id: Mapped[int | None] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))  # the stakeholder as written in the analysis
    category: Mapped[str] = mapped_column(String(32))
    grouping: Mapped[str] = mapped_column(String(16), default="primary")  # primary | secondary
    role: Mapped[str | None] = mapped_column(Text)
    need: Mapped[str | None] = mapped_column(Text)
    benefits: Mapped[str | None] = mapped_column(Text)
    costs: Mapped[str | None] = mapped_column(Text)
    overall_effect: Mapped[str | None] = mapped_column(String(16))  # negative | neutral | positive
    affected: Mapped[str | None] = mapped_column(String(16))  # neutral | some | much
    position: Mapped[int] = mapped_column(default=0)
