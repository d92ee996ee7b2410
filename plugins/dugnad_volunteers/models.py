"""The volunteer resource bank (ressursbank av frivillige) of one municipality.

Volunteers register themselves, are reviewed and approved by the volunteer
coordinator, carry languages, qualifications and — per role — a record that a
police certificate (politiattest) was shown. Needs are matched to them, they are
asked and answer by link, and the work is recorded in hours. Events keep them
"warm". Every table is tenant-owned; references between them are composite keys.

Indexes are chosen for matching among a hundred thousand volunteers: the hard
rules (language, certificate for the role, qualification) each start from an index
on ``(tenant_id, <what>, …, volunteer_id)``; the ranking only reads the volunteer's
own row plus small, indexed look-ups of recent assignments.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from dugnad.sdk import db, tenant_fk, TenantScoped, utcnow

# --- fixed vocabularies -----------------------------------------------------------------

STATUSES = {
    "unconfirmed": _l("E-mail not confirmed"),
    "pending": _l("Waiting for review"),
    "more_info": _l("Asked for more information"),
    "approved": _l("Approved"),
    "rejected": _l("Not approved"),
}

# ISO 639 codes (prs: Dari). Norwegian first; then the languages most asked for.
LANGUAGES = {
    "no": _l("Norwegian"),
    "en": _l("English"),
    "ar": _l("Arabic"),
    "ti": _l("Tigrinya"),
    "so": _l("Somali"),
    "prs": _l("Dari"),
    "fa": _l("Persian (Farsi)"),
    "ps": _l("Pashto"),
    "uk": _l("Ukrainian"),
    "ru": _l("Russian"),
    "pl": _l("Polish"),
    "lt": _l("Lithuanian"),
    "ku": _l("Kurdish"),
    "am": _l("Amharic"),
    "om": _l("Oromo"),
    "sw": _l("Swahili"),
    "fr": _l("French"),
    "es": _l("Spanish"),
    "de": _l("German"),
    "tr": _l("Turkish"),
    "ur": _l("Urdu"),
    "ta": _l("Tamil"),
    "th": _l("Thai"),
    "vi": _l("Vietnamese"),
    "my": _l("Burmese"),
    "rw": _l("Kinyarwanda"),
    "nsl": _l("Norwegian sign language"),
}
LEVELS = {1: _l("A little"), 2: _l("Good"), 3: _l("Fluent"), 4: _l("Mother tongue")}

# Availability: seven days × three parts of the day, one bit each (bit = day * 3 + part).
DAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))
PARTS = (_l("Morning"), _l("Afternoon"), _l("Evening"))
PART_HOURS = ((0, 12), (12, 17), (17, 24))  # morning until noon, afternoon until five
# The 21 slots in words, as a sentence needs them ("free on Thursday morning"), bit by bit.
SLOT_LABELS = (
    _l("Monday morning"), _l("Monday afternoon"), _l("Monday evening"),
    _l("Tuesday morning"), _l("Tuesday afternoon"), _l("Tuesday evening"),
    _l("Wednesday morning"), _l("Wednesday afternoon"), _l("Wednesday evening"),
    _l("Thursday morning"), _l("Thursday afternoon"), _l("Thursday evening"),
    _l("Friday morning"), _l("Friday afternoon"), _l("Friday evening"),
    _l("Saturday morning"), _l("Saturday afternoon"), _l("Saturday evening"),
    _l("Sunday morning"), _l("Sunday afternoon"), _l("Sunday evening"),
)
FREQUENCIES = {
    "monthly": _l("About once a month"),
    "few_monthly": _l("A few times a month"),
    "weekly": _l("Every week"),
    "now_and_then": _l("Now and then, when it suits me"),
}

# Qualifications the coordinator records (from documents seen); a need may require one.
QUALIFICATION_KINDS = {
    "first_aid": _l("First aid course"),
    "driving_licence": _l("Driving licence (class B)"),
    "health_personnel": _l("Authorised health personnel"),
    "interpreter": _l("Qualified interpreter"),
    "childcare": _l("Training in work with children"),
    "other": _l("Other qualification"),
}
REQUIRABLE_QUALIFICATIONS = {k: v for k, v in QUALIFICATION_KINDS.items() if k != "other"}

# Who a role gives trust or responsibility towards (politiregisterloven § 39 first paragraph).
WORKS_WITH = {
    "minors": _l("minors (under 18)"),
    "disabilities": _l("people with intellectual disabilities"),
    "both": _l("minors and people with intellectual disabilities"),
}

TARGET_GROUPS = {
    "children": _l("Children and young people"),
    "unaccompanied": _l("Unaccompanied minors"),
    "refugees": _l("Refugees and immigrants"),
    "families": _l("Families"),
    "elderly": _l("Older people"),
    "disabilities": _l("People with disabilities"),
    "everyone": _l("Everyone"),
}

NEED_STATUSES = {"open": _l("Open"), "filled": _l("Filled"), "done": _l("Done"), "cancelled": _l("Cancelled")}
ASSIGNMENT_STATUSES = {
    "asked": _l("Asked, no answer yet"),
    "accepted": _l("Said yes"),
    "declined": _l("Said no"),
    "not_needed": _l("No longer needed"),
    "withdrawn": _l("Cancelled"),
    "done": _l("Done"),
}
EVENT_KINDS = {"social": _l("Social"), "training": _l("Training")}
INVITATION_STATUSES = {"invited": _l("Invited"), "going": _l("Coming"), "not_going": _l("Not coming")}


def _volunteer_fk() -> object:
    return tenant_fk("volunteer_id", "volunteer")


# --- configuration of the bank ----------------------------------------------------------------


class ConsentText(TenantScoped, db.Model):
    """A version of the consent text volunteers agree to. Versions are never changed:
    a new wording is a new version, and each volunteer keeps the version they agreed to."""

    __tablename__ = "volunteer_consent_text"
    tenant_table_args = (UniqueConstraint("tenant_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class Role(TenantScoped, db.Model):
    """A kind of task volunteers do, such as "escort for an unaccompanied minor".

    ``revision`` goes up when what the role gives trust over changes; a police
    certificate recorded for an older revision no longer counts (a changed role
    asks for a new one)."""

    __tablename__ = "volunteer_role"
    tenant_table_args = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    requires_certificate: Mapped[bool] = mapped_column(default=False)
    works_with: Mapped[str | None] = mapped_column(String(16))  # WORKS_WITH, when a certificate is required
    purpose: Mapped[str | None] = mapped_column(Text)  # the tasks, as written on the purpose confirmation
    revision: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revised_at: Mapped[datetime | None]


class Area(TenantScoped, db.Model):
    """A part of the municipality volunteers can help in (a district or village)."""

    __tablename__ = "volunteer_area"
    tenant_table_args = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


# --- the volunteer ----------------------------------------------------------------------------


class Volunteer(TenantScoped, db.Model):
    """A person in the bank. Deleting anonymises: the row stays (so assignments,
    hours and statistics stay) but nothing about the person does."""

    __tablename__ = "volunteer"
    tenant_table_args = (
        UniqueConstraint("tenant_id", "email"),
        tenant_fk("consent_text_id", "volunteer_consent_text", ondelete=None),
        Index("ix_volunteer_status", "tenant_id", "status", "anonymised_at"),
        # matching: those who can be asked, longest waiting first (the ranking's tie order),
        # with what the hard rules and the best score read, so neither needs the table
        Index("ix_volunteer_waiting", "tenant_id", text("last_task_on NULLS FIRST"), "id",
              postgresql_include=["availability", "anywhere", "paused_at", "paused_until"],
              postgresql_where=text("status = 'approved' AND anonymised_at IS NULL")).ddl_if(dialect="postgresql"),
        Index("ix_volunteer_regional", "regional_consent_at"),
        CheckConstraint("availability >= 0", name="availability"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="unconfirmed")
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))  # lower-case; None once anonymised
    birth_date: Mapped[date | None]
    locale: Mapped[str] = mapped_column(String(8), default="nb")  # the language they registered in, for e-mail
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    guardian_email: Mapped[str | None] = mapped_column(String(254))
    guardian_confirmed_at: Mapped[datetime | None]
    formal_competence: Mapped[str | None] = mapped_column(Text)  # education, profession, certificates
    informal_competence: Mapped[str | None] = mapped_column(Text)  # what they are good at (realkompetanse)
    availability: Mapped[int] = mapped_column(default=0)  # bits of DAYS × PARTS
    frequency: Mapped[str | None] = mapped_column(String(16))
    anywhere: Mapped[bool] = mapped_column(default=False)  # can help anywhere in the municipality
    consent_text_id: Mapped[int | None] = mapped_column()
    consented_at: Mapped[datetime | None]
    regional_consent_at: Mapped[datetime | None]  # may be found by neighbouring municipalities
    email_confirmed_at: Mapped[datetime | None]
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    review_message: Mapped[str | None] = mapped_column(Text)  # the question or reason last sent
    approved_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    paused_until: Mapped[date | None]  # None while paused: until they resume
    last_task_on: Mapped[date | None]
    last_active_at: Mapped[datetime] = mapped_column(default=utcnow)
    idle_since: Mapped[date | None]
    retention_warned_at: Mapped[datetime | None]
    link_version: Mapped[int] = mapped_column(default=1)  # raising it retires every self-service link sent
    anonymised_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def display_name(self) -> str:
        if self.anonymised_at is not None:
            return str(_l("Deleted volunteer no. %(id)s", id=self.id))
        return self.name

    @property
    def first_name(self) -> str:
        return (self.name or "").split(" ", 1)[0]

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))

    def is_paused(self, day: date) -> bool:
        return self.paused_at is not None and (self.paused_until is None or self.paused_until >= day)


class VolunteerLanguage(TenantScoped, db.Model):
    __tablename__ = "volunteer_language"
    tenant_table_args = (
        _volunteer_fk(),
        UniqueConstraint("tenant_id", "volunteer_id", "language"),
        Index("ix_volunteer_language_match", "tenant_id", "language", "level", "volunteer_id"),
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(String(8))
    level: Mapped[int] = mapped_column()

    @property
    def label(self) -> str:
        return str(LANGUAGES.get(self.language, self.language))

    @property
    def level_label(self) -> str:
        return str(LEVELS.get(self.level, self.level))


class VolunteerArea(TenantScoped, db.Model):
    __tablename__ = "volunteer_area_choice"
    tenant_table_args = (
        _volunteer_fk(),
        tenant_fk("area_id", "volunteer_area"),
        UniqueConstraint("tenant_id", "volunteer_id", "area_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column()
    area_id: Mapped[int] = mapped_column()


class VolunteerInterest(TenantScoped, db.Model):
    """A role the volunteer wants to help with."""

    __tablename__ = "volunteer_interest"
    tenant_table_args = (
        _volunteer_fk(),
        tenant_fk("role_id", "volunteer_role"),
        UniqueConstraint("tenant_id", "volunteer_id", "role_id"),
        Index("ix_volunteer_interest_role", "tenant_id", "role_id", "volunteer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column()
    role_id: Mapped[int] = mapped_column()


class Qualification(TenantScoped, db.Model):
    """A qualification the coordinator has seen documented, with its expiry if it expires."""

    __tablename__ = "volunteer_qualification"
    tenant_table_args = (
        _volunteer_fk(),
        Index("ix_volunteer_qualification_match", "tenant_id", "kind", "volunteer_id", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(200))
    valid_until: Mapped[date | None]  # None: does not expire
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def label(self) -> str:
        return str(QUALIFICATION_KINDS.get(self.kind, self.kind))


class Vetting(TenantScoped, db.Model):
    """That a police certificate was shown for a role — and nothing of the certificate:
    the date it was issued, the day it was shown, who checked it, for which role (and
    which revision of it)."""

    __tablename__ = "volunteer_vetting"
    tenant_table_args = (
        _volunteer_fk(),
        tenant_fk("role_id", "volunteer_role"),
        # matching reads valid records of a role from the index alone (with the day shown)
        Index("ix_volunteer_vetting_match", "tenant_id", "role_id", "role_revision", "revoked_at", "volunteer_id", "shown_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column()
    role_id: Mapped[int] = mapped_column()
    role_revision: Mapped[int] = mapped_column()
    issued_on: Mapped[date]
    shown_on: Mapped[date]
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    checked_by_name: Mapped[str] = mapped_column(String(200))  # kept readable after the account goes
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


# --- needs and assignments ----------------------------------------------------------------------


class Need(TenantScoped, db.Model):
    """A task that needs a volunteer, e.g. "escort an unaccompanied minor to the GP"."""

    __tablename__ = "volunteer_need"
    tenant_table_args = (
        tenant_fk("role_id", "volunteer_role", ondelete=None),
        tenant_fk("area_id", "volunteer_area", ondelete=None),
        Index("ix_volunteer_need_time", "tenant_id", "status", "starts_at"),
        Index("ix_volunteer_need_starts", "tenant_id", "starts_at"),
        CheckConstraint("volunteers_needed BETWEEN 1 AND 50", name="volunteers_needed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    role_id: Mapped[int] = mapped_column()
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime]  # local time, Europe/Oslo
    ends_at: Mapped[datetime]
    location: Mapped[str | None] = mapped_column(String(200))
    area_id: Mapped[int | None] = mapped_column()
    language: Mapped[str | None] = mapped_column(String(8))
    language_level: Mapped[int | None] = mapped_column()
    qualification: Mapped[str | None] = mapped_column(String(32))
    volunteers_needed: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    filled_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def status_label(self) -> str:
        return str(NEED_STATUSES.get(self.status, self.status))

    @property
    def minutes(self) -> int:
        return max(0, int((self.ends_at - self.starts_at).total_seconds() // 60))


class Assignment(TenantScoped, db.Model):
    """A volunteer asked for a need, their answer, and — when done — the time given."""

    __tablename__ = "volunteer_assignment"
    tenant_table_args = (
        tenant_fk("need_id", "volunteer_need"),
        _volunteer_fk(),
        UniqueConstraint("tenant_id", "need_id", "volunteer_id"),
        Index("ix_volunteer_assignment_volunteer", "tenant_id", "volunteer_id", "status"),
        CheckConstraint("minutes IS NULL OR minutes BETWEEN 0 AND 1440", name="minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column()
    volunteer_id: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="asked")
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    minutes: Mapped[int | None] = mapped_column()  # time given, recorded when done
    done_at: Mapped[datetime | None]

    @property
    def status_label(self) -> str:
        return str(ASSIGNMENT_STATUSES.get(self.status, self.status))


# --- keeping volunteers warm --------------------------------------------------------------------


class Event(TenantScoped, db.Model):
    """A social or training event for the bank's volunteers."""

    __tablename__ = "volunteer_event"
    tenant_table_args = (Index("ix_volunteer_event_starts", "tenant_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="social")
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    location: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int | None] = mapped_column()
    invited_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    @property
    def kind_label(self) -> str:
        return str(EVENT_KINDS.get(self.kind, self.kind))


class EventInvitation(TenantScoped, db.Model):
    __tablename__ = "volunteer_event_invitation"
    tenant_table_args = (
        tenant_fk("event_id", "volunteer_event"),
        _volunteer_fk(),
        UniqueConstraint("tenant_id", "event_id", "volunteer_id"),
        Index("ix_volunteer_event_invitation_volunteer", "tenant_id", "volunteer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column()
    volunteer_id: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="invited")
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    @property
    def status_label(self) -> str:
        return str(INVITATION_STATUSES.get(self.status, self.status))


# --- volunteer organisations ----------------------------------------------------------------


class OrganisationProfile(TenantScoped, db.Model):
    """What the bank knows of a volunteer organisation beyond the participant register
    (the organisation itself is a participant of category "volunteer sector")."""

    __tablename__ = "volunteer_organisation"
    tenant_table_args = (
        tenant_fk("participant_id", "participant"),
        UniqueConstraint("tenant_id", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column()
    activities: Mapped[str | None] = mapped_column(Text)
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- spam protection ------------------------------------------------------------------------------


class SignupAttempt(TenantScoped, db.Model):
    """A registration attempt, by a hash of the address it came from (never the address)."""

    __tablename__ = "volunteer_signup_attempt"
    tenant_table_args = (Index("ix_volunteer_signup_attempt_key", "tenant_id", "key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


MODELS = [ConsentText, Role, Area, Volunteer, VolunteerLanguage, VolunteerArea, VolunteerInterest, Qualification,
          Vetting, Need, Assignment, Event, EventInvitation, OrganisationProfile, SignupAttempt]
TABLES = [model.__tablename__ for model in MODELS]
