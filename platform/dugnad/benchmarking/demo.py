"""The demo region's benchmarking: consent, KOSTRA groups, Statistics Norway's population
(from stored JSON-stat files, so it works offline) and five years of snapshots
computed from each municipality's demo data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from dugnad.benchmarking import catalogue, ssb
from dugnad.benchmarking.jsonstat import loads
from dugnad.benchmarking.models import KostraGroup, Sharing, Snapshot, SsbFigure
from dugnad.extensions import db
from dugnad.tenancy.context import region_scope
from dugnad.tenancy.models import Tenant

DATA = Path(__file__).parent / "data"
# KOSTRA group 13 (Statistics Norway's grouping of 2008, used until 2023): the large
# municipalities outside the four biggest cities. Kinn (formed 2020) and Namsskogan are
# left for the region to set: their groups could not be established here.
KOSTRA_GROUPS = {"3201": "KOSTRA-gruppe 13", "3203": "KOSTRA-gruppe 13", "3403": "KOSTRA-gruppe 13",
                 "3905": "KOSTRA-gruppe 13"}
NOT_SHARING = {"asker"}  # has not decided yet: shows as "not shared"


def _ssb_once() -> list[str]:
    if db.session.scalar(select(func.count()).select_from(SsbFigure)):
        return []
    numbers = ssb.region_numbers()
    done = []
    for path in sorted(DATA.glob("*.json")):
        text = path.read_bytes()
        dataset = loads(text)
        in_file = set(dataset.dimension(dataset.role("geo", "Region")).codes)
        known = {number: name for number, name in numbers.items() if number in in_file}
        done.append(ssb.import_table(path.stem.split("-")[0], known, text).line())
    return [f"Statistics Norway (stored): {line}" for line in done]


def seed(tenants: list[Tenant]) -> list[str]:
    """Every demo municipality, then one run recorded for the dashboard. Adds nothing twice."""
    from dugnad.benchmarking.compute import Outcome
    from dugnad.benchmarking.models import BenchmarkRun
    from dugnad.tenancy.context import tenant_context
    from dugnad.clock import utcnow

    done, outcome = _ssb_once(), Outcome()
    db.session.commit()
    for tenant in sorted(tenants, key=lambda t: t.slug):
        with tenant_context(tenant):
            done.extend(demo_data(tenant, outcome))
            db.session.commit()
    if outcome.computed:
        db.session.add(BenchmarkRun(kind="backfill", computed=outcome.computed, failures=outcome.failures,
                                    finished_at=utcnow()))
        db.session.commit()
    return done


def demo_data(tenant: Tenant, outcome) -> list[str]:
    from dugnad.benchmarking.compute import compute_tenant, enabled_plugins
    from dugnad.benchmarking.periods import KINDS, between

    done = []
    if tenant.number in KOSTRA_GROUPS and db.session.get(KostraGroup, tenant.number) is None:
        db.session.add(KostraGroup(number=tenant.number, group=KOSTRA_GROUPS[tenant.number]))
        done.append(f"{tenant.name} is in {KOSTRA_GROUPS[tenant.number]}")
    if tenant.slug not in NOT_SHARING and db.session.scalar(select(func.count()).select_from(Sharing)) == 0:
        for group in catalogue.groups():
            db.session.add(Sharing(metric_group=group, shared=True))
        done.append(f"{tenant.name} shares its figures with the region")
    db.session.flush()
    with region_scope("demo: snapshots already there?"):
        existing = db.session.scalar(select(func.count()).select_from(Snapshot).where(Snapshot.tenant_id == tenant.id))
    if not existing:
        today = date.today()
        periods = [p for kind in KINDS for p in between(kind, date(today.year - 4, 1, 1), today)]
        before = outcome.computed
        compute_tenant(tenant, catalogue.all_metrics(), periods, outcome, enabled_plugins([tenant.id]).get(tenant.id, set()))
        done.append(f"{outcome.computed - before} benchmark snapshots for {tenant.name}")
    return done
