"""The region's dashboard kept per data version: its table is computed and rendered once
per (data version, period, sort, language) and then served from ``dugnad.cache``.

The data version is read in one query from what the published figures rest on: the
recompute's latest run and how many snapshots it has written (counted as each
municipality commits, in the same transaction), the municipalities' sharing, the KOSTRA
groups, Statistics Norway's figures and the active municipalities. Any change there
gives a new version, so the next request builds the table again. Snapshots are written
only by the recompute (and the demo, which records a run); the query reads small tables
and indexes only.
"""

from __future__ import annotations

import hashlib

from flask_babel import get_locale
from sqlalchemy import func, select

from dugnad import cache, clock
from dugnad.benchmarking.models import BenchmarkRun, KostraGroup, Sharing, SsbFigure
from dugnad.extensions import db
from dugnad.tenancy.context import region_scope
from dugnad.tenancy.models import Tenant


def _scalar(column, *where):
    query = select(column)
    return (query.where(*where) if where else query).scalar_subquery()


def data_version() -> str:
    """A short stamp that changes whenever anything the region's figures rest on changes."""
    with region_scope("benchmarks: data version"):
        row = db.session.execute(select(
            # the latest run and how far it has come (it counts each municipality as it commits);
            # no scan of the snapshots themselves
            _scalar(func.max(BenchmarkRun.id)), _scalar(func.max(BenchmarkRun.finished_at)),
            select(BenchmarkRun.computed).order_by(BenchmarkRun.id.desc()).limit(1).scalar_subquery(),
            _scalar(func.count(Sharing.id), Sharing.shared), _scalar(func.max(Sharing.changed_at)),
            _scalar(func.count(KostraGroup.number)), _scalar(func.max(KostraGroup.changed_at)),
            _scalar(func.count(SsbFigure.id)), _scalar(func.max(SsbFigure.imported_at)),
            _scalar(func.count(Tenant.id), Tenant.status == "active"), _scalar(func.max(Tenant.id)),
        )).one()
    return hashlib.sha1(repr(tuple(row)).encode()).hexdigest()[:16]


def key(*parts) -> str:
    """A cache key for this data version, language and day (periods begin with the day)."""
    return ":".join(str(p) for p in (data_version(), get_locale(), clock.today().isoformat(), *parts))


def remember(name: str, parts: tuple, build):
    return cache.remember(f"benchmarks:{name}:{key(*parts)}", build)
