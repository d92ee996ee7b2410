"""What voting holds on a participant of the register, for their data export: the personal
links and paper ballots made for them and, where the poll was not anonymous, their ballot."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dugnad.clock import exported
from dugnad.extensions import db
from dugnad.participants.models import Participant
from dugnad.voting import service
from dugnad.voting.models import Ballot, Poll, Voter


def personal_data(participant: Participant) -> dict[str, Any]:
    rows = db.session.execute(
        select(Voter, Poll).join(Poll, (Poll.id == Voter.poll_id) & (Poll.tenant_id == Voter.tenant_id))
        .where(Voter.participant_id == participant.id).order_by(Voter.id)
    ).all()
    if not rows:
        return {}
    ballots = {b.voter_id: b for b in db.session.scalars(
        select(Ballot).where(Ballot.voter_id.in_([voter.id for voter, _poll in rows])))}
    out = []
    for voter, poll in rows:
        ballot = ballots.get(voter.id)
        labels = {o.id: o.label for o in service.options_of(poll, include_withdrawn=True)}
        out.append({
            "poll": poll.title,
            "method": poll.method,
            "how": voter.kind,  # link | paper
            "voted": voter.has_voted,
            "anonymous": poll.anonymous,
            "ballot": None if ballot is None else _readable(poll.method, ballot.content, labels),
            "on_paper": bool(ballot and ballot.on_paper),
            "link_made": exported(voter.created_at),
            "link_opened": exported(voter.claimed_at),
        })
    return {"votes": out}


def _readable(method: str, content: Any, labels: dict[int, str]) -> Any:
    """The ballot with option names instead of ids, as its method shows it."""
    ballot = service.from_json(method, content)
    return service.method_registry()[method].readable(ballot, lambda option: labels.get(option, str(option)))
