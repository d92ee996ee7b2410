"""Erasing a person everywhere the platform holds a copy, through one mechanism.

Whoever deletes a person (a volunteer deleting their registration, the coordinator, the
retention job, an admin removing a participant) calls ``erase(person)`` with what
identifies them — names, e-mail addresses, phone numbers and the references the
platform uses for them (``"volunteer:12"``). ``erase`` calls the ``erase_person`` hook of
every installed plugin, switched on or not (data stays when a plugin is switched off),
in the person's municipality; the core's own places — the outbox and the audit log —
answer the same hook, and the job queue's payloads are scrubbed here. Each place
removes or blanks its copies and says how many it touched.

Copies addressed *to* the person (their e-mails, with their self-service links) are
removed; copies that only *mention* them (a coordinator's notice, an audit entry) keep
their shape with the person's identifiers replaced by ``ERASED``.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any, Iterable


log = logging.getLogger("dugnad.erasure")

ERASED = "[slettet]"


@dataclass(frozen=True)
class Person:
    """What identifies one person, for finding their copies. Empty values are ignored."""

    tenant_id: int | None
    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()  # subject references used for them, e.g. "volunteer:12"

    @classmethod
    def of(cls, tenant_id: int | None, *, names: Iterable[str | None] = (), emails: Iterable[str | None] = (),
           phones: Iterable[str | None] = (), refs: Iterable[str | None] = ()) -> "Person":
        def clean(values):
            return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))

        return cls(tenant_id, clean(names), tuple(e.lower() for e in clean(emails)), clean(phones), clean(refs))

    @property
    def marks(self) -> tuple[str, ...]:
        """The strings that must not survive anywhere: names, addresses, phone numbers."""
        return self.names + self.emails + self.phones

    def _patterns(self) -> list[re.Pattern]:
        found = []
        for mark in sorted(self.marks, key=len, reverse=True):
            if mark in self.phones:
                digits = re.sub(r"\D", "", mark)
                if len(digits) >= 5:  # any spacing of the same digits: "+47 912 34 567" = "91234567"
                    found.append(re.compile(r"\+?" + r"[\s.-]?".join(re.escape(d) for d in digits)))
                    if digits.startswith("47") and len(digits) > 8:
                        found.append(re.compile(r"[\s.-]?".join(re.escape(d) for d in digits[2:])))
                    continue
            found.append(re.compile(re.escape(mark), re.IGNORECASE))
        return found

    def mentioned_in(self, text: str | None) -> bool:
        return bool(text) and any(p.search(text) for p in self._patterns())

    def scrub(self, value: Any) -> Any:
        """``value`` with every identifier replaced by ``ERASED``; walks dicts and lists."""
        if isinstance(value, str):
            for pattern in self._patterns():
                value = pattern.sub(ERASED, value)
            return value
        if isinstance(value, dict):
            return {self.scrub(k) if isinstance(k, str) else k: self.scrub(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.scrub(v) for v in value)
        return value

    def found_in(self, value: Any) -> bool:
        if isinstance(value, str):
            return self.mentioned_in(value)
        try:
            return self.mentioned_in(json.dumps(value, ensure_ascii=False, default=str))
        except (TypeError, ValueError):
            return self.mentioned_in(repr(value))


def erase(person: Person) -> dict[str, int]:
    """Remove or blank every copy of ``person``; returns how many each place touched.
    Runs in the caller's transaction (the job queue, outside the database, is scrubbed
    at once)."""
    from dugnad.extensions import db
    from dugnad.plugins import plugins
    from dugnad.tenancy.context import tenant_context
    from dugnad.tenancy.models import Tenant

    tenant = db.session.get(Tenant, person.tenant_id) if person.tenant_id is not None else None
    touched: dict[str, int] = {}
    with tenant_context(person.tenant_id) if person.tenant_id is not None else _nothing():
        for name, count in plugins().per_plugin("erase_person", tenant=tenant, person=person):
            touched[name] = touched.get(name, 0) + int(count or 0)
    from dugnad.jobs.queue import scrub_jobs

    touched["jobs"] = scrub_jobs(person)
    log.info("person erased", extra={"erased_tenant": person.tenant_id, "touched": touched})
    return touched


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def scrub_models(person: Person, models: Iterable[Any], *, skip: Iterable[Any] = ()) -> int:
    """Blank the person in the free text of ``models`` (their string columns other than keys),
    in the current municipality: what a plugin's ``erase_person`` usually needs. A row is
    looked at only when the database finds one of the person's marks in it."""
    from sqlalchemy import String, Text, or_, select

    from dugnad.extensions import db

    skipped = {id(c) for c in skip}
    touched = 0
    needles = list(person.marks) + [re.sub(r"\D", "", p) for p in person.phones if len(re.sub(r"\D", "", p)) >= 5]
    if not needles:
        return 0
    for model in models:
        columns = [c for c in model.__table__.columns
                   if isinstance(c.type, (String, Text)) and not c.primary_key and not c.foreign_keys
                   and id(getattr(model, c.key, None)) not in skipped]
        if not columns:
            continue
        attrs = [getattr(model, c.key) for c in columns]
        found = db.session.scalars(select(model).where(or_(*(a.ilike(f"%{n}%") for a in attrs for n in needles)))).all()
        for row in found:
            changed = False
            for column in columns:
                value = getattr(row, column.key)
                if isinstance(value, str) and person.mentioned_in(value):
                    setattr(row, column.key, person.scrub(value)[: getattr(column.type, "length", None) or None])
                    changed = True
            touched += changed
    return touched
