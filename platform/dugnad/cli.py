"""The ``dugnad`` command: serve, worker, db upgrade, db distribute, tenants sync, seed-demo, demo,
plus every command plugins register (``register_commands``)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext


def _create_app():
    from dugnad.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, add_version_option=False,
             help="Dugnad: processes, participants and voting for the municipalities of a region.")
def main():
    pass


@main.group("db", help="The database.")
def db_group():
    pass


@db_group.command("upgrade")
@click.option("--url", envvar="DUGNAD_MIGRATION_DATABASE_URL", default=None,
              help="Migrate as this (owner) connection instead of DUGNAD_DATABASE_URL.")
@with_appcontext
def db_upgrade(url):
    """Create or upgrade every table, core and plugins."""
    from dugnad import migrations

    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if database.startswith("sqlite:///"):
        Path(database.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    before = migrations.current_revisions(current_app, url)
    migrations.upgrade(current_app, url)
    after = migrations.current_revisions(current_app, url)
    if not before:
        click.echo(f"created every table (an empty database); now at {', '.join(sorted(after))}")
    elif before != after:
        click.echo(f"upgraded from {', '.join(sorted(before))} to {', '.join(sorted(after))}")
    else:
        click.echo(f"database is up to date ({', '.join(sorted(after))}); nothing to do")
    _distribute_on_citus(url or database)


def _distribute_on_citus(url: str) -> None:
    """On Citus, shard the tables a migration just made (``db distribute``, idempotent)."""
    from sqlalchemy import create_engine

    from dugnad.extensions import db
    from dugnad.tenancy import distribute

    engine = create_engine(url)
    try:
        if engine.dialect.name != "postgresql":
            return
        with engine.connect() as connection:
            if not distribute.has_citus(connection):
                return
        for line in distribute.distribute(engine, db.metadata):
            click.echo(line)
    except distribute.CannotDistribute as error:
        raise click.ClickException(str(error))
    finally:
        engine.dispose()


GUNICORN_CONF = Path(__file__).resolve().parents[2] / "ops" / "gunicorn.conf.py"


def gunicorn_args(gunicorn: str, host: str | None, port: int | None, workers: int | None) -> list[str]:
    """gunicorn with ops/gunicorn.conf.py (its GUNICORN_* settings), the options given here on top."""
    args = [gunicorn]
    if GUNICORN_CONF.exists():
        args += ["-c", str(GUNICORN_CONF)]
    args += ["--no-control-socket"]
    if workers is not None:
        args += ["--workers", str(workers)]
    if host is not None or port is not None:
        args += ["--bind", f"{host or '127.0.0.1'}:{port or 8000}"]
    return [*args, "dugnad.wsgi:app"]  # the app logs each request once; no gunicorn access log


@db_group.command("distribute")
@click.option("--url", envvar="DUGNAD_MIGRATION_DATABASE_URL", default=None,
              help="Connect as this (owner) connection instead of DUGNAD_DATABASE_URL.")
@click.option("--plan", "only_plan", is_flag=True, help="Print the SQL it would run, and run nothing.")
@with_appcontext
def db_distribute(url, only_plan):
    """Shard the tables by municipality on Citus: tenant tables distributed by tenant_id in
    one colocation group, the others reference tables. Idempotent; run after db upgrade."""
    from sqlalchemy import create_engine

    from dugnad.extensions import db
    from dugnad.tenancy import distribute

    engine = create_engine(url or current_app.config["SQLALCHEMY_DATABASE_URI"])
    if engine.dialect.name != "postgresql":
        raise click.ClickException("Citus runs on PostgreSQL only; this database is " + engine.dialect.name)
    try:
        if only_plan:
            with engine.connect() as connection:
                steps = distribute.plan(connection, db.metadata)
            for step in steps:
                click.echo(f"{step.sql};")
            return
        for line in distribute.distribute(engine, db.metadata):
            click.echo(line)
        kinds = distribute.table_kinds(engine)
        counted = {kind: sum(1 for k in kinds.values() if k == kind) for kind in ("distributed", "reference", "local")}
        click.echo("{distributed} distributed, {reference} reference, {local} local tables".format(**counted))
    except distribute.CannotDistribute as error:
        raise click.ClickException(str(error))
    finally:
        engine.dispose()


@main.command("serve")
@click.option("--host", default=None, help="Address to listen on [default: GUNICORN_BIND, else 127.0.0.1].")
@click.option("--port", default=None, type=int, help="Port [default: GUNICORN_BIND, else 8000].")
@click.option("--workers", default=None, type=int, help="Worker processes [default: GUNICORN_WORKERS, else 2 × cores + 1].")
def serve(host, port, workers):
    """Serve the app with gunicorn, set up by ops/gunicorn.conf.py."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    if port:
        os.environ["DUGNAD_PORT"] = str(port)  # links in e-mail follow the port (with no DUGNAD_BASE_URL)
    bind = f"{host or '127.0.0.1'}:{port or 8000}" if (host or port) else os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
    click.echo(f"Dugnad is running on {bind}  (Ctrl+C stops it)")
    os.execv(gunicorn, gunicorn_args(gunicorn, host, port, workers))


@main.command("set-password")
@click.argument("email")
@with_appcontext
def set_password(email):
    """Give an account a password, typed here (twice, not shown): the first region admin's,
    made by `dugnad tenants sync` from region.toml without one, or anyone locked out with
    no mail server. Every login the account had ends."""
    from dugnad.accounts import logins
    from dugnad.accounts.security import MIN_PASSWORD_LENGTH, hash_password
    from dugnad.accounts.service import user_by_email
    from dugnad.audit import record
    from dugnad.extensions import db

    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the address {email}. Region admins come from tenants/region.toml "
                                   "(`dugnad tenants sync`); everyone else is invited.")
    password = click.prompt(f"New password for {user.email}", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"The password must have at least {MIN_PASSWORD_LENGTH} characters. Nothing was changed.")
    user.password_hash = hash_password(password)
    ended = logins.end_all(user.id)
    record("account.password_set_by_command", user, tenant_id=None, user_id=user.id, logins_ended=ended)
    db.session.commit()
    click.echo(f"{user.email} can log in now" + (" (a region admin)." if user.is_region_admin else "."))


@main.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--no-cron", is_flag=True, help="Do not run the periodic schedules in this worker.")
@with_appcontext
def worker(burst, no_cron):
    """Run background jobs from Redis (RQ), with the scheduler and the periodic schedules."""
    from dugnad.jobs.worker import run_worker

    try:
        run_worker(current_app._get_current_object(), burst=burst, with_cron=not no_cron)
    except RuntimeError as error:
        raise click.ClickException(str(error))


@main.command("seed-demo")
@click.option("--force", is_flag=True, help="Add demo people and data even if the database already has people.")
@with_appcontext
def seed_demo(force):
    """Add the demo people (see README) and their data."""
    from dugnad.demo import seed

    for line in seed(force=force):
        click.echo(line)


@main.command("demo")
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_context
def demo(ctx, port):
    """Migrate, load the demo region from tenants/, add demo people, and serve."""
    ctx.invoke(db_upgrade)
    from dugnad.region.plugin import sync_command

    ctx.invoke(sync_command, folder=Path("tenants"))
    ctx.invoke(seed_demo)
    ctx.invoke(serve, port=port, host="127.0.0.1", workers=2)
