"""Recruitment tracks (rekrutteringsspor) of one municipality.

Two halves. *Designing* a track (seed 004's innovation seminars): target groups
with their needs, personas, solutions tied to one of the four tracks with who does
what and a 3 days / 3 weeks / 3 months plan, and the *Enkla jobb* worksheet.
*Running* it (the Bærum case): openings in units, candidates moving through the
stages, placements with their funding, mentor meetings and outcomes.

Candidates are the most sensitive data on the platform. Their special-category
fields (health, substance use, criminal record) live in a table of their own,
``recruitment_candidate_sensitive``, read only on purpose and logged. Every table
is tenant-owned; every unique constraint includes ``tenant_id``; every reference
between them is the composite ``(tenant_id, x_id)``, and nothing is looked up by a
token that would have to be unique across municipalities.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dugnad.sdk import TenantScoped, db, tenant_fk, utcnow

# --- fixed vocabularies -------------------------------------------------------------------------

# The four innovation tracks of seed 004 (spor 1–4).
TRACK_KINDS = {
    "life_experience": _l("New positions where life experience is the qualification"),
    "simple_jobs": _l("New simple jobs split out of existing work (Enkla jobb)"),
    "enterprise": _l("A new municipal enterprise"),
    "qualification": _l("New qualification paths (trainee; hire for attitude, train for skills)"),
}
TRACK_SHORT = {
    "life_experience": _l("Life experience"),
    "simple_jobs": _l("Enkla jobb"),
    "enterprise": _l("Municipal enterprise"),
    "qualification": _l("Qualification path"),
}

OPENING_KINDS = {
    "practice": _l("Work practice"),
    "temporary": _l("Temporary job"),
    "trainee": _l("Trainee"),
    "permanent": _l("Permanent job"),
}

# The road in, in order; "ended" can be reached from any stage.
STAGES = {
    "mapping": _l("Mapping"),
    "practice": _l("Work practice"),
    "temporary": _l("Temporary job"),
    "permanent": _l("Permanent job"),
    "ended": _l("Ended"),
}
STAGE_ORDER = ("mapping", "practice", "temporary", "permanent")

LEGAL_BASES = {
    "consent": _l("Consent from the candidate (GDPR art. 6(1)(a) and 9(2)(a))"),
    "employment": _l("Employment and follow-up in work (GDPR art. 6(1)(b) and 9(2)(b))"),
    "public_task": _l("Public task with NAV (GDPR art. 6(1)(e), NAV Act § 14 a)"),
}

FUNDING_KINDS = {
    "work_practice": _l("NAV work practice"),
    "wage_subsidy": _l("NAV temporary wage subsidy"),
    "none": _l("Paid by the unit"),
}

OUTCOME_MONTHS = (6, 12, 24)
OUTCOME_STATUSES = {
    "in_work": _l("In work"),
    "in_education": _l("In education"),
    "neither": _l("Neither in work nor in education"),
}

REMINDER_KINDS = {
    "step_down": _l("Funding steps down"),
    "funding_end": _l("Funding ends"),
    "outcome": _l("Outcome due"),
}

PLAN_HORIZONS = {"3d": _l("3 days"), "3w": _l("3 weeks"), "3m": _l("3 months")}
HORIZON_DAYS = {"3d": 3, "3w": 21, "3m": 91}

SENSITIVE_FIELDS = {
    "health": _l("Health"),
    "substance_use": _l("Substance use"),
    "criminal_record": _l("Criminal record"),
}


def _fk(column: str, table: str, ondelete: str | None = "CASCADE") -> object:
    return tenant_fk(column, table, ondelete=ondelete)


# --- designing a track ----------------------------------------------------------------------------


class TargetGroup(TenantScoped, db.Model):
    """A group of people outside working life the municipality wants to reach (seed 004's A, B, D …)."""

    __tablename__ = "recruitment_target_group"
    tenant_table_args = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    needs: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)


class Persona(TenantScoped, db.Model):
    """A short, made-up story of one person in a target group (no real person's data)."""

    __tablename__ = "recruitment_persona"
    tenant_table_args = (_fk("target_group_id", "recruitment_target_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_group_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(120))
    story: Mapped[str] = mapped_column(Text)
    resources: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[str | None] = mapped_column(Text)


class Track(TenantScoped, db.Model):
    """A recruitment track: one of the four kinds, designed in a process and then run."""

    __tablename__ = "recruitment_track"
    tenant_table_args = (
        UniqueConstraint("tenant_id", "name"),
        _fk("process_id", "process", ondelete=None),
        _fk("target_group_id", "recruitment_target_group", ondelete=None),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    description: Mapped[str | None] = mapped_column(Text)
    target_group_id: Mapped[int | None] = mapped_column()
    process_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Solution(TenantScoped, db.Model):
    """A solution from workshop 2 (e.g. D1 trainee path): who does what, and the road in."""

    __tablename__ = "recruitment_solution"
    tenant_table_args = (
        _fk("track_id", "recruitment_track"),
        _fk("target_group_id", "recruitment_target_group", ondelete=None),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(24))
    code: Mapped[str | None] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    target_group_id: Mapped[int | None] = mapped_column()
    who_does_what: Mapped[str | None] = mapped_column(Text)
    road_in: Mapped[str | None] = mapped_column(Text)
    plan_starts_on: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanItem(TenantScoped, db.Model):
    """One line of a solution's 3 days / 3 weeks / 3 months plan; it is an activity of the process."""

    __tablename__ = "recruitment_plan_item"
    tenant_table_args = (
        _fk("solution_id", "recruitment_solution"),
        _fk("activity_id", "activity", ondelete="SET NULL"),
        Index("ix_recruitment_plan_item_solution", "tenant_id", "solution_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    solution_id: Mapped[int] = mapped_column()
    horizon: Mapped[str] = mapped_column(String(4))
    text: Mapped[str] = mapped_column(String(200))
    activity_id: Mapped[int | None] = mapped_column()


class Worksheet(TenantScoped, db.Model):
    """The Enkla jobb worksheet of one unit: its tasks, and the job they bundle into."""

    __tablename__ = "recruitment_worksheet"
    tenant_table_args = (_fk("track_id", "recruitment_track", ondelete=None),)

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int | None] = mapped_column()
    unit: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    job_summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorksheetTask(TenantScoped, db.Model):
    __tablename__ = "recruitment_worksheet_task"
    tenant_table_args = (
        _fk("worksheet_id", "recruitment_worksheet"),
        CheckConstraint("hours_per_week >= 0 AND hours_per_week <= 40", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worksheet_id: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(String(300))
    simple: Mapped[bool] = mapped_column(default=False)
    repeatable: Mapped[bool] = mapped_column(default=False)
    hours_per_week: Mapped[float] = mapped_column(default=0)
    bundled: Mapped[bool] = mapped_column(default=False)


# --- running a track --------------------------------------------------------------------------------


class Opening(TenantScoped, db.Model):
    """A place a unit offers: its kind, start, length, a named leader and a mentor."""

    __tablename__ = "recruitment_opening"
    tenant_table_args = (
        _fk("track_id", "recruitment_track"),
        CheckConstraint("months > 0 AND months <= 60", name="months"),
        Index("ix_recruitment_opening_track", "tenant_id", "track_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column()
    unit: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date] = mapped_column()
    months: Mapped[int] = mapped_column()
    leader_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    monthly_wage: Mapped[int | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Candidate(TenantScoped, db.Model):
    """A person on a track. Deleting (or the retention job) anonymises: the row, its stages,
    placements and outcomes stay for the statistics, nothing about the person does."""

    __tablename__ = "recruitment_candidate"
    tenant_table_args = (
        _fk("track_id", "recruitment_track"),
        _fk("participant_id", "participant", ondelete="SET NULL"),
        Index("ix_recruitment_candidate_track_stage", "tenant_id", "track_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    background: Mapped[str | None] = mapped_column(Text)  # education, languages, work experience: not special-category
    stage: Mapped[str] = mapped_column(String(16), default="mapping")
    stage_since: Mapped[date] = mapped_column()
    legal_basis: Mapped[str] = mapped_column(String(16))
    consent_on: Mapped[date | None] = mapped_column()
    participant_id: Mapped[int | None] = mapped_column()
    started_on: Mapped[date | None] = mapped_column()  # the first placement's start: outcomes count from here
    ended_on: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    anonymised_at: Mapped[datetime | None] = mapped_column()


class CandidateSensitive(TenantScoped, db.Model):
    """Special-category data (GDPR art. 9 and 10), apart from the record: read only on purpose."""

    __tablename__ = "recruitment_candidate_sensitive"
    tenant_table_args = (
        UniqueConstraint("tenant_id", "candidate_id"),
        _fk("candidate_id", "recruitment_candidate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column()
    health: Mapped[str | None] = mapped_column(Text)
    substance_use: Mapped[str | None] = mapped_column(Text)
    criminal_record: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class StageChange(TenantScoped, db.Model):
    """One move on the road in, with its date and reason: the candidate's timeline."""

    __tablename__ = "recruitment_stage_change"
    tenant_table_args = (
        _fk("candidate_id", "recruitment_candidate"),
        Index("ix_recruitment_stage_change_candidate", "tenant_id", "candidate_id", "changed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column()
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(12))  # start | forward | skip | back | end | restart
    changed_on: Mapped[date] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Placement(TenantScoped, db.Model):
    """A candidate in an opening from one day to another, with their leader and mentor.
    The leader and mentor see this candidate — and only while the placement lasts."""

    __tablename__ = "recruitment_placement"
    tenant_table_args = (
        _fk("candidate_id", "recruitment_candidate"),
        _fk("opening_id", "recruitment_opening"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
        Index("ix_recruitment_placement_candidate", "tenant_id", "candidate_id", "starts_on"),
        Index("ix_recruitment_placement_leader", "tenant_id", "leader_id"),
        Index("ix_recruitment_placement_mentor", "tenant_id", "mentor_id"),
        Index("ix_recruitment_placement_opening", "tenant_id", "opening_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column()
    opening_id: Mapped[int] = mapped_column()
    starts_on: Mapped[date] = mapped_column()
    ends_on: Mapped[date] = mapped_column()
    leader_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    mentor_name: Mapped[str | None] = mapped_column(String(200))  # a mentor without an account (a volunteer)
    monthly_wage: Mapped[int | None] = mapped_column()  # the unit's full monthly wage cost, NOK
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FundingRule(TenantScoped, db.Model):
    """NAV's rules as data the municipality can correct: a rate, when it steps down and to
    what, and the longest it lasts (seeded with NAV's 40 % / 60 % wage subsidy and work practice)."""

    __tablename__ = "recruitment_funding_rule"
    tenant_table_args = (
        UniqueConstraint("tenant_id", "name"),
        CheckConstraint("rate >= 0 AND rate <= 100", name="rate"),
        CheckConstraint("stepped_rate IS NULL OR (stepped_rate >= 0 AND stepped_rate <= rate)", name="stepped_rate"),
        CheckConstraint("max_months > 0", name="max_months"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    rate: Mapped[int] = mapped_column()  # percent of the wage NAV pays
    step_after_months: Mapped[int | None] = mapped_column()
    stepped_rate: Mapped[int | None] = mapped_column()
    max_months: Mapped[int] = mapped_column()
    warn_days: Mapped[int] = mapped_column(default=30)  # how long ahead of a step-down or end to warn
    active: Mapped[bool] = mapped_column(default=True)


class Funding(TenantScoped, db.Model):
    """How a placement is paid: by which rule, at what rate, from and to when, and when it steps down."""

    __tablename__ = "recruitment_funding"
    tenant_table_args = (
        _fk("placement_id", "recruitment_placement"),
        _fk("rule_id", "recruitment_funding_rule", ondelete=None),
        CheckConstraint("ends_on >= starts_on", name="dates"),
        Index("ix_recruitment_funding_placement", "tenant_id", "placement_id"),
        Index("ix_recruitment_funding_ends", "tenant_id", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column()
    rule_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(16))
    rate: Mapped[int] = mapped_column()
    starts_on: Mapped[date] = mapped_column()
    ends_on: Mapped[date] = mapped_column()
    step_down_on: Mapped[date | None] = mapped_column()
    stepped_rate: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reminder(TenantScoped, db.Model):
    """A warning sent once: the unique key makes a replayed job (or a retried one) do nothing twice."""

    __tablename__ = "recruitment_reminder"
    tenant_table_args = (
        UniqueConstraint("tenant_id", "kind", "subject_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column()  # a funding (step_down, funding_end) or an outcome
    due_on: Mapped[date] = mapped_column()
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class Outcome(TenantScoped, db.Model):
    """Where the candidate is 6, 12 and 24 months after starting."""

    __tablename__ = "recruitment_outcome"
    tenant_table_args = (
        UniqueConstraint("tenant_id", "candidate_id", "months"),
        _fk("candidate_id", "recruitment_candidate"),
        Index("ix_recruitment_outcome_due", "tenant_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column()
    months: Mapped[int] = mapped_column()
    due_on: Mapped[date] = mapped_column()
    status: Mapped[str | None] = mapped_column(String(16))
    employer: Mapped[str | None] = mapped_column(String(200))
    permanent: Mapped[bool | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None] = mapped_column()
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class MentorMeeting(TenantScoped, db.Model):
    """A meeting between the candidate and their mentor (no special-category notes here)."""

    __tablename__ = "recruitment_mentor_meeting"
    tenant_table_args = (
        _fk("candidate_id", "recruitment_candidate"),
        Index("ix_recruitment_mentor_meeting_candidate", "tenant_id", "candidate_id", "met_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column()
    met_on: Mapped[date] = mapped_column()
    summary: Mapped[str] = mapped_column(Text)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


MODELS = [TargetGroup, Persona, Track, Solution, PlanItem, Worksheet, WorksheetTask, Opening, Candidate,
          CandidateSensitive, StageChange, Placement, FundingRule, Funding, Reminder, Outcome, MentorMeeting]
