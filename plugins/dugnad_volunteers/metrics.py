"""The bank's figures for regional benchmarking (``register_benchmark_metrics``).

Each ``compute(tenant_id, start, end)`` runs in the municipality's context for the days
``start`` ≤ day < ``end``. Counts are whole numbers; shares and medians are
``Figure(value, count)`` with the number of people or needs they rest on, so the
region can suppress small numbers. Deleted volunteers still count for what they did."""

from __future__ import annotations

from datetime import date, datetime, time
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, not_, or_, select

from dugnad.sdk import db, Figure, Metric
from dugnad_volunteers.models import Assignment, Need, Role, Vetting, Volunteer, VolunteerInterest

GROUP = "volunteers"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time())


def _approved_at(end: datetime):
    """Approved before ``end`` and not rejected or deleted by then."""
    return and_(Volunteer.approved_at.is_not(None), Volunteer.approved_at < end,
                or_(Volunteer.anonymised_at.is_(None), Volunteer.anonymised_at >= end),
                or_(Volunteer.status == "approved", Volunteer.anonymised_at.is_not(None)))


def approved_volunteers(tenant_id: int, start: date, end: date) -> int | None:
    """Approved volunteers at the end of the period (the region shows it per 1,000 inhabitants)."""
    count = db.session.scalar(select(func.count()).select_from(Volunteer).where(_approved_at(_moment(end)))) or 0
    return count or None


def needs_met(tenant_id: int, start: date, end: date) -> Figure | None:
    """Share of the needs of the period (not cancelled) that got the volunteers they asked for."""
    rows = db.session.execute(
        select(Need.status).where(Need.starts_at >= _moment(start), Need.starts_at < _moment(end),
                                  Need.status != "cancelled")).scalars().all()
    if not rows:
        return None
    met = sum(1 for status in rows if status in ("filled", "done"))
    return Figure(round(100 * met / len(rows), 1), len(rows))


def days_to_match(tenant_id: int, start: date, end: date) -> Figure | None:
    """Median days from a need being registered to it being filled, for needs filled in the period."""
    rows = db.session.execute(
        select(Need.created_at, Need.filled_at).where(Need.filled_at >= _moment(start), Need.filled_at < _moment(end),
                                                      Need.status.in_(("filled", "done")))).all()
    if not rows:
        return None
    days = [max(0.0, (filled - created).total_seconds() / 86400) for created, filled in rows]
    return Figure(round(median(days), 1), len(days))


def valid_vetting(tenant_id: int, start: date, end: date) -> Figure | None:
    """Of the approved volunteers who want a role that needs a police certificate, the share
    with a valid one for every such role they want (now: certificates are not dated back)."""
    wants_vetted_role = exists().where(
        VolunteerInterest.tenant_id == Volunteer.tenant_id, VolunteerInterest.volunteer_id == Volunteer.id,
        Role.id == VolunteerInterest.role_id, Role.tenant_id == VolunteerInterest.tenant_id, Role.requires_certificate,
        Role.active)
    lacking = exists().where(
        VolunteerInterest.tenant_id == Volunteer.tenant_id, VolunteerInterest.volunteer_id == Volunteer.id,
        Role.id == VolunteerInterest.role_id, Role.tenant_id == VolunteerInterest.tenant_id, Role.requires_certificate,
        Role.active,
        not_(exists().where(Vetting.tenant_id == VolunteerInterest.tenant_id,
                            Vetting.volunteer_id == VolunteerInterest.volunteer_id,
                            Vetting.role_id == Role.id, Vetting.role_revision == Role.revision, Vetting.revoked_at.is_(None))))
    base = select(Volunteer.id).where(Volunteer.status == "approved", Volunteer.anonymised_at.is_(None),
                                      Volunteer.approved_at < _moment(end), wants_vetted_role)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    if not total:
        return None
    without = db.session.scalar(select(func.count()).select_from(base.where(lacking).subquery())) or 0
    return Figure(round(100 * (total - without) / total, 1), total)


def volunteer_hours(tenant_id: int, start: date, end: date) -> int | None:
    """Hours given by volunteers on needs of the period."""
    minutes = db.session.scalar(
        select(func.coalesce(func.sum(Assignment.minutes), 0))
        .join(Need, (Need.id == Assignment.need_id) & (Need.tenant_id == Assignment.tenant_id))
        .where(Assignment.status == "done", Need.starts_at >= _moment(start), Need.starts_at < _moment(end))) or 0
    return round(minutes / 60) or None


METRICS = [
    Metric("volunteers.approved", _l("Approved volunteers"), "per_1000", approved_volunteers, group=GROUP,
           description=_l("Volunteers mapped and approved in advance, per 1,000 inhabitants.")),
    Metric("volunteers.needs_met", _l("Needs met by volunteers"), "percent", needs_met, group=GROUP,
           description=_l("Share of the needs in the period that got the volunteers they asked for.")),
    Metric("volunteers.days_to_match", _l("Days from need to volunteer"), "days", days_to_match, better="lower",
           group=GROUP, description=_l("Median days from a need being registered to a volunteer saying yes.")),
    Metric("volunteers.valid_vetting", _l("Volunteers with a valid police certificate for their roles"), "percent",
           valid_vetting, group=GROUP,
           description=_l("Of approved volunteers who want tasks that need a police certificate, the share who have shown one.")),
    Metric("volunteers.hours", _l("Volunteer hours"), "count", volunteer_hours, group=GROUP,
           description=_l("Hours volunteers gave to needs in the period.")),
]
