"""A person's own data (GDPR art. 15): what the plugin holds on a candidate, for the
``personal_data`` hook and the record's download. The export is itself a read, and logged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dugnad.sdk import db
from dugnad_recruitment import access, candidates, placements
from dugnad_recruitment.models import SENSITIVE_FIELDS, Candidate, MentorMeeting, Outcome


def export(candidate: Candidate) -> dict[str, Any]:
    access.read(candidate, "data export")
    sensitive = access.read_sensitive(candidate, "data export")
    placed = placements.placements_of(candidate)
    funded = placements.fundings_of([p.id for p, *_ in placed])
    return {
        "name": candidate.name, "email": candidate.email, "phone": candidate.phone, "background": candidate.background,
        "legal_basis": candidate.legal_basis, "consent_on": _iso(candidate.consent_on), "stage": candidate.stage,
        "sensitive": {key: getattr(sensitive, key) if sensitive else None for key in SENSITIVE_FIELDS},
        "stages": [{"from": c.from_stage, "to": c.to_stage, "on": c.changed_on.isoformat(), "reason": c.reason}
                   for c in candidates.timeline(candidate)],
        "placements": [{"unit": opening.unit, "title": opening.title, "from": p.starts_on.isoformat(),
                        "to": p.ends_on.isoformat(), "leader": leader, "mentor": mentor or p.mentor_name,
                        "funding": [{"kind": f.kind, "rate": f.rate, "from": f.starts_on.isoformat(),
                                     "to": f.ends_on.isoformat(), "step_down_on": _iso(f.step_down_on),
                                     "stepped_rate": f.stepped_rate} for f, _rule in funded[p.id]]}
                       for p, opening, leader, mentor in placed],
        "outcomes": [{"months": o.months, "due_on": o.due_on.isoformat(), "status": o.status, "employer": o.employer,
                      "permanent": o.permanent}
                     for o in db.session.scalars(select(Outcome).where(Outcome.candidate_id == candidate.id)
                                                 .order_by(Outcome.months))],
        "mentor_meetings": [{"on": m.met_on.isoformat(), "summary": m.summary}
                            for m in db.session.scalars(select(MentorMeeting).where(
                                MentorMeeting.candidate_id == candidate.id).order_by(MentorMeeting.met_on))],
        "reads": [{"at": event.created_at.isoformat(timespec="seconds"), "who": who,
                   "what": "sensitive" if event.action == access.READ_SENSITIVE else "record",
                   "why": (event.detail or {}).get("purpose")}
                  for event, who in access.reads(candidate, limit=None)],
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def export_for_participant(participant) -> dict[str, Any]:
    rows = db.session.scalars(select(Candidate).where(Candidate.participant_id == participant.id,
                                                      Candidate.anonymised_at.is_(None))).all()
    if not rows:
        return {}
    return {"recruitment": [export(candidate) for candidate in rows]}
