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


# --- handoffs: one module asks another for help (dugnad.handoffs) -----------------------------------

FIELD_KINDS = ("text", "textarea", "int", "date", "datetime", "choice")


@dataclass(frozen=True)
class HelpField:
    """One field of a kind of help's short form. ``kind`` is one of ``FIELD_KINDS``; a ``choice``
    field's ``choices`` is a list of ``(value, label)`` or a function returning one, called in the
    municipality's context when the form is shown or checked."""

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: Any = ()
    help: str = ""

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"help field {self.key}: kind must be one of {', '.join(FIELD_KINDS)}")


@dataclass(frozen=True)
class Reference:
    """An object of one module as another module may see it: a stable ``key``
    (``"<type>:<id>"``, e.g. ``"volunteers.need:12"``), a label, and the endpoint and
    arguments of its page. An origin's reference may also name an e-mail ``contact`` told
    when the handoff is done or declined, and the ``participant_id`` of the person the
    object is about (so the person's data export includes the handoff)."""

    key: str
    label: str
    endpoint: str
    args: dict[str, Any] = field(default_factory=dict, hash=False)
    contact: str | None = None
    participant_id: int | None = None


@dataclass(frozen=True)
class HelpRequest:
    """What a receiving module is handed: only the form's values (checked and parsed), the
    stated purpose and a label for where it came from — never the origin's objects."""

    handoff_id: int
    kind: str
    values: dict[str, Any] = field(hash=False)
    purpose: str
    origin_label: str
    sent_by: str | None = None


@dataclass(frozen=True)
class HelpKind:
    """A kind of help a module can receive (``register_help_kinds``). ``receive(request)``
    runs in the municipality's context when a handoff is sent, creates the module's own
    object from a ``HelpRequest`` and returns its ``Reference``; it raises ``Refusal``
    (naming a field) to refuse bad values, and then nothing is saved. ``permission`` is
    what the receiving staff need to report status through the API."""

    key: str  # "<plugin>.<name>", e.g. "volunteers.task"
    label: str
    fields: tuple[HelpField, ...]
    receive: Callable[[HelpRequest], Reference]
    description: str = ""
    permission: str | None = None


@dataclass(frozen=True)
class HandoffOrigin:
    """A kind of object a module may ask help for (``register_handoff_origins``).
    ``resolve(object_id)`` runs in the municipality's context and returns the object's
    ``Reference`` (label, page, contact, the person it is about), or None when there is no
    such object here — so another municipality's object is never found. ``permission`` is
    what a person needs to ask for help on it."""

    type: str  # "<plugin>.<object>", e.g. "workshops.pilot"
    label: str
    resolve: Callable[[int], Reference | None]
    permission: str | None = None


@dataclass(frozen=True)
class HandoffChange:
    """What ``handoff_changed`` tells a module: a handoff's new status, and what came of it."""

    handoff_id: int
    kind: str
    origin_type: str
    origin_id: int
    status: str
    previous: str | None
    outcome: str | None = None
    reason: str | None = None
    target_label: str | None = None


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
    help_kinds: dict[str, HelpKind] = field(default_factory=dict)
    help_kind_plugins: dict[str, str] = field(default_factory=dict)  # kind key -> the plugin that receives it
    handoff_origins: dict[str, HandoffOrigin] = field(default_factory=dict)
    handoff_origin_plugins: dict[str, str] = field(default_factory=dict)
