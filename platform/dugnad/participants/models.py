"""The participant register of a municipality."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dugnad.extensions import db
from dugnad.tenancy import TenantScoped, tenant_fk
from dugnad.clock import utcnow

# Stakeholder categories (DOMAIN.md: "Participants and stakeholder analysis").
CATEGORIES = {
    "municipality": _l("Municipality (staff)"),
    "politics": _l("Politics"),
    "volunteer": _l("Volunteer sector"),
    "business": _l("Business"),
    "residents": _l("Residents"),
    "target_group": _l("Target group"),
    "public_agency": _l("Public agency"),
    "social_entrepreneur": _l("Social entrepreneur"),
    "immigrant_council": _l("Immigrant council or organisation"),
}

# Why the municipality may hold the person's data (GDPR art. 6).
LEGAL_BASES = {
    "consent": _l("Consent from the person"),
    "public_task": _l("Public task (the municipality's duty)"),
    "legitimate_interest": _l("Legitimate interest"),
    "contract": _l("Agreement with the person or organisation"),
}

KINDS = {"person": _l("Person"), "organisation": _l("Organisation")}


class Participant(TenantScoped, db.Model):
    """A person or an organisation in one municipality's register."""

    __tablename__ = "participant"
    tenant_table_args = (
        UniqueConstraint("tenant_id", "email"),
        tenant_fk("organisation_id", "participant", ondelete=None),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="person")  # person | organisation
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))  # stored lower-case
    phone: Mapped[str | None] = mapped_column(String(40))
    organisation_id: Mapped[int | None] = mapped_column()  # the organisation a person speaks for
    title: Mapped[str | None] = mapped_column(String(120))  # role or position, e.g. "ordfører"
    legal_basis: Mapped[str] = mapped_column(String(32))
    consent_at: Mapped[datetime | None]  # when consent was given, if the basis is consent
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None]

    organisation: Mapped["Participant | None"] = relationship(
        primaryjoin="and_(Participant.organisation_id == remote(Participant.id), "
        "Participant.tenant_id == remote(Participant.tenant_id))",
        foreign_keys="[Participant.organisation_id, Participant.tenant_id]",
        viewonly=True,
        lazy="raise",
    )

    @property
    def category_label(self) -> str:
        return str(CATEGORIES.get(self.category, self.category))
