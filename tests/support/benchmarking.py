"""Helpers for the benchmarking tests: snapshots and consent put straight in the database."""

from __future__ import annotations

from datetime import date

from dugnad.benchmarking.models import Sharing, Snapshot
from dugnad.extensions import db
from dugnad.tenancy import tenant_context


def snapshot(tenant_id: int, key: str, kind: str, start: date, value, count=None) -> None:
    with tenant_context(tenant_id):
        db.session.add(Snapshot(metric_key=key, period_kind=kind, period_start=start, value=value,
                                count=count if count is not None else (None if value is None else int(value))))
        db.session.flush()


def share(tenant_id: int, *groups: str, shared: bool = True) -> None:
    with tenant_context(tenant_id):
        for group in groups:
            db.session.add(Sharing(metric_group=group, shared=shared))
        db.session.flush()
