"""Regional benchmarking as a default plugin: snapshots, the region's dashboard, a
municipality's sharing, Statistics Norway's figures, the API and the commands."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l

from dugnad.benchmarking import models
from dugnad.hookspecs import hookimpl
from dugnad.registry import Mount, NavItem, Permission, Schedule


@hookimpl
def register_models():
    return [models.Snapshot, models.Sharing, models.BenchmarkRun, models.SsbFigure, models.KostraGroup]


@hookimpl
def register_blueprints():
    from dugnad.benchmarking.api import API_BLUEPRINTS
    from dugnad.benchmarking.views import benchmarks, region_benchmarks

    return [Mount(region_benchmarks, scope="region"), Mount(benchmarks), *(Mount(bp, scope="api") for bp in API_BLUEPRINTS)]


@hookimpl
def register_permissions():
    return [
        Permission("benchmarks.view", _l("See the municipality's figures against the region"), ("admin", "coordinator")),
        Permission("benchmarks.share", _l("Decide which figures the municipality shares with the region"), ("admin",)),
    ]


@hookimpl
def register_jobs():
    from dugnad.benchmarking.compute import compute_snapshots

    return [compute_snapshots]


@hookimpl
def register_schedules():
    from dugnad.benchmarking.compute import compute_snapshots

    return [Schedule(compute_snapshots, cron="30 2 * * *")]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Benchmarks"), "benchmarks.own", order=80, permission="benchmarks.view")]


# --- commands ------------------------------------------------------------------------


@click.group("benchmarks", help="Regional benchmarking: snapshots of every metric.")
def benchmarks_command():
    pass


def _period(text: str):
    from dugnad.benchmarking.periods import PeriodError, parse

    try:
        return parse(text)
    except PeriodError as error:
        raise click.BadParameter(str(error))


@benchmarks_command.command("backfill")
@click.option("--from", "first", default=None, help="First period, e.g. 2021 or 2021K1 (default: five years back).")
@click.option("--to", "last", default=None, help="Last period (default: the current one).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["year", "quarter", "month"]),
              help="Only these kinds of period (default: all).")
@click.option("--municipality", "slugs", multiple=True, help="Only this municipality (its web address); repeatable.")
@with_appcontext
def backfill_command(first, last, kinds, slugs):
    """Rebuild the snapshots' history for every municipality and metric."""
    from sqlalchemy import select

    from dugnad.benchmarking.compute import backfill
    from dugnad.extensions import db
    from dugnad.tenancy.models import Tenant

    today = date.today()
    start = _period(first).start if first else date(today.year - 4, 1, 1)
    end = min(_period(last).end - timedelta(days=1), today) if last else today
    if end < start:
        raise click.BadParameter("--to comes before --from")
    tenants = db.session.scalars(select(Tenant).where(Tenant.status == "active")).all()
    if slugs:
        unknown = set(slugs) - {t.slug for t in tenants}
        if unknown:
            raise click.BadParameter(f"no active municipality {', '.join(sorted(unknown))}", param_hint="--municipality")
        tenants = [t for t in tenants if t.slug in slugs]
    with click.progressbar(length=len(tenants), label="Computing", show_pos=True) as bar:
        run = backfill(start, end, kinds or ("year", "quarter", "month"), [t.id for t in tenants],
                       progress=lambda tenant: bar.update(1))
    click.echo(f"{run.computed} snapshots computed for {len(tenants)} municipalities")
    for failure in run.failures:
        click.echo(f"failed: {failure['metric']} in {failure['tenant']} for {failure['period']}: {failure['error']}",
                   err=True)
    if run.failures:
        raise SystemExit(1)


@click.group("ssb", help="Statistics Norway: population and migration per municipality.")
def ssb_command():
    pass


@ssb_command.command("import")
@click.argument("tables", nargs=-1)
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read a stored JSON-stat 2.0 answer instead of asking Statistics Norway (one table).")
@click.option("--years", default=10, show_default=True,
              help="How many of the latest years to ask for (ten: the newcomer service's insight workshop shows ten).")
@with_appcontext
def ssb_import_command(tables, path, years):
    """Import TABLES (default: 07459 population and 09588 migration) for the region's municipalities."""
    from dugnad.benchmarking import ssb
    from dugnad.extensions import db

    tables = tables or tuple(ssb.TABLES)
    unknown = [t for t in tables if t not in ssb.TABLES]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}: only {', '.join(ssb.TABLES)} are read", param_hint="TABLES")
    if path and len(tables) != 1:
        raise click.BadParameter("name the one table the file holds", param_hint="--file")
    numbers = ssb.region_numbers()
    try:
        reports = [ssb.import_table(t, numbers, ssb.read_file(path) if path else None, years) for t in tables]
    except ssb.SsbError as error:
        db.session.rollback()
        raise click.ClickException(f"nothing imported: {error}")
    db.session.commit()
    for done in reports:
        for line in done.lines():
            click.echo(line)


@hookimpl
def register_commands():
    return [benchmarks_command, ssb_command]
