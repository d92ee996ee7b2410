"""The registered metrics, in a stable order, and which plugin each belongs to."""

from __future__ import annotations

from flask import current_app

from dugnad.benchmarking.metrics import Metric


def _owners() -> dict[str, str]:
    """metric key -> the plugin that registered it (cached for the app's life)."""
    owners = current_app.extensions.get("dugnad.metric_owners")
    if owners is None:
        loaded = current_app.extensions["dugnad.plugins"]
        owners = {}
        for plugin, items in loaded.per_plugin("register_benchmark_metrics"):
            for metric in items:
                owners[metric.key] = plugin
        current_app.extensions["dugnad.metric_owners"] = owners
    return owners


def all_metrics() -> list[Metric]:
    """Every registered metric: the core's first, then by group and key."""
    metrics = current_app.extensions["dugnad.plugins"].registry.metrics.values()
    return sorted(metrics, key=lambda m: (m.group != "processes", m.group, m.key))


def get(key: str | None) -> Metric | None:
    return current_app.extensions["dugnad.plugins"].registry.metrics.get(key or "")


def owner(metric: Metric) -> str:
    return _owners().get(metric.key, "")


def in_use(metric: Metric, enabled: frozenset[str] | set[str]) -> bool:
    """Whether the metric's plugin is on where ``enabled`` are the optional plugins switched on."""
    loaded = current_app.extensions["dugnad.plugins"]
    plugin = owner(metric)
    return plugin in loaded.core or plugin in enabled


def groups() -> list[str]:
    seen: dict[str, None] = {}
    for metric in all_metrics():
        seen.setdefault(metric.group, None)
    return list(seen)


def group_label(group: str) -> str:
    """A group is usually a plugin's name: show the plugin's label."""
    from flask_babel import gettext as _

    if group == "processes":
        return _("Processes")
    if group == "voting":
        return _("Votes")
    if group == "handoffs":
        return _("Requests for help")
    if group == "core":
        return _("Other figures")  # the default group: metrics that did not name one
    loaded = current_app.extensions["dugnad.plugins"]
    return loaded.label(group) if loaded.pm.get_plugin(group) is not None else group
