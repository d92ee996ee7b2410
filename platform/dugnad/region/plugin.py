"""The region as a default plugin: its pages, the municipality's settings and the tenants command."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l

from dugnad.hookspecs import hookimpl
from dugnad.registry import Mount, NavItem, SettingField
from dugnad.region.views import region, settings


@hookimpl
def register_blueprints():
    return [Mount(region, scope="region"), Mount(settings, scope="tenant")]


@hookimpl
def tenant_settings_schema():
    return [
        SettingField("contact_email", _l("Contact e-mail shown to the public"), "email"),
        SettingField("contact_phone", _l("Contact phone shown to the public"), "text"),
        SettingField("population", _l("Inhabitants"), "int", help=_l("Used to give figures per 1,000 inhabitants.")),
    ]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Settings"), "settings.edit", order=910, permission="settings.manage")]


@click.group("tenants", help="Municipalities of the region.")
def tenants_command():
    pass


@tenants_command.command("sync")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default="tenants")
@with_appcontext
def sync_command(folder: Path):
    """Apply the region's manifests (region.toml + one TOML per municipality)."""
    from flask_babel import force_locale

    from dugnad.region.manifests import ManifestError, sync

    try:
        with force_locale("en"):  # an operator's tool: one language, like the rest of its output
            report = sync(folder)
    except ManifestError as error:
        raise click.ClickException(f"nothing applied:\n{error}")
    for line in report.lines():
        click.echo(line)
    click.echo("changes applied" if report.any_change else "no changes")


@hookimpl
def register_commands():
    return [tenants_command]
