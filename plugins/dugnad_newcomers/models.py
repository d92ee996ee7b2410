"""The newcomer service (tilflyttertjeneste) of one municipality.

Running it (the Åre model): households register (or are registered by the newcomer
coordinator) with their members, where they come from, when and why, and consent to
a stored version of the consent text; each gets a contact person, a checklist drawn
from the seeds (job for the partner, housing, kindergarten, school, GP …) and
follow-ups at 3, 6, 12 and 24 months that record whether they still live here.
Establishing it (seed 000): the insight workshop's measures, the council decision and
the phase-6 agreements hang on a process started from the plugin's template.

Every table is tenant-owned; references between them are composite keys
``(tenant_id, x_id)``, and every unique constraint starts with ``tenant_id``.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dugnad.sdk import TenantScoped, db, tenant_fk, utcnow

REASONS = {
    "work": _l("Work"),
    "family": _l("Family"),
    "study": _l("Study"),
    "refugee": _l("Refugee settlement"),
    "other": _l("Something else"),
}
STATUSES = {
    "unconfirmed": _l("E-mail not confirmed"),
    "active": _l("Followed up"),
    "moved_away": _l("Moved away"),
    "anonymised": _l("Deleted"),
}
OUTCOMES = {"here": _l("Still living here"), "moved": _l("Moved away"), "unknown": _l("Unknown")}
PLANS = {"stay": _l("Plans to stay"), "unsure": _l("Not sure yet"), "leave": _l("Plans to move")}
ITEM_STATUSES = {"open": _l("Not started"), "in_progress": _l("In progress"), "done": _l("Done"),
                 "not_needed": _l("Not needed")}
FOLLOW_UP_MONTHS = (3, 6, 12, 24)
AGREEMENT_KINDS = {"internal": _l("Inside the municipality"), "volunteers": _l("With a volunteer organisation"),
                   "employer": _l("With an employer")}


def _household_fk():
    return tenant_fk("household_id", "newcomer_household")


class ConsentText(TenantScoped, db.Model):
    """A version of the consent text; never changed — a new wording is a new version."""

    __tablename__ = "newcomer_consent_text"
    tenant_table_args = (UniqueConstraint("tenant_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Household(TenantScoped, db.Model):
    """A household that moved to the municipality. Deleting anonymises: the row (arrival
    month, outcome) stays for the retention figures, nothing about the people does."""

    __tablename__ = "newcomer_household"
    tenant_table_args = (
        UniqueConstraint("tenant_id", "email"),
        UniqueConstraint("tenant_id", "phone"),
        tenant_fk("consent_text_id", "newcomer_consent_text", ondelete=None),
        Index("ix_newcomer_household_arrival", "tenant_id", "arrival_date"),
        Index("ix_newcomer_household_status", "tenant_id", "status", "arrival_date"),
        Index("ix_newcomer_household_contact", "tenant_id", "contact_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="unconfirmed")
    name: Mapped[str] = mapped_column(String(200))  # the person we talk to
    email: Mapped[str | None] = mapped_column(String(254))  # lower-case
    phone: Mapped[str | None] = mapped_column(String(20))  # digits only, with country code when given
    locale: Mapped[str] = mapped_column(String(8), default="nb")
    moved_from: Mapped[str | None] = mapped_column(String(200))
    arrival_date: Mapped[date] = mapped_column()
    reason: Mapped[str] = mapped_column(String(16))
    help_wanted: Mapped[list] = mapped_column(JSON, default=list)  # checklist keys
    message: Mapped[str | None] = mapped_column(Text)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    consent_text_id: Mapped[int | None] = mapped_column()
    consented_at: Mapped[datetime | None]
    email_confirmed_at: Mapped[datetime | None]
    contact_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    contact_assigned_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))  # the latest: here | moved | unknown
    outcome_on: Mapped[date | None]
    moved_to: Mapped[str | None] = mapped_column(String(200))
    # the first whole month after arrival by which it had moved (outcome_on <= arrival + that many
    # months), so retention at N months is "moved_month <= N", counted in SQL
    moved_month: Mapped[int | None] = mapped_column()
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    link_version: Mapped[int] = mapped_column(default=1)
    retention_warned_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    @property
    def display_name(self) -> str:
        if self.anonymised_at is not None:
            return str(_l("Deleted household no. %(id)s", id=self.id))
        return self.name

    @property
    def reason_label(self) -> str:
        return str(REASONS.get(self.reason, self.reason))

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))


class Member(TenantScoped, db.Model):
    """Who moves: adults, and children by age (the minimum needed to help)."""

    __tablename__ = "newcomer_member"
    tenant_table_args = (
        _household_fk(),
        Index("ix_newcomer_member_household", "tenant_id", "household_id"),
        CheckConstraint("kind IN ('adult', 'child')", name="kind"),
        CheckConstraint("age IS NULL OR (age >= 0 AND age < 18)", name="child_age"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(8))
    age: Mapped[int | None] = mapped_column()  # children only


class ChecklistItem(TenantScoped, db.Model):
    """One thing the household may need (a kindergarten place, a GP …), worked by the
    coordinator or someone they give it to."""

    __tablename__ = "newcomer_checklist_item"
    tenant_table_args = (
        _household_fk(),
        UniqueConstraint("tenant_id", "household_id", "key"),
        Index("ix_newcomer_checklist_due", "tenant_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column()
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open")
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def status_label(self) -> str:
        return str(ITEM_STATUSES.get(self.status, self.status))

    @property
    def title(self) -> str:
        """What the item is called for the reader: a default item (by its key) in the reader's
        language; an item the municipality wrote itself as it was written."""
        from dugnad_newcomers.checklist import title

        return title(self.key, self.label)


class FollowUp(TenantScoped, db.Model):
    """The conversation at 3, 6, 12 or 24 months after arrival: due on a day, reminded to
    the contact person, recorded once."""

    __tablename__ = "newcomer_follow_up"
    tenant_table_args = (
        _household_fk(),
        UniqueConstraint("tenant_id", "household_id", "month"),
        Index("ix_newcomer_follow_up_due", "tenant_id", "recorded_at", "due_on"),
        CheckConstraint("month IN (3, 6, 12, 24)", name="month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column()
    month: Mapped[int] = mapped_column()
    due_on: Mapped[date] = mapped_column()
    reminded_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]  # the household moved away before it: not contacted again
    recorded_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    how_going: Mapped[str | None] = mapped_column(Text)
    missing: Mapped[str | None] = mapped_column(Text)
    plans: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))
    moved_to: Mapped[str | None] = mapped_column(String(200))

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES.get(self.outcome, "")) if self.outcome else ""


# --- establishing the service (seed 000) ---------------------------------------------------------


class WorkshopMeasure(TenantScoped, db.Model):
    """One of a group's 1–3 prioritised measures from the insight workshop
    ("What do we want to act on?"); the plenary's dot vote picks among them."""

    __tablename__ = "newcomer_workshop_measure"
    tenant_table_args = (
        tenant_fk("process_id", "process"),
        UniqueConstraint("tenant_id", "process_id", "group_name", "priority"),
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column()
    group_name: Mapped[str] = mapped_column(String(80))
    table_host: Mapped[str | None] = mapped_column(String(120))
    priority: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CouncilDecision(TenantScoped, db.Model):
    """Phase 3: the council's decision to establish the service."""

    __tablename__ = "newcomer_council_decision"
    tenant_table_args = (tenant_fk("process_id", "process"), UniqueConstraint("tenant_id", "process_id", "case_number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column()
    decided_on: Mapped[date] = mapped_column()
    case_number: Mapped[str] = mapped_column(String(40))
    text: Mapped[str | None] = mapped_column(Text)
    unanimous: Mapped[bool] = mapped_column(default=False)


class Agreement(TenantScoped, db.Model):
    """Phase 6: an agreement inside the municipality, with a volunteer organisation (from
    the participant register) or with an employer — with its owner and renewal date."""

    __tablename__ = "newcomer_agreement"
    tenant_table_args = (
        tenant_fk("process_id", "process"),
        tenant_fk("participant_id", "participant", ondelete=None),
        Index("ix_newcomer_agreement_renewal", "tenant_id", "renews_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(16))
    party: Mapped[str] = mapped_column(String(200))
    participant_id: Mapped[int | None] = mapped_column()
    what: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    renews_on: Mapped[date | None]

    @property
    def kind_label(self) -> str:
        return str(AGREEMENT_KINDS.get(self.kind, self.kind))


MODELS = [ConsentText, Household, Member, ChecklistItem, FollowUp, WorkshopMeasure, CouncilDecision, Agreement]
