"""Who may see which candidate — decided here, and only here.

- The recruitment coordinator (permission ``recruitment.manage``) sees every candidate.
- A unit leader and a mentor see the candidates placed with them, while the placement
  lasts (from the day it is made until its last day), and nothing else.
- Nobody else: not an admin, not another coordinator (they may *design* tracks, which
  holds no candidate's data).

Every page, fragment, API answer and export of a candidate starts from ``visible()``
(lists) or ``candidate_or_refuse()`` (one), and every read of one record is logged with
who and why (``read``) and shown on the record (``reads``). Special-category fields are
read through ``read_sensitive`` with a stated purpose, logged apart.
"""

from __future__ import annotations

from flask import abort, g, has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, or_, select

from dugnad.sdk import AuditEvent, Membership, User, can, db, record, today
from dugnad_recruitment.models import Candidate, CandidateSensitive, Placement

READ = "recruitment.candidate.read"
READ_SENSITIVE = "recruitment.candidate.read_sensitive"
REFUSED = "recruitment.candidate.refused"


def _current_placement(user_id: int):
    """The clause 'a placement of this candidate with this person as leader or mentor, not yet over'."""
    return (
        select(Placement.id)
        .where(Placement.candidate_id == Candidate.id, Placement.ends_on >= today(),
               or_(Placement.leader_id == user_id, Placement.mentor_id == user_id))
        .exists()
    )


def follows_anyone(user_id: int) -> bool:
    """Whether the person is the leader or mentor of a placement that has not ended."""
    return bool(db.session.scalar(select(exists().where(
        Placement.ends_on >= today(), or_(Placement.leader_id == user_id, Placement.mentor_id == user_id)))))


def role_of(user_id: int) -> str | None:
    """The person's role in the municipality in context (the one loaded for the request, if any)."""
    membership = g.get("membership") if has_request_context() else None
    if membership is not None and membership.user_id == user_id:
        return membership.role
    return db.session.scalar(select(Membership.role).where(Membership.user_id == user_id))


def sees_all() -> bool:
    return can("recruitment.manage")


def visible(query=None):
    """``query`` (a select of Candidate) narrowed to the candidates the current person may see."""
    query = query if query is not None else select(Candidate)
    query = query.where(Candidate.anonymised_at.is_(None))
    if sees_all():
        return query
    if not current_user.is_authenticated:
        return query.where(False)
    return query.where(_current_placement(current_user.id))


def may_see(candidate: Candidate) -> bool:
    if candidate.anonymised_at is not None:
        return False
    if sees_all():
        return True
    if not current_user.is_authenticated:
        return False
    return bool(db.session.scalar(select(exists().where(
        Placement.candidate_id == candidate.id, Placement.ends_on >= today(),
        or_(Placement.leader_id == current_user.id, Placement.mentor_id == current_user.id)))))


def candidate_or_refuse(candidate_id: int) -> Candidate:
    """The candidate, or 404 (none here: another municipality's id, or anonymised), or 403 with
    the reason (one of this municipality's, but not one of yours) — the refusal is logged too."""
    candidate = db.session.get(Candidate, candidate_id)
    if candidate is None or candidate.anonymised_at is not None:
        abort(404)
    if not may_see(candidate):
        record(REFUSED, candidate)
        db.session.commit()
        abort(403, _("This candidate is not one of yours. Only the recruitment coordinator, and the candidate's "
                     "own leader and mentor while the placement lasts, can open the record."))
    return candidate


def read(candidate: Candidate, why: str) -> Candidate:
    """Log that the current person read the record, and why (page, API, export …)."""
    record(READ, candidate, purpose=why)
    return candidate


def read_sensitive(candidate: Candidate, why: str) -> CandidateSensitive | None:
    """The special-category fields, read on purpose: the purpose is logged with the read."""
    record(READ_SENSITIVE, candidate, purpose=why)
    return db.session.scalar(select(CandidateSensitive).where(CandidateSensitive.candidate_id == candidate.id))


def reads(candidate: Candidate, limit: int | None = 50) -> list[tuple[AuditEvent, str | None]]:
    """Who read the record (and the sensitive fields), when and why, newest first."""
    query = (
        select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.tenant_id == candidate.tenant_id, AuditEvent.object_type == "Candidate",
               AuditEvent.object_id == str(candidate.id), AuditEvent.action.in_((READ, READ_SENSITIVE, REFUSED)))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).tuples().all()
