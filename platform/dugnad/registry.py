"""The small frozen types hooks return, and the boot-time registry that collects them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Blueprint


@dataclass(frozen=True)
class Mount:
    """A blueprint and where it lives: "tenant" (under /<tenant>/), "region" (under /region/),
    "global", or "api" (a flask-smorest Blueprint under /api/v1/, in the OpenAPI document)."""

    blueprint: Blueprint
    scope: str = "tenant"
    public: bool = False  # tenant pages anyone may open (public forms); members-only otherwise

    def __post_init__(self) -> None:
        if self.scope not in {"tenant", "region", "global", "api"}:
            raise ValueError(f"unknown blueprint scope {self.scope!r}")


@dataclass(frozen=True)
class Permission:
    key: str
    label: str
    roles: tuple[str, ...] = ("admin",)


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    description: str = ""
    rank: int = 0  # higher ranks are listed first


@dataclass(frozen=True)
class SettingField:
    key: str
    label: str
    kind: str = "text"  # text | bool | int | email
    default: Any = None
    help: str = ""


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    order: int = 100
    permission: str | None = None


@dataclass(frozen=True)
class Widget:
    key: str
    title: str
    endpoint: str
    order: int = 100


@dataclass(frozen=True)
class Schedule:
    """Run ``job`` by cron expression; with ``per_tenant`` once for each active municipality
    that has the owning plugin switched on."""

    job: Callable
    cron: str
    per_tenant: bool = False


@dataclass
class Registry:
    """What the installed plugins contributed at boot, keyed for lookup."""

    models: list[type] = field(default_factory=list)
    migrations: list[str] = field(default_factory=list)
    template_dirs: list[str] = field(default_factory=list)
    translation_dirs: list[str] = field(default_factory=list)
    permissions: dict[str, Permission] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    settings: dict[str, SettingField] = field(default_factory=dict)
    process_templates: dict[str, Any] = field(default_factory=dict)
    template_plugins: dict[str, str] = field(default_factory=dict)  # template key -> the plugin that brings it
    poll_methods: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    jobs: dict[str, Callable] = field(default_factory=dict)
    schedules: list[tuple[str, Schedule]] = field(default_factory=list)
    mounts: list[tuple[str, Mount]] = field(default_factory=list)
    commands: list[Any] = field(default_factory=list)
