"""Candidates and their road in: mapping → work practice → temporary job → permanent job, or ended.

The rules of a stage change (``change_stage``), each checked before anything is written:
one step forward needs only a date; skipping a stage, going back one, ending and starting
again each need a reason; the date is given, not in the future and not before the last
change. Every change is kept as the candidate's timeline.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from dugnad.sdk import Participant, Refusal, db, record, today, utcnow
from dugnad_recruitment.models import (
    LEGAL_BASES,
    SENSITIVE_FIELDS,
    STAGE_ORDER,
    STAGES,
    Candidate,
    CandidateSensitive,
    StageChange,
    Track,
)


def _user_id() -> int | None:
    try:
        return current_user.id if current_user and current_user.is_authenticated else None
    except (RuntimeError, AttributeError):
        return None


def _text(value: Any) -> str | None:
    value = (value or "").strip() if isinstance(value, str) else value
    return value or None


def check_details(data: dict[str, Any]) -> dict[str, Any]:
    name = (data.get("name") or "").strip()
    if not name:
        raise Refusal(_("Give the candidate's name."), "name")
    if len(name) > 200:
        raise Refusal(_("The name can be at most 200 characters."), "name")
    basis = data.get("legal_basis")
    if basis not in LEGAL_BASES:
        raise Refusal(_("Choose the legal basis for holding this person's data."), "legal_basis")
    consent_on = data.get("consent_on")
    if basis == "consent" and consent_on is None:
        raise Refusal(_("Give the date the candidate consented."), "consent_on")
    if consent_on is not None and consent_on > today():
        raise Refusal(_("The consent date cannot be in the future."), "consent_on")
    participant_id = data.get("participant_id") or None
    if participant_id is not None and db.session.get(Participant, participant_id) is None:
        raise Refusal(_("Choose a person from this municipality's participant register."), "participant_id")
    return {"name": name, "legal_basis": basis, "consent_on": consent_on if basis == "consent" else consent_on,
            "email": _text(data.get("email")), "phone": _text(data.get("phone")),
            "background": _text(data.get("background")), "participant_id": participant_id}


def create(track: Track, data: dict[str, Any]) -> Candidate:
    """A new candidate at the mapping stage, with the legal basis (and any sensitive fields apart)."""
    values = check_details(data)
    candidate = Candidate(track_id=track.id, stage="mapping", stage_since=today(), created_by_id=_user_id(), **values)
    db.session.add(candidate)
    db.session.flush()
    db.session.add(StageChange(candidate_id=candidate.id, from_stage=None, to_stage="mapping", direction="start",
                               changed_on=today(), reason=_text(data.get("reason")) or _("Added to the track."),
                               changed_by_id=_user_id()))
    set_sensitive(candidate, data, created=True)
    record("recruitment.candidate.created", candidate, track_id=track.id)
    return candidate


def update(candidate: Candidate, data: dict[str, Any]) -> Candidate:
    values = check_details(data)
    for key, value in values.items():
        setattr(candidate, key, value)
    record("recruitment.candidate.updated", candidate)
    return candidate


def set_sensitive(candidate: Candidate, data: dict[str, Any], created: bool = False) -> CandidateSensitive | None:
    """Write the special-category fields, in their own table. Nothing given on a new record: no row."""
    values = {key: _text(data.get(key)) for key in SENSITIVE_FIELDS}
    row = db.session.scalar(select(CandidateSensitive).where(CandidateSensitive.candidate_id == candidate.id))
    if row is None and not any(values.values()):
        return None
    if row is None:
        row = CandidateSensitive(candidate_id=candidate.id)
        db.session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at, row.updated_by_id = utcnow(), _user_id()
    if not created:
        record("recruitment.candidate.sensitive_changed", candidate, fields=sorted(k for k, v in values.items() if v))
    return row


def direction_of(from_stage: str, to_stage: str) -> str:
    if to_stage == "ended":
        return "end"
    if from_stage == "ended":
        return "restart"
    step = STAGE_ORDER.index(to_stage) - STAGE_ORDER.index(from_stage)
    return "forward" if step == 1 else "skip" if step > 1 else "back"


def change_stage(candidate: Candidate, to_stage: str, changed_on: date | None, reason: str | None) -> StageChange:
    """Move the candidate, or refuse with a message naming the field, writing nothing."""
    if to_stage not in STAGES:
        raise Refusal(_("Choose a stage from the list."), "to_stage")
    if to_stage == candidate.stage:
        raise Refusal(_("The candidate is already at this stage."), "to_stage")
    if changed_on is None:
        raise Refusal(_("Give the date of the change."), "changed_on")
    if changed_on > today():
        raise Refusal(_("The date cannot be in the future: record a change when it has happened."), "changed_on")
    if changed_on < candidate.stage_since:
        raise Refusal(_("The date is before the candidate's last change (%(day)s).",
                        day=candidate.stage_since.strftime("%d.%m.%Y")), "changed_on")
    reason = (reason or "").strip() or None
    direction = direction_of(candidate.stage, to_stage)
    if reason is None and direction != "forward":
        messages = {
            "skip": _("Going from “%(old)s” to “%(new)s” skips a stage: say why.",
                      old=STAGES[candidate.stage], new=STAGES[to_stage]),
            "back": _("Going back from “%(old)s” to “%(new)s” needs a reason.",
                      old=STAGES[candidate.stage], new=STAGES[to_stage]),
            "end": _("Say why the candidate's track ends."),
            "restart": _("Say why the candidate starts again."),
        }
        raise Refusal(messages[direction], "reason")
    change = StageChange(candidate_id=candidate.id, from_stage=candidate.stage, to_stage=to_stage, direction=direction,
                         changed_on=changed_on, reason=reason, changed_by_id=_user_id())
    db.session.add(change)
    candidate.stage, candidate.stage_since = to_stage, changed_on
    candidate.ended_on = changed_on if to_stage == "ended" else None
    record("recruitment.candidate.stage_changed", candidate, from_stage=change.from_stage, to_stage=to_stage,
           direction=direction)
    return change


def timeline(candidate: Candidate) -> list[StageChange]:
    return list(db.session.scalars(select(StageChange).where(StageChange.candidate_id == candidate.id)
                                   .order_by(StageChange.changed_on, StageChange.id)))
