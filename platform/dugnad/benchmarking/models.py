"""What benchmarking keeps: snapshots of each metric per municipality and period, what
each municipality agreed to share, the runs that computed them, Statistics Norway's
figures and the KOSTRA comparison groups.

Snapshots hold the raw figures; nobody reads them directly. Everything the region or
a municipality sees goes through ``disclosure.publish`` first (consent, suppression).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dugnad.extensions import db
from dugnad.tenancy import TenantScoped
from dugnad.clock import utcnow


class Snapshot(TenantScoped, db.Model):
    """A metric's figure for one municipality and one period (month, quarter or year).

    ``value`` is None when the metric had no data; ``count`` is how many people or
    cases the value rests on (for counts, the count itself), used for suppression."""

    __tablename__ = "benchmark_snapshot"
    tenant_table_args = (
        UniqueConstraint("tenant_id", "metric_key", "period_kind", "period_start"),
        Index("ix_benchmark_snapshot_period", "metric_key", "period_kind", "period_start"),
        Index("ix_benchmark_snapshot_kind", "period_kind", "period_start"),  # the newest and oldest periods
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_key: Mapped[str] = mapped_column(String(63))
    period_kind: Mapped[str] = mapped_column(String(8))  # month | quarter | year
    period_start: Mapped[date]
    value: Mapped[float | None]
    count: Mapped[int | None]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Sharing(TenantScoped, db.Model):
    """A municipality's consent to share one metric group with the region. No row: not shared."""

    __tablename__ = "benchmark_sharing"
    tenant_table_args = (UniqueConstraint("tenant_id", "metric_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_group: Mapped[str] = mapped_column(String(63))
    shared: Mapped[bool] = mapped_column(default=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BenchmarkRun(db.Model):
    """One computation of snapshots (the schedule, a backfill), with what failed.
    Region data: it names municipalities only inside ``failures``."""

    __tablename__ = "benchmark_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # scheduled | backfill
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    computed: Mapped[int] = mapped_column(default=0)
    # [{"tenant": name, "metric": key, "period": label, "error": text}]
    failures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class SsbFigure(db.Model):
    """A figure from a Statistics Norway table: public statistics, keyed by municipality number."""

    __tablename__ = "ssb_figure"
    __table_args__ = (UniqueConstraint("table_id", "contents_code", "region", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[str] = mapped_column(String(8))  # e.g. 07459
    contents_code: Mapped[str] = mapped_column(String(40))  # e.g. Personer1
    contents_label: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(4), index=True)  # kommunenummer
    year: Mapped[int]
    value: Mapped[float | None]  # None where SSB gives a status instead
    status: Mapped[str | None] = mapped_column(String(8))  # SSB's symbol, e.g. ".." or ":"
    imported_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class KostraGroup(db.Model):
    """A municipality's KOSTRA comparison group (kommunegruppe), set by the region.
    Keyed by municipality number: groups are Statistics Norway's, not the municipality's data."""

    __tablename__ = "kostra_group"

    number: Mapped[str] = mapped_column(String(4), primary_key=True)
    group: Mapped[str] = mapped_column(String(120))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
