"""The bank's figures for regional benchmarking (``register_benchmark_metrics``).

Each ``compute(tenant_id, start, end)`` runs in the municipality's context for the days
``start`` ≤ day < ``end``. Counts are whole numbers; shares and medians are
``Figure(value, count)`` with the number of people or needs they rest on, so the
region can suppress small numbers. Deleted volunteers still count for what they did.
Each also has a set-based form (``*_all(periods)``): the same figures for every
municipality and period in one query, for the recompute."""

from __future__ import annotations

from datetime import date, datetime, time
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, not_, or_, select

from dugnad.sdk import db, Figure, Metric, period_table
from dugnad_volunteers.models import Assignment, Need, Role, Vetting, Volunteer, VolunteerInterest

GROUP = "volunteers"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time())


def _approved_at(end):
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
    wants_vetted_role, lacking = _vetting_conditions()
    base = select(Volunteer.id).where(Volunteer.status == "approved", Volunteer.anonymised_at.is_(None),
                                      Volunteer.approved_at < _moment(end), wants_vetted_role)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    if not total:
        return None
    without = db.session.scalar(select(func.count()).select_from(base.where(lacking).subquery())) or 0
    return Figure(round(100 * (total - without) / total, 1), total)


def _vetting_conditions():
    """(wants a role that needs a certificate, lacks a valid one for such a role) of a Volunteer."""
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
    return wants_vetted_role, lacking


def volunteer_hours(tenant_id: int, start: date, end: date) -> int | None:
    """Hours given by volunteers on needs of the period."""
    minutes = db.session.scalar(
        select(func.coalesce(func.sum(Assignment.minutes), 0))
        .join(Need, (Need.id == Assignment.need_id) & (Need.tenant_id == Assignment.tenant_id))
        .where(Assignment.status == "done", Need.starts_at >= _moment(start), Need.starts_at < _moment(end))) or 0
    return round(minutes / 60) or None


# --- set-based: every municipality and period in one query each -----------------------


def approved_volunteers_all(periods):
    p = period_table(periods)
    rows = db.session.execute(select(p.c.n, Volunteer.tenant_id, func.count())
                              .join(Volunteer, _approved_at(p.c.end_at)).group_by(p.c.n, Volunteer.tenant_id))
    return [(n, t, int(count)) for n, t, count in rows if count]


def needs_met_all(periods):
    p = period_table(periods)
    rows = db.session.execute(
        select(p.c.n, Need.tenant_id, func.count(), func.sum(case((Need.status.in_(("filled", "done")), 1), else_=0)))
        .join(Need, and_(Need.starts_at >= p.c.start_at, Need.starts_at < p.c.end_at, Need.status != "cancelled"))
        .group_by(p.c.n, Need.tenant_id))
    return [(n, t, Figure(round(100 * met / total, 1), total)) for n, t, total, met in rows if total]


def days_to_match_all(periods):
    p = period_table(periods)
    days: dict[tuple[int, int], list[float]] = {}
    for n, tenant_id, created, filled in db.session.execute(
            select(p.c.n, Need.tenant_id, Need.created_at, Need.filled_at)
            .join(Need, and_(Need.filled_at >= p.c.start_at, Need.filled_at < p.c.end_at,
                             Need.status.in_(("filled", "done"))))):
        days.setdefault((n, tenant_id), []).append(max(0.0, (filled - created).total_seconds() / 86400))
    return [(n, t, Figure(round(median(d), 1), len(d))) for (n, t), d in days.items()]


def valid_vetting_all(periods):
    p = period_table(periods)
    wants_vetted_role, lacking = _vetting_conditions()
    rows = db.session.execute(
        select(p.c.n, Volunteer.tenant_id, func.count(), func.sum(case((lacking, 1), else_=0)))
        .join(Volunteer, and_(Volunteer.status == "approved", Volunteer.anonymised_at.is_(None),
                              Volunteer.approved_at < p.c.end_at, wants_vetted_role))
        .group_by(p.c.n, Volunteer.tenant_id))
    return [(n, t, Figure(round(100 * (total - without) / total, 1), total)) for n, t, total, without in rows if total]


def volunteer_hours_all(periods):
    p = period_table(periods)
    rows = db.session.execute(
        select(p.c.n, Assignment.tenant_id, func.sum(Assignment.minutes))
        .join(Need, and_(Need.starts_at >= p.c.start_at, Need.starts_at < p.c.end_at))
        .join(Assignment, (Need.id == Assignment.need_id) & (Need.tenant_id == Assignment.tenant_id)
              & (Assignment.status == "done"))
        .group_by(p.c.n, Assignment.tenant_id))
    return [(n, t, round(int(minutes) / 60)) for n, t, minutes in rows if minutes and round(int(minutes) / 60)]


METRICS = [
    Metric("volunteers.approved", _l("Approved volunteers"), "per_1000", approved_volunteers, group=GROUP,
           compute_all=approved_volunteers_all,
           description=_l("Volunteers mapped and approved in advance, per 1,000 inhabitants.")),
    Metric("volunteers.needs_met", _l("Needs met by volunteers"), "percent", needs_met, group=GROUP,
           compute_all=needs_met_all,
           description=_l("Share of the needs in the period that got the volunteers they asked for.")),
    Metric("volunteers.days_to_match", _l("Days from need to volunteer"), "days", days_to_match, better="lower",
           compute_all=days_to_match_all,
           group=GROUP, description=_l("Median days from a need being registered to a volunteer saying yes.")),
    Metric("volunteers.valid_vetting", _l("Volunteers with a valid police certificate for their roles"), "percent",
           valid_vetting, group=GROUP,
           compute_all=valid_vetting_all,
           description=_l("Of approved volunteers who want tasks that need a police certificate, the share who have shown one.")),
    Metric("volunteers.hours", _l("Volunteer hours"), "count", volunteer_hours, group=GROUP,
           compute_all=volunteer_hours_all,
           description=_l("Hours volunteers gave to needs in the period.")),
]
