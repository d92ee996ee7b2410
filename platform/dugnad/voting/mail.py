"""Personal voting links by e-mail to a process's participants, and the note to the
organiser when a poll closes. Both go through the outbox, so a retry never sends twice."""

from __future__ import annotations

from flask import g, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.extensions import db
from dugnad.links import external_url
from dugnad.notifications import queue_mail
from dugnad.participants.models import Participant
from dugnad.processes.models import Process, ProcessParticipant
from dugnad.tenancy.models import Tenant
from dugnad.voting import service
from dugnad.voting.models import Poll, Voter


def send_personal_links(poll: Poll, user) -> int:
    """A personal link for every participant of the process with an e-mail address who has
    none yet. Returns how many were sent."""
    if poll.state() == "closed":
        raise service.PollError(_("The poll is closed."), status=409)
    people = db.session.execute(
        select(Participant.id, Participant.name, Participant.email)
        .join(ProcessParticipant, (ProcessParticipant.participant_id == Participant.id)
              & (ProcessParticipant.tenant_id == Participant.tenant_id))
        .where(ProcessParticipant.process_id == poll.process_id, Participant.email.is_not(None),
               Participant.archived_at.is_(None))
    ).all()
    have = set(db.session.scalars(select(Voter.participant_id).where(Voter.poll_id == poll.id,
                                                                     Voter.participant_id.is_not(None))))
    waiting = [p for p in people if p.id not in have]
    if not waiting:
        return 0
    made = service.issue_links(poll, 0, user, participant_ids=[p.id for p in waiting])
    process = db.session.scalar(select(Process).where(Process.id == poll.process_id))
    by_id = {p.id: p for p in waiting}
    for voter, code in made:
        person = by_id[voter.participant_id]
        body = render_template("voting/mail/personal_link.txt", name=person.name, poll=poll, process=process,
                               tenant=g.tenant, link=service.vote_url(code), code=service.display_code(code))
        queue_mail(kind="poll-link", recipient=person.email, subject_ref=f"poll:{poll.id}:voter:{voter.id}",
                   subject=_("Your vote: %(title)s", title=poll.title), body=body)
    return len(made)


def closed_note(poll_id: int) -> int:
    """Tell the organiser that the poll has closed (a job, after the scheduled close)."""
    from dugnad.accounts.models import User

    poll = service.get_poll(poll_id)
    if poll is None or poll.status != "closed" or poll.created_by_id is None:
        return 0
    organiser = db.session.get(User, poll.created_by_id)
    tenant = db.session.get(Tenant, poll.tenant_id)
    if organiser is None or not organiser.active:
        return 0
    found = service.results(poll)
    from dugnad.voting.presenting import result_rows

    body = render_template("voting/mail/closed.txt", name=organiser.name, poll=poll, view=result_rows(found),
                           turnout=found.turnout, tenant=tenant,
                           link=external_url("voting.results", poll_id=poll.id, tenant=tenant.slug))
    queue_mail(kind="poll-closed", recipient=organiser.email, subject_ref=f"poll:{poll.id}",
               subject=_("Closed: %(title)s", title=poll.title), body=body)
    return 1
