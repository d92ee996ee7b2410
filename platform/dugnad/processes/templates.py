"""Process templates: what ``register_process_templates`` returns. A municipality
starts a process from one and the phases are copied, so editing never changes the template."""

from __future__ import annotations

from dataclasses import dataclass

LADDER = (1, 2, 3, 4, 5)  # medvirkningstrappa: informasjon, dialog, samarbeid, medbestemmelse, beslutning


@dataclass(frozen=True)
class PhaseTemplate:
    key: str
    name: str
    desired_result: str = ""
    suggested_measures: tuple[str, ...] = ()
    key_questions: tuple[str, ...] = ()
    responsible_roles: tuple[str, ...] = ()
    ladder_level: int = 1
    checklist: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.ladder_level not in LADDER:
            raise ValueError(f"phase {self.key}: ladder level must be 1–5, not {self.ladder_level}")


@dataclass(frozen=True)
class ProcessTemplate:
    key: str
    name: str
    description: str
    phases: tuple[PhaseTemplate, ...]

    def __post_init__(self) -> None:
        keys = [p.key for p in self.phases]
        if not keys or len(keys) != len(set(keys)):
            raise ValueError(f"template {self.key}: phases must be given, with unique keys")
