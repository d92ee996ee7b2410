"""The plugin manager: core features as default plugins, optional ones from entry points.

Optional plugins (entry-point group ``dugnad``, or module paths in DUGNAD_PLUGINS)
are switched on per municipality by the region. Core plugins are always on.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pluggy
from flask import current_app, g

from dugnad import hookspecs
from dugnad.registry import Mount, Registry

CORE_PLUGINS = (
    "dugnad.tenancy.plugin",
    "dugnad.region.plugin",
    "dugnad.accounts.plugin",
    "dugnad.notifications.plugin",
    "dugnad.audit.plugin",
    "dugnad.admin.plugin",
    "dugnad.participants.plugin",
    "dugnad.processes.plugin",
    "dugnad.voting.plugin",
    "dugnad.benchmarking.plugin",
    "dugnad.handoffs.plugin",
    "dugnad.dashboard.plugin",
    "dugnad.api.plugin",
)


class Plugins:
    def __init__(self, extra: list[str | ModuleType] = ()):
        self.pm = pluggy.PluginManager("dugnad")
        self.pm.add_hookspecs(hookspecs)
        self.core: list[str] = []
        for path in CORE_PLUGINS:
            self.pm.register(importlib.import_module(path), name=path)
            self.core.append(path)
        self.pm.load_setuptools_entrypoints("dugnad")
        for plugin in extra:
            module = importlib.import_module(plugin) if isinstance(plugin, str) else plugin
            name = getattr(module, "PLUGIN_NAME", module.__name__.rsplit(".", 1)[-1])
            if self.pm.get_plugin(name) is None:
                self.pm.register(module, name=name)
        self.pm.check_pending()
        self.optional = sorted(name for name, _ in self.pm.list_name_plugin() if name not in self.core)
        self.registry = self._collect()
        self._subset_callers: dict[tuple[str, frozenset[str]], object] = {}

    # --- boot ---------------------------------------------------------------

    def per_plugin(self, hook_name: str, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        """Call a hook plugin by plugin, yielding ``(plugin_name, result)``."""
        for impl in reversed(getattr(self.pm.hook, hook_name).get_hookimpls()):
            result = impl.function(**kwargs)
            if result is not None:
                yield impl.plugin_name, result

    def _collect(self) -> Registry:
        reg = Registry()
        for _, items in self.per_plugin("register_models"):
            reg.models.extend(items)
        for _, items in self.per_plugin("register_migrations"):
            reg.migrations.extend(str(p) for p in items)
        for _, items in self.per_plugin("register_template_dirs"):
            reg.template_dirs.extend(str(p) for p in items)
        reg.translation_dirs.extend(self._translation_dirs())
        for hook, target in (
            ("register_permissions", reg.permissions),
            ("register_roles", reg.roles),
            ("tenant_settings_schema", reg.settings),
            ("register_process_templates", reg.process_templates),
            ("register_poll_methods", reg.poll_methods),
            ("register_benchmark_metrics", reg.metrics),
        ):
            for plugin, items in self.per_plugin(hook):
                for item in items:
                    if item.key in target:
                        raise ValueError(f"{plugin} registers {hook} key {item.key!r} twice")
                    target[item.key] = item
                    if hook == "register_process_templates":
                        reg.template_plugins[item.key] = plugin
        for _, items in self.per_plugin("register_jobs"):
            for func in items:
                reg.jobs[job_name(func)] = func
        for plugin, items in self.per_plugin("register_schedules"):
            for schedule in items:
                reg.jobs.setdefault(job_name(schedule.job), schedule.job)
                reg.schedules.append((plugin, schedule))
        for plugin, items in self.per_plugin("register_blueprints"):
            for mount in items:
                if not isinstance(mount, Mount):
                    raise TypeError(f"{plugin}: register_blueprints must return Mount objects")
                reg.mounts.append((plugin, mount))
        for _, items in self.per_plugin("register_commands"):
            reg.commands.extend(items)
        for hook, target, owners, attr in (
            ("register_help_kinds", reg.help_kinds, reg.help_kind_plugins, "key"),
            ("register_handoff_origins", reg.handoff_origins, reg.handoff_origin_plugins, "type"),
        ):
            for plugin, items in self.per_plugin(hook):
                for item in items:
                    key = getattr(item, attr)
                    if key in target:
                        raise ValueError(f"{plugin} registers {hook} key {key!r} twice")
                    target[key], owners[key] = item, plugin
        return reg

    def _translation_dirs(self) -> list[str]:
        """A ``translations/`` folder beside a plugin's module is its own catalogue
        (merged after the core's), so plugins never edit the core's catalogue."""
        found = []
        for name in self.optional:
            module_file = getattr(self.pm.get_plugin(name), "__file__", None)
            folder = Path(module_file).parent / "translations" if module_file else None
            if folder is not None and folder.is_dir():
                found.append(str(folder))
        return found

    def label(self, name: str) -> str:
        module = self.pm.get_plugin(name)
        return str(getattr(module, "PLUGIN_LABEL", name))

    def description(self, name: str) -> str:
        module = self.pm.get_plugin(name)
        return str(getattr(module, "PLUGIN_DESCRIPTION", ""))

    # --- per municipality -------------------------------------------------------

    def enabled_for(self, tenant_id: int) -> frozenset[str]:
        """Optional plugins switched on for a municipality (cached for the request)."""
        cache = g.setdefault("_enabled_plugins", {})
        if tenant_id not in cache:
            from dugnad.extensions import db
            from dugnad.tenancy.models import TenantPlugin

            rows = db.session.scalars(
                db.select(TenantPlugin.plugin).where(TenantPlugin.tenant_id == tenant_id, TenantPlugin.enabled)
            )
            cache[tenant_id] = frozenset(name for name in rows if name in self.optional)
        return cache[tenant_id]

    def is_enabled(self, name: str, tenant_id: int) -> bool:
        return name in self.core or name in self.enabled_for(tenant_id)

    def hook(self, hook_name: str, tenant_id: int | None):
        """A hook caller limited to the core and the plugins switched on for ``tenant_id``."""
        enabled = self.enabled_for(tenant_id) if tenant_id is not None else frozenset()
        key = (hook_name, enabled)
        caller = self._subset_callers.get(key)
        if caller is None:
            disabled = [self.pm.get_plugin(n) for n in self.optional if n not in enabled]
            caller = self._subset_callers[key] = self.pm.subset_hook_caller(hook_name, remove_plugins=disabled)
        return caller


def job_name(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def plugins() -> Plugins:
    return current_app.extensions["dugnad.plugins"]


def registry() -> Registry:
    return plugins().registry
