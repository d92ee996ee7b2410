"""The processes' figures for regional benchmarking (``register_benchmark_metrics``).

Each runs in one municipality's context for the days ``start`` ≤ day < ``end``.
Processes and activities are not people, so their counts are not suppressed below
the usual 3 (threshold 1); the count of people taking part is (threshold 3).

Each also has a set-based form (``*_all(periods)``) giving the same figures for every
municipality and period in one query, for the recompute.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from dugnad.benchmarking.metrics import Figure, Metric, period_table
from dugnad.extensions import db
from dugnad.processes.models import Activity, Phase, PhaseMove, Process, ProcessParticipant
from dugnad.processes.service import OPEN_STATUSES

GROUP = "processes"


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _running(end):
    """Processes begun before ``end`` (a day, or a period table's ``end_at``) and not closed
    (the status is today's)."""
    return and_(Process.created_at < (_moment(end) if isinstance(end, date) else end), Process.status != "closed")


def active_processes(tenant_id: int, start: date, end: date) -> int:
    return db.session.scalar(select(func.count()).select_from(Process).where(_running(end))) or 0


def phase_progress(tenant_id: int, start: date, end: date) -> Figure | None:
    """How far the running processes have come through their phases, in percent
    (in the third of four phases: 75 %), resting on the number of processes."""
    phases = (select(Phase.process_id, func.count().label("phases")).group_by(Phase.process_id).subquery())
    rows = db.session.execute(
        select(Phase.position, phases.c.phases, Process.id)
        .select_from(Process)
        .join(Phase, and_(Phase.id == Process.current_phase_id, Phase.tenant_id == Process.tenant_id))
        .join(phases, phases.c.process_id == Process.id)
        .where(_running(end))
    ).all()
    if not rows:
        return None
    positions = {}
    for position, count, process_id in rows:
        positions[process_id] = (position, count)
    # positions are ordered but may have gaps after reordering: rank them per process
    ranks = _phase_ranks(list(positions))
    shares = [(ranks[(pid, pos)] + 1) / total * 100 for pid, (pos, total) in positions.items()]
    return Figure(round(sum(shares) / len(shares), 1), len(shares))


def _phase_ranks(process_ids: list[int]) -> dict[tuple[int, int], int]:
    rows = db.session.execute(
        select(Phase.process_id, Phase.position).where(Phase.process_id.in_(process_ids))
        .order_by(Phase.process_id, Phase.position)
    ).all()
    ranks, seen = {}, {}
    for process_id, position in rows:
        ranks[(process_id, position)] = seen.get(process_id, 0)
        seen[process_id] = ranks[(process_id, position)] + 1
    return ranks


def phase_moves(tenant_id: int, start: date, end: date) -> int:
    return db.session.scalar(
        select(func.count()).select_from(PhaseMove)
        .where(PhaseMove.moved_at >= _moment(start), PhaseMove.moved_at < _moment(end), PhaseMove.direction != "start")
    ) or 0


def overdue_activities(tenant_id: int, start: date, end: date) -> int:
    """Activities due before the end of the period and still not done."""
    return db.session.scalar(
        select(func.count()).select_from(Activity)
        .where(Activity.status.in_(OPEN_STATUSES), Activity.due_date < min(end, date.today()))
    ) or 0


def on_time_share(tenant_id: int, start: date, end: date) -> Figure | None:
    """Of the activities due in the period (up to today), the share done."""
    last = min(end, date.today())
    due = (Activity.due_date >= start, Activity.due_date < last, Activity.status != "cancelled")
    total = db.session.scalar(select(func.count()).select_from(Activity).where(*due)) or 0
    if not total:
        return None
    done = db.session.scalar(select(func.count()).select_from(Activity).where(*due, Activity.status == "done")) or 0
    return Figure(round(done / total * 100, 1), total)


def people_taking_part(tenant_id: int, start: date, end: date) -> int:
    """People and organisations taking part in processes that run at the end of the period."""
    return db.session.scalar(
        select(func.count(func.distinct(ProcessParticipant.participant_id)))
        .join(Process, and_(Process.id == ProcessParticipant.process_id, Process.tenant_id == ProcessParticipant.tenant_id))
        .where(_running(end), ProcessParticipant.created_at < _moment(end))
    ) or 0


# --- set-based: every municipality and period in one query each -----------------------


def _counts(rows, none_when_zero: bool = False):
    """(n, tenant_id, count) rows as results; a count of 0 is left out where it means no data."""
    return [(n, tenant_id, int(count)) for n, tenant_id, count in rows if count or not none_when_zero]


def active_processes_all(periods):
    p = period_table(periods)
    rows = _counts(db.session.execute(
        select(p.c.n, Process.tenant_id, func.count())
        .join(Process, _running(p.c.end_at))
        .group_by(p.c.n, Process.tenant_id)))
    return with_zeros(periods, rows, _tenant_ids())


def with_zeros(periods, rows, tenant_ids):
    """Counts that are 0 (not 'no data') where a municipality had nothing in a period."""
    have = {(n, t) for n, t, _ in rows}
    return rows + [(n, t, 0) for t in tenant_ids for n in range(len(periods)) if (n, t) not in have]


def _tenant_ids() -> list[int]:
    from dugnad.tenancy.models import Tenant

    return list(db.session.scalars(select(Tenant.id)))


def phase_progress_all(periods):
    p = period_table(periods)
    current = Phase.__table__.alias("current_phase")
    other = Phase.__table__.alias("other_phase")
    done = (select(func.count()).select_from(other)
            .where(other.c.tenant_id == Process.tenant_id, other.c.process_id == Process.id,
                   other.c.position <= current.c.position).scalar_subquery())
    total = (select(func.count()).select_from(other)
             .where(other.c.tenant_id == Process.tenant_id, other.c.process_id == Process.id).scalar_subquery())
    rows = db.session.execute(
        select(p.c.n, Process.tenant_id, done, total)
        .join(Process, _running(p.c.end_at))
        .join(current, and_(current.c.tenant_id == Process.tenant_id, current.c.id == Process.current_phase_id))
    ).all()
    shares: dict[tuple[int, int], list[float]] = {}
    for n, tenant_id, upto, phases in rows:
        shares.setdefault((n, tenant_id), []).append(upto / phases * 100)
    return [(n, t, Figure(round(sum(s) / len(s), 1), len(s))) for (n, t), s in shares.items()]


def phase_moves_all(periods):
    p = period_table(periods)
    rows = _counts(db.session.execute(
        select(p.c.n, PhaseMove.tenant_id, func.count())
        .join(PhaseMove, and_(PhaseMove.moved_at >= p.c.start_at, PhaseMove.moved_at < p.c.end_at,
                              PhaseMove.direction != "start"))
        .group_by(p.c.n, PhaseMove.tenant_id)))
    return with_zeros(periods, rows, _tenant_ids())


def overdue_activities_all(periods):
    p = period_table(periods)
    rows = _counts(db.session.execute(
        select(p.c.n, Activity.tenant_id, func.count())
        .join(Activity, and_(Activity.status.in_(OPEN_STATUSES), Activity.due_date < p.c.last))
        .group_by(p.c.n, Activity.tenant_id)))
    return with_zeros(periods, rows, _tenant_ids())


def on_time_share_all(periods):
    p = period_table(periods)
    rows = db.session.execute(
        select(p.c.n, Activity.tenant_id, func.count(), func.sum(case((Activity.status == "done", 1), else_=0)))
        .join(Activity, and_(Activity.due_date >= p.c.start, Activity.due_date < p.c.last,
                             Activity.status != "cancelled"))
        .group_by(p.c.n, Activity.tenant_id))
    return [(n, t, Figure(round(done / total * 100, 1), total)) for n, t, total, done in rows if total]


def people_taking_part_all(periods):
    p = period_table(periods)
    rows = _counts(db.session.execute(
        select(p.c.n, Process.tenant_id, func.count(func.distinct(ProcessParticipant.participant_id)))
        .join(Process, _running(p.c.end_at))
        .join(ProcessParticipant, and_(ProcessParticipant.tenant_id == Process.tenant_id,
                                       ProcessParticipant.process_id == Process.id,
                                       ProcessParticipant.created_at < p.c.end_at))
        .group_by(p.c.n, Process.tenant_id)))
    return with_zeros(periods, rows, _tenant_ids())


METRICS = [
    Metric("processes.active", _l("Processes running"), "count", active_processes, threshold=1,
           compute_all=active_processes_all, group=GROUP,
           description=_l("Development processes begun and not closed at the end of the period.")),
    Metric("processes.progress", _l("Progress through the phases"), "percent", phase_progress, threshold=1,
           compute_all=phase_progress_all,
           group=GROUP, description=_l("How far the running processes have come through their phases, on average.")),
    Metric("processes.moves", _l("Moves between phases"), "count", phase_moves, threshold=1,
           compute_all=phase_moves_all, group=GROUP,
           description=_l("Times a process moved to another phase, forward or back, in the period.")),
    Metric("processes.overdue", _l("Overdue activities"), "count", overdue_activities, better="lower", threshold=1,
           compute_all=overdue_activities_all,
           group=GROUP, description=_l("Meetings, workshops and tasks past their due date and not done at the end of the period.")),
    Metric("processes.on_time", _l("Activities done"), "percent", on_time_share, threshold=1,
           compute_all=on_time_share_all, group=GROUP,
           description=_l("Of the activities due in the period, the share that is done.")),
    Metric("processes.people", _l("People taking part"), "per_1000", people_taking_part, group=GROUP,
           compute_all=people_taking_part_all,
           description=_l("People and organisations taking part in running processes, per 1,000 inhabitants.")),
]
