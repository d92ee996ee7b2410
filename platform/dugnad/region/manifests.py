"""The region as files: ``tenants/region.toml`` plus one TOML per municipality.

``sync(folder)`` validates every file first and applies nothing if one is wrong;
then it creates or updates municipalities, their plugins and settings, and the
region admins, and says what changed. Running it twice changes nothing the second
time. Municipalities missing from the folder are left alone and reported.

region.toml::

    name = "Demo-regionrådet"
    [[admins]]
    email = "region@example.no"
    name = "Regionkontoret"

hamar.toml (the slug defaults to the file name)::

    name = "Hamar"
    number = "3403"
    status = "active"        # or "suspended", with suspended_reason
    plugins = ["workshops"]
    [settings]
    contact_email = "post@hamar.kommune.no"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from dugnad.accounts.models import User
from dugnad.extensions import db
from dugnad.region import service
from dugnad.tenancy.models import Tenant

ALLOWED_KEYS = {"name", "number", "slug", "status", "suspended_reason", "plugins", "settings"}
REGION_KEYS = {"name", "admins"}
ADMIN_KEYS = {"email", "name"}


class ManifestError(ValueError):
    pass


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_manifests: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"created {line}" for line in self.created] + [f"updated {line}" for line in self.changed]
        out += [f"unchanged {line}" for line in self.unchanged]
        out += [f"not in manifests (left alone) {line}" for line in self.not_in_manifests]
        return out

    @property
    def any_change(self) -> bool:
        return bool(self.created or self.changed)


def load(folder: Path) -> tuple[dict, list[dict]]:
    """Read and check every manifest; raise ManifestError listing all problems."""
    folder = Path(folder)
    problems: list[str] = []
    region: dict = {}
    tenants: list[dict] = []
    if not folder.is_dir():
        raise ManifestError(f"{folder} is not a folder")
    loaded = current_app.extensions["dugnad.plugins"]
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            problems.append(f"{path.name}: not valid TOML ({error})")
            continue
        if path.name == "region.toml":
            region = data
            if unknown := set(data) - REGION_KEYS:
                problems.append(f"{path.name}: unknown keys {sorted(unknown)}")
            admins = data.get("admins", [])
            if not isinstance(admins, list) or not all(isinstance(a, dict) for a in admins):
                problems.append(f"{path.name}: 'admins' must be a list of tables ([[admins]] with email and name)")
                continue
            for admin in admins:
                if unknown := set(admin) - ADMIN_KEYS:
                    problems.append(f"{path.name}: unknown keys {sorted(unknown)} in an admin")
                email, name = admin.get("email"), admin.get("name", "")
                if not isinstance(email, str) or "@" not in email.strip()[1:-1]:
                    problems.append(f"{path.name}: admin without a valid email: {admin}")
                if not isinstance(name, str):
                    problems.append(f"{path.name}: an admin's 'name' must be a string")
            continue
        data.setdefault("slug", path.stem)
        unknown = set(data) - ALLOWED_KEYS
        if unknown:
            problems.append(f"{path.name}: unknown keys {sorted(unknown)}")
        for key in ("name", "number", "slug"):
            if not isinstance(data.get(key), str):
                problems.append(f"{path.name}: '{key}' must be a string")
        if isinstance(data.get("name"), str) and not data["name"].strip():
            problems.append(f"{path.name}: 'name' must not be empty")
        if isinstance(data.get("number"), str) and (msg := service.number_problem(data["number"])):
            problems.append(f"{path.name}: {msg}")
        if isinstance(data["slug"], str) and (msg := service.slug_problem(data["slug"])):
            problems.append(f"{path.name}: {msg}")
        if data.get("status", "active") not in ("active", "suspended"):
            problems.append(f"{path.name}: status must be 'active' or 'suspended'")
        if not isinstance(data.get("suspended_reason", ""), str):
            problems.append(f"{path.name}: 'suspended_reason' must be a string")
        plugins = data.get("plugins", [])
        if not isinstance(plugins, list) or not all(isinstance(p, str) for p in plugins):
            problems.append(f"{path.name}: 'plugins' must be a list of names, for example [\"workshops\"]")
        else:
            for plugin in plugins:
                if plugin not in loaded.optional:
                    problems.append(f"{path.name}: plugin '{plugin}' is not installed (installed: {', '.join(loaded.optional) or 'none'})")
        settings = data.get("settings", {})
        if not isinstance(settings, dict):
            problems.append(f"{path.name}: 'settings' must be a table ([settings])")
        elif unknown := set(settings) - set(loaded.registry.settings):
            problems.append(f"{path.name}: unknown settings {sorted(unknown)} (known: {', '.join(sorted(loaded.registry.settings))})")
        data["_file"] = path.name
        tenants.append(data)
    for key in ("slug", "number"):
        seen: dict[str, str] = {}
        for data in tenants:
            value = data.get(key)
            if value in seen:
                problems.append(f"{data['_file']}: {key} {value} is also used by {seen[value]}")
            seen[value] = data["_file"]
    if problems:
        raise ManifestError("\n".join(problems))
    return region, tenants


def sync(folder: Path) -> Report:
    region, manifests = load(folder)
    report = Report()
    try:
        for admin in region.get("admins", []):
            email = admin["email"].strip().lower()
            user = db.session.scalar(select(User).where(User.email == email))
            if user is None:
                db.session.add(User(email=email, name=admin.get("name", email), is_region_admin=True))
                report.created.append(f"region admin {email}")
            elif not user.is_region_admin:
                user.is_region_admin = True
                report.changed.append(f"region admin {email}")
        seen_slugs = set()
        for data in manifests:
            seen_slugs.add(data["slug"])
            _sync_tenant(data, report)
        for tenant in db.session.scalars(select(Tenant).order_by(Tenant.slug)):
            if tenant.slug not in seen_slugs:
                report.not_in_manifests.append(tenant.slug)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _sync_tenant(data: dict, report: Report) -> None:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == data["slug"]))
    changes: list[str] = []
    if tenant is None:
        other = db.session.scalar(select(Tenant).where(Tenant.number == data["number"]))
        if other is not None:
            raise ManifestError(f"{data['_file']}: number {data['number']} belongs to {other.slug} in the database")
        tenant = service.create_tenant(data["name"], data["number"], data["slug"])
        report.created.append(data["slug"])
    else:
        if tenant.number != data["number"]:
            other = db.session.scalar(select(Tenant).where(Tenant.number == data["number"]))
            if other is not None:
                raise ManifestError(f"{data['_file']}: number {data['number']} belongs to {other.slug} in the database")
        for attr in ("name", "number"):
            if getattr(tenant, attr) != data[attr]:
                changes.append(f"{attr} {getattr(tenant, attr)!r} → {data[attr]!r}")
                setattr(tenant, attr, data[attr])
    status = data.get("status", "active")
    reason = (data.get("suspended_reason") or "").strip() or "suspended by the region's manifest"
    if status != tenant.status:
        if status == "suspended":
            service.suspend(tenant, reason)
        else:
            service.resume(tenant)
        changes.append(f"status → {status}")
    elif status == "suspended" and tenant.suspended_reason != reason:
        service.suspend(tenant, reason)
        changes.append(f"suspended reason → {reason!r}")
    settings = {**(tenant.settings or {}), **data.get("settings", {})}
    if settings != (tenant.settings or {}):
        tenant.settings = settings
        changes.append("settings")
    wanted = set(data.get("plugins", []))
    loaded = current_app.extensions["dugnad.plugins"]
    for plugin in loaded.optional:
        if service.set_plugin(tenant, plugin, plugin in wanted):
            changes.append(("+" if plugin in wanted else "-") + plugin)
    if data["slug"] in report.created:
        if wanted:
            report.created[-1] += f" (plugins: {', '.join(sorted(wanted))})"
    elif changes:
        report.changed.append(f"{data['slug']}: {', '.join(changes)}")
    else:
        report.unchanged.append(data["slug"])
