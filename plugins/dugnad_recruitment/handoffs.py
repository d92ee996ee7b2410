"""A candidate asks other modules for help through the core's handoffs (``dugnad.sdk.handoffs``),
without knowing them — above all "ask the volunteer bank for a mentor" (seed 004 asks how
volunteers can mentor people in work practice and relieve the leaders who follow them up).

Only the minimum crosses: the reference names the track and the candidate's number, never the
name or anything sensitive; the receiving form asks for what it needs and the coordinator states
the purpose. When the help is done, the placement without a mentor gets "a volunteer from the
volunteer bank" with what came of it."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dugnad.sdk import HandoffOrigin, Reference, Tenant, current_tenant_id, db, handoffs, record, today
from dugnad_recruitment.models import Candidate, Placement, Track

CANDIDATE = "recruitment.candidate"


def resolve_candidate(candidate_id: int) -> Reference | None:
    found = db.session.execute(select(Candidate, Track.name).join(Track, Track.id == Candidate.track_id)
                               .where(Candidate.id == candidate_id, Candidate.anonymised_at.is_(None))).first()
    if found is None:
        return None
    candidate, track = found
    tenant = db.session.get(Tenant, current_tenant_id())
    return Reference(f"{CANDIDATE}:{candidate.id}", _("Candidate no. %(id)s on “%(track)s”", id=candidate.id, track=track),
                     "recruitment.candidate", {"candidate_id": candidate.id},
                     contact=(tenant.settings or {}).get("recruitment_contact_email") or None,
                     participant_id=candidate.participant_id)


ORIGINS = [HandoffOrigin(CANDIDATE, _l("recruitment candidate"), resolve=resolve_candidate,
                         permission="recruitment.manage")]


def panel(candidate: Candidate):
    return handoffs.panel(CANDIDATE, candidate.id, level=2)


def changed(change) -> None:
    """Done: the candidate's current placement without a mentor gets the volunteer bank's mentor."""
    if change.origin_type != CANDIDATE or change.status != "done":
        return
    placement = db.session.scalar(select(Placement).where(
        Placement.candidate_id == change.origin_id, Placement.ends_on >= today(), Placement.mentor_id.is_(None),
        Placement.mentor_name.is_(None)).order_by(Placement.starts_on))
    if placement is None:
        return
    placement.mentor_name = _("A volunteer from the volunteer bank (%(outcome)s)",
                              outcome=change.outcome or change.target_label or _("matched"))[:200]
    record("recruitment.placement.mentor", placement, via_handoff=change.handoff_id)
