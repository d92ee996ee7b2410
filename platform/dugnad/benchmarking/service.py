"""Changing benchmarking: a municipality's sharing, the region's KOSTRA groups, a recompute."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.audit import record
from dugnad.benchmarking import catalogue
from dugnad.benchmarking.models import KostraGroup, Sharing
from dugnad.extensions import db


def shared_groups() -> dict[str, bool]:
    """The current municipality's consent per metric group."""
    return dict(db.session.execute(select(Sharing.metric_group, Sharing.shared)).all())


def group_choices() -> list[tuple[str, str, str]]:
    """(group, label, the metrics in it) for every group with a registered metric."""
    choices = []
    for group in catalogue.groups():
        names = ", ".join(str(m.label) for m in catalogue.all_metrics() if m.group == group)
        choices.append((group, catalogue.group_label(group), _("Figures: %(names)s", names=names)))
    return choices


def set_sharing(wanted: dict[str, bool]) -> int:
    """Set the current municipality's consent per group (the caller commits). Returns how many changed."""
    from flask_login import current_user

    known = set(catalogue.groups())
    existing = {s.metric_group: s for s in db.session.scalars(select(Sharing))}
    changed = 0
    for group, shared in wanted.items():
        if group not in known:
            raise ValueError(f"unknown metric group {group!r}")
        row = existing.get(group)
        if row is not None and row.shared == shared:
            continue
        if row is None:
            if not shared:
                continue  # no row already means not shared
            row = Sharing(metric_group=group)
            db.session.add(row)
        row.shared = shared
        row.changed_by_id = current_user.id if current_user and current_user.is_authenticated else None
        record("benchmarks.sharing_changed", row, group=group, shared=shared)
        changed += 1
    return changed


def set_kostra_groups(groups: dict[str, str]) -> int:
    """Set the KOSTRA group per municipality number; an empty one removes it. Returns how many changed."""
    existing = {k.number: k for k in db.session.scalars(select(KostraGroup))}
    changed = 0
    for number, group in groups.items():
        group = (group or "").strip()
        row = existing.get(number)
        if row is None and group:
            db.session.add(KostraGroup(number=number, group=group))
        elif row is not None and not group:
            db.session.delete(row)
        elif row is not None and row.group != group:
            row.group = group
        else:
            continue
        changed += 1
    if changed:
        record("benchmarks.kostra_groups_changed", None, tenant_id=None, changed=changed)
    return changed


def request_recompute() -> None:
    from dugnad.benchmarking.compute import compute_snapshots
    from dugnad.jobs import enqueue

    enqueue(compute_snapshots, tenant_id=None, job_id="benchmarks-recompute")
