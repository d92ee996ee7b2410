"""What one does with a poll: create it, collect proposals, open and close it, give
people the right to vote (as members, by personal link, on paper), cast ballots and
count them.

Every function works in the current municipality and raises ``PollError`` — with the
form field it concerns — before it changes anything. The caller commits. Casting is
the one place where many people act at once, so there the database decides: see
``cast`` and ``dugnad.voting.models``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from dugnad.accounts.models import User
from dugnad.audit import record
from dugnad.extensions import db
from dugnad.refusals import Refusal
from dugnad.processes.models import Activity, Phase, Process
from dugnad.tenancy.context import current_tenant_id
from dugnad.clock import utcnow
from dugnad.voting.models import Ballot, BallotMark, Poll, PollOption, Voter, effective_state, hold_poll
from dugnad.voting.rules import BallotError, PollRules

VISIBILITIES = ("live", "after_vote", "after_close")
MAX_LINKS_AT_ONCE = 500
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O or U to misread
CODE_LENGTH = 10


class PollError(Refusal):
    """A refused action on a poll, with a message for people, the field it concerns and an HTTP status."""


def method_registry() -> dict:
    return current_app.extensions["dugnad.plugins"].registry.poll_methods


# --- lookups ---------------------------------------------------------------------------------


def get_poll(poll_id: Any) -> Poll | None:
    try:
        poll_id = int(poll_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Poll).where(Poll.id == poll_id))


def polls_of(process_id: int | None = None, activity_id: int | None = None, source_ref: str | None = None) -> list[Poll]:
    query = select(Poll).order_by(Poll.created_at.desc(), Poll.id.desc())
    if process_id is not None:
        query = query.where(Poll.process_id == process_id)
    if activity_id is not None:
        query = query.where(Poll.activity_id == activity_id)
    if source_ref is not None:
        query = query.where(Poll.source_ref == source_ref)
    return list(db.session.scalars(query))


def options_of(poll: Poll, include_withdrawn: bool = False) -> list[PollOption]:
    query = select(PollOption).where(PollOption.poll_id == poll.id).order_by(PollOption.position, PollOption.id)
    if not include_withdrawn:
        query = query.where(PollOption.withdrawn_at.is_(None))
    return list(db.session.scalars(query))


def rules_of(poll: Poll, options: list[PollOption] | None = None) -> PollRules:
    options = options if options is not None else options_of(poll)
    return poll.rules(tuple(o.id for o in options), tuple((o.id, o.label) for o in options))


# --- creating and shaping ----------------------------------------------------------------


def _settings(method: str, given: dict[str, Any] | None) -> dict[str, Any]:
    """Check the method's settings by building its rules once."""
    given = dict(given or {})
    allowed = {"dots_per_person", "max_per_option", "stacking", "max_approvals", "score_min", "score_max",
               "criteria", "ranked_variant"}
    unknown = set(given) - allowed
    if unknown:
        raise PollError(_("Unknown settings: %(names)s.", names=", ".join(sorted(unknown))), "settings")
    if "criteria" in given:
        criteria = given["criteria"]
        if not isinstance(criteria, list) or not criteria:
            raise PollError(_("Give at least one criterion."), "criteria")
        cleaned = []
        for criterion in criteria:
            label = str(criterion.get("label", "")).strip() if isinstance(criterion, dict) else ""
            if not label:
                raise PollError(_("Every criterion needs a name."), "criteria")
            try:
                weight = float(criterion.get("weight", 1))
            except (TypeError, ValueError):
                raise PollError(_("The weight of “%(label)s” must be a number.", label=label), "criteria") from None
            if not 0 < weight <= 100:
                raise PollError(_("The weight of “%(label)s” must be above 0 and at most 100.", label=label), "criteria")
            key = str(criterion.get("key") or "").strip() or f"c{len(cleaned) + 1}"
            cleaned.append({"key": key[:63], "label": label[:200], "weight": weight})
        given["criteria"] = cleaned
    try:
        probe = Poll(method=method, settings=given)
        probe.rules(())
    except (TypeError, ValueError) as error:
        raise PollError(_("These settings do not work together: %(why)s", why=str(error)), "settings") from None
    return given


def create_poll(process: Process, *, title: str, method: str, phase: Phase | None = None,
                activity: Activity | None = None, description: str | None = None, options: Iterable = (),
                option_mode: str = "fixed", settings: dict[str, Any] | None = None,
                results_visibility: str = "live", anonymous: bool = False, allow_change: bool = True,
                member_voting: bool = True, opens_at: datetime | None = None, closes_at: datetime | None = None,
                user: User | None = None, source_ref: str | None = None) -> Poll:
    title = (title or "").strip()
    if not title:
        raise PollError(_("Give the poll a title, for example the question people vote on."), "title")
    if len(title) > 200:
        raise PollError(_("The title can be at most 200 characters."), "title")
    if method not in method_registry():
        raise PollError(_("Choose how people vote."), "method")
    if option_mode not in ("fixed", "proposals"):
        raise PollError(_("Choose who writes the options."), "option_mode")
    if results_visibility not in VISIBILITIES:
        raise PollError(_("Choose when people see the results."), "results_visibility")
    if phase is not None and phase.process_id != process.id:
        raise PollError(_("That phase belongs to another process."), "phase_id")
    if activity is not None and activity.process_id != process.id:
        raise PollError(_("That activity belongs to another process."), "activity_id")
    _check_times(opens_at, closes_at)
    if anonymous:
        # nothing links an anonymous ballot to its voter, so it cannot be changed, and live
        # counts would show what the person who just voted chose
        allow_change, results_visibility = False, "after_close"
    poll = Poll(process_id=process.id, phase_id=phase.id if phase else None,
                activity_id=activity.id if activity else None, title=title,
                description=(description or "").strip() or None, method=method,
                settings=_settings(method, settings), option_mode=option_mode, status="draft",
                results_visibility=results_visibility, anonymous=anonymous, allow_change=allow_change,
                member_voting=member_voting, opens_at=opens_at, closes_at=closes_at,
                source_ref=source_ref, created_by_id=user.id if user else None)
    db.session.add(poll)
    db.session.flush()
    for option in options:
        data = {"label": option} if isinstance(option, str) else dict(option)
        add_option(poll, data.pop("label", ""), user=user, **data)
    record("poll.created", poll, process_id=process.id, title=title, method=method, anonymous=anonymous)
    return poll


def _check_times(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if closes_at is not None and closes_at <= utcnow():
        raise PollError(_("The closing time has already passed. Choose a time in the future."), "closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        raise PollError(_("The poll must close after it opens."), "closes_at")


def update_poll(poll: Poll, *, title: str | None = None, description: str | None = None,
                opens_at: Any = ..., closes_at: Any = ...) -> None:
    """Change the title, description and times; the method, options and rules are fixed once voting opens."""
    if poll.state() == "closed":
        raise PollError(_("The poll is closed and can no longer be changed."), status=409)
    if title is not None:
        title = title.strip()
        if not title:
            raise PollError(_("Give the poll a title, for example the question people vote on."), "title")
        poll.title = title[:200]
    if description is not None:
        poll.description = description.strip() or None
    new_opens = poll.opens_at if opens_at is ... else opens_at
    new_closes = poll.closes_at if closes_at is ... else closes_at
    if closes_at is not ... or opens_at is not ...:
        _check_times(new_opens, new_closes)
        poll.opens_at, poll.closes_at = new_opens, new_closes
    record("poll.changed", poll, title=poll.title)


def add_option(poll: Poll, label: str, *, description: str | None = None, source_ref: str | None = None,
               user: User | None = None, voter: Voter | None = None) -> PollOption:
    """An option from the organiser (before voting opens) or a proposal (in the proposal stage)."""
    label = (label or "").strip()
    if not label:
        raise PollError(_("Write the option."), "label")
    if len(label) > 300:
        raise PollError(_("An option can be at most 300 characters."), "label")
    if poll.status not in ("draft", "proposals"):
        raise PollError(_("Options can no longer be added: voting has started."), "label", status=409)
    if poll.method == "consent":
        raise PollError(_("A consent poll is about one proposal, described in the poll itself."), "label")
    last = db.session.scalar(select(func.max(PollOption.position)).where(PollOption.poll_id == poll.id))
    duplicate = db.session.scalar(select(PollOption.id).where(
        PollOption.poll_id == poll.id, PollOption.withdrawn_at.is_(None), func.lower(PollOption.label) == label.lower()))
    if duplicate is not None:
        raise PollError(_("“%(label)s” is already an option.", label=label), "label", status=409)
    option = PollOption(poll_id=poll.id, label=label, description=(description or "").strip() or None,
                        position=(last + 1) if last is not None else 0, source_ref=source_ref,
                        proposed_by_id=user.id if user else None, proposed_by_voter_id=voter.id if voter else None)
    db.session.add(option)
    db.session.flush()
    return option


def withdraw_option(poll: Poll, option: PollOption) -> None:
    if poll.status not in ("draft", "proposals"):
        raise PollError(_("Options can no longer be removed: voting has started."), status=409)
    option.withdrawn_at = utcnow()
    record("poll.option_withdrawn", poll, option_id=option.id, label=option.label)


def start_proposals(poll: Poll, user: User | None = None) -> None:
    if poll.status != "draft":
        raise PollError(_("Only a draft can start collecting proposals."), status=409)
    poll.status = "proposals"
    record("poll.proposals_started", poll)


def open_poll(poll: Poll, user: User | None = None) -> None:
    if poll.status not in ("draft", "proposals"):
        raise PollError(_("The poll is already open or closed."), status=409)
    if method_registry()[poll.method].takes_options and len(options_of(poll)) < 2:
        raise PollError(_("Add at least two options before voting opens."), "label", status=409)
    if poll.closes_at is not None and poll.closes_at <= utcnow():
        raise PollError(_("The closing time has already passed. Choose a time in the future."), "closes_at", status=409)
    poll.status = "open"
    poll.opened_at = utcnow()
    record("poll.opened", poll)


def close_poll(poll: Poll, user: User | None = None) -> bool:
    """Close now (or record that the closing time has come). Returns whether it changed."""
    if poll.status == "closed":
        return False
    if poll.status != "open":
        raise PollError(_("Only an open poll can be closed."), status=409)
    # it waits for card ballots being cast right now (they hold the poll's lock shared,
    # ``models.hold_poll``), and after it no ballot is accepted; the UPDATE waits for the
    # general path's (its ballots hold the poll row FOR SHARE)
    hold_poll(db.session.connection(), poll.id)
    now = utcnow()
    closed_at = poll.closes_at if poll.closes_at and poll.closes_at <= now else now
    changed = db.session.execute(
        update(Poll).where(Poll.id == poll.id, Poll.status == "open").values(status="closed", closed_at=closed_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(poll)
    if changed:
        record("poll.closed", poll, by="schedule" if user is None else "person")
    return bool(changed)


# --- who may vote ------------------------------------------------------------------------------


def voter_for_user(poll: Poll, user: User) -> Voter:
    """The member's voter row, made once (two tabs at once still make one: the unique key)."""
    found = db.session.scalar(select(Voter).where(Voter.poll_id == poll.id, Voter.user_id == user.id))
    if found is not None:
        return found
    _insert_ignoring_duplicate(Voter, {"tenant_id": current_tenant_id(), "poll_id": poll.id, "kind": "member",
                                       "user_id": user.id, "has_voted": False, "created_at": utcnow()},
                               ("tenant_id", "poll_id", "user_id"))
    return db.session.scalar(select(Voter).where(Voter.poll_id == poll.id, Voter.user_id == user.id))


def _dialect_insert(model):
    return pg_insert(model) if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert(model)


def _insert_ignoring_duplicate(model, values: dict, unique: tuple[str, ...]) -> None:
    db.session.execute(_dialect_insert(model).values(**values).on_conflict_do_nothing(index_elements=list(unique)))


def normalise_code(code: str) -> str:
    """What people type from a card: any case, dashes or spaces, O for 0 and I or L for 1."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def _card_code(voter: Voter) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    message = f"dugnad-poll-card:{voter.tenant_id}:{voter.poll_id}:{voter.id}:{voter.nonce}".encode()
    number = int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big")
    chars = []
    for _i in range(CODE_LENGTH):
        number, index = divmod(number, 32)
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def vote_url(code: str) -> str:
    from dugnad.links import external_url

    return external_url("voting_public.vote", code=code)


def issue_links(poll: Poll, count: int, user: User | None = None, participant_ids: Iterable[int] = ()) -> list[tuple[Voter, str]]:
    """``count`` personal one-time links (voting cards), or one per participant given.
    The code is derived from the voter row and the secret key, so the cards can be printed
    again until they are used; only its hash is stored."""
    if poll.state() == "closed":
        raise PollError(_("The poll is closed."), status=409)
    participant_ids = list(participant_ids)
    if not participant_ids and not 1 <= count <= MAX_LINKS_AT_ONCE:
        raise PollError(_("Make between 1 and %(n)s cards at a time.", n=MAX_LINKS_AT_ONCE), "count")
    existing = db.session.scalar(select(func.count()).select_from(Voter).where(Voter.poll_id == poll.id, Voter.kind == "link"))
    made = []
    targets = participant_ids or [None] * count
    for number, participant_id in enumerate(targets, start=existing + 1):
        voter = Voter(poll_id=poll.id, kind="link", participant_id=participant_id,
                      label=_("Card %(n)s", n=number), nonce=secrets.token_hex(8), entered_by_id=user.id if user else None)
        db.session.add(voter)
        db.session.flush()
        code = _card_code(voter)
        voter.token_hash = code_hash(code)
        made.append((voter, code))
    db.session.flush()
    record("poll.links_issued", poll, count=len(made))
    return made


def cards(poll: Poll) -> list[tuple[Voter, str]]:
    """The poll's unused, unrevoked cards with their codes, to print again."""
    voters = db.session.scalars(select(Voter).where(Voter.poll_id == poll.id, Voter.kind == "link",
                                                    Voter.claimed_at.is_(None), Voter.revoked_at.is_(None),
                                                    Voter.has_voted.is_(False))
                                .order_by(Voter.id)).all()
    found = [(voter, _card_code(voter)) for voter in voters]
    # after a change of secret key a card's code cannot be derived again: leave it out
    return [(voter, code) for voter, code in found if code_hash(code) == voter.token_hash]


def link_counts(poll: Poll) -> dict[str, int]:
    rows = db.session.execute(select(
        func.count(),
        func.count().filter((Voter.claimed_at.is_not(None)) | Voter.has_voted),
        func.count(Voter.revoked_at),
    ).where(Voter.poll_id == poll.id, Voter.kind == "link")).one()
    return {"made": rows[0], "claimed": rows[1], "revoked": rows[2]}


def revoke_unused_links(poll: Poll) -> int:
    changed = db.session.execute(
        update(Voter).where(Voter.poll_id == poll.id, Voter.kind == "link", Voter.claimed_at.is_(None),
                            Voter.revoked_at.is_(None)).values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")).rowcount
    record("poll.links_revoked", poll, count=changed)
    return changed


def voter_for_code(code: str) -> Voter | None:
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    return db.session.scalar(select(Voter).where(Voter.token_hash == code_hash(code)))


def holds(voter: Voter, device_secret: str | None) -> bool:
    """Whether this device is the one that claimed the card."""
    return bool(device_secret and voter.device_hash
                and hmac.compare_digest(voter.device_hash, hashlib.sha256(device_secret.encode()).hexdigest()))


def claim(voter: Voter, device_secret: str | None) -> tuple[str, bool]:
    """Bind a personal link to the first phone or browser that opens it. Returns the device
    secret to keep (in the session) and whether it was claimed just now. Another device gets
    ``PollError`` 410: a replayed link."""
    if voter.revoked_at is not None:
        raise PollError(_("This voting card has been withdrawn. Ask the facilitator for a new one."), status=410)
    if holds(voter, device_secret):
        return device_secret, False
    fresh = secrets.token_urlsafe(24)
    claimed = db.session.execute(
        update(Voter).where(Voter.id == voter.id, Voter.device_hash.is_(None), Voter.revoked_at.is_(None))
        .values(device_hash=hashlib.sha256(fresh.encode()).hexdigest(), claimed_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.refresh(voter)
        if voter.revoked_at is not None:
            raise PollError(_("This voting card has been withdrawn. Ask the facilitator for a new one."), status=410)
        raise PollError(_("This voting card has already been used on another phone or computer. "
                          "Ask the facilitator for a new card."), status=410)
    db.session.refresh(voter)
    return fresh, True


# --- casting -----------------------------------------------------------------------------------


def _lock_open_poll(poll: Poll) -> None:
    """Hold the poll row FOR SHARE while the ballot is written: closing (an UPDATE) waits for
    ballots in flight, and a ballot after the close sees it closed."""
    row = db.session.execute(
        select(Poll.status, Poll.opens_at, Poll.closes_at).where(Poll.id == poll.id).with_for_update(read=True)
    ).one()
    state = effective_state(row.status, row.opens_at, row.closes_at, utcnow())
    if state == "closed":
        raise PollError(_("The poll has closed. Your vote was not recorded."), status=409)
    if state != "open":
        raise PollError(_("Voting has not opened yet."), status=409)


def _marks(method: str, ballot: Any) -> list[tuple[int, str, int]]:
    """(option_id, criterion, value) for every option the ballot gives something."""
    return method_registry()[method].marks(ballot)


def _weight(method: str, ballot: Any) -> int:
    return method_registry()[method].weight(ballot)


def to_json(method: str, ballot: Any) -> Any:
    """A ballot as stored and as the API shows it (option ids as strings in JSON objects)."""
    return method_registry()[method].dump(ballot)


def validate(poll: Poll, ballot: Any, options: list[PollOption] | None = None) -> None:
    method = method_registry()[poll.method]
    try:
        method.validate(ballot, rules_of(poll, options))
    except BallotError as error:
        raise PollError(str(error), "ballot") from None
    except (TypeError, ValueError):
        raise PollError(_("The vote could not be read. Please try again."), "ballot") from None


def cast(poll: Poll, voter: Voter, ballot: Any, *, entered_by: User | None = None,
         options: list[PollOption] | None = None) -> int | None:
    """Record ``voter``'s ballot (``options``: the poll's, if the caller has them already).
    Returns the stored ballot's id (None in an anonymous poll, where nothing links the
    ballot to the voter).

    The rules hold under concurrency without a check-then-write: the ballot is validated as
    a whole (it carries all of the voter's dots), and one statement stores it — an upsert on
    the unique (poll, voter) key, so two requests at once leave one ballot, never two; in an
    anonymous poll a conditional UPDATE of ``has_voted`` lets exactly one through."""
    if voter.poll_id != poll.id:
        raise PollError(_("That vote belongs to another poll."), status=404)
    if voter.revoked_at is not None:
        raise PollError(_("This voting card has been withdrawn. Ask the facilitator for a new one."), status=410)
    if voter.kind == "member" and not poll.member_voting and entered_by is None:
        raise PollError(_("In this poll people vote with a personal card from the organiser."), status=403)
    _lock_open_poll(poll)
    validate(poll, ballot, options)
    tenant_id = current_tenant_id()
    now = utcnow()
    content, weight = to_json(poll.method, ballot), _weight(poll.method, ballot)
    on_paper = entered_by is not None
    if poll.anonymous:
        flipped = db.session.execute(
            update(Voter).where(Voter.id == voter.id, Voter.poll_id == poll.id, Voter.has_voted.is_(False))
            .values(has_voted=True).execution_options(synchronize_session=False)).rowcount
        if not flipped:
            raise PollError(_("You have already voted. In an anonymous poll a vote cannot be changed."), status=409)
        ballot_id = secrets.randbits(62)  # random ids: insertion order does not tell who voted when
        db.session.execute(insert(Ballot).values(id=ballot_id, tenant_id=tenant_id, poll_id=poll.id, voter_id=None,
                                                 content=content, weight=weight, on_paper=on_paper,
                                                 entered_by_id=entered_by.id if entered_by else None))
        _write_marks(poll, ballot_id, ballot, random_ids=True)
        _audit_cast(poll, voter, entered_by, anonymous=True)
        db.session.expire(voter, ["has_voted"])
        return None
    values = {"tenant_id": tenant_id, "poll_id": poll.id, "voter_id": voter.id, "content": content, "weight": weight,
              "on_paper": on_paper, "entered_by_id": entered_by.id if entered_by else None, "cast_at": now,
              "updated_at": now}
    statement = _dialect_insert(Ballot).values(**values)
    if poll.allow_change:
        statement = statement.on_conflict_do_update(
            index_elements=["tenant_id", "poll_id", "voter_id"],
            set_={"content": content, "weight": weight, "on_paper": on_paper,
                  "entered_by_id": values["entered_by_id"], "updated_at": now})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=["tenant_id", "poll_id", "voter_id"])
    ballot_id = db.session.execute(statement.returning(Ballot.id)).scalar()
    if ballot_id is None:
        raise PollError(_("You have already voted, and this poll does not allow changing a vote."), status=409)
    db.session.execute(delete(BallotMark).where(BallotMark.ballot_id == ballot_id, BallotMark.poll_id == poll.id)
                       .execution_options(synchronize_session=False))
    _write_marks(poll, ballot_id, ballot)
    db.session.execute(update(Voter).where(Voter.id == voter.id).values(has_voted=True)
                       .execution_options(synchronize_session=False))
    _audit_cast(poll, voter, entered_by, anonymous=False)
    set_committed_value(voter, "has_voted", True)  # as the UPDATE above made it, without another
    return ballot_id


def _write_marks(poll: Poll, ballot_id: int, ballot: Any, random_ids: bool = False) -> None:
    rows = [{"tenant_id": current_tenant_id(), "poll_id": poll.id, "ballot_id": ballot_id, "option_id": option_id,
             "criterion": criterion, "value": value, **({"id": secrets.randbits(62)} if random_ids else {})}
            for option_id, criterion, value in _marks(poll.method, ballot)]
    if rows:
        db.session.execute(insert(BallotMark), rows)


def _audit_cast(poll: Poll, voter: Voter, entered_by: User | None, anonymous: bool) -> None:
    if entered_by is not None:
        # a paper ballot entered on someone's behalf is always audited (who entered it, for whom)
        record("poll.paper_ballot", poll, voter_id=None if anonymous else voter.id,
               participant_id=None if anonymous else voter.participant_id, label=voter.label)


def enter_paper_ballot(poll: Poll, ballot: Any, *, entered_by: User, participant_id: int | None = None,
                       label: str | None = None) -> int | None:
    """A ballot a facilitator enters for someone who voted on paper (or with dots on the wall)."""
    if poll.anonymous and participant_id is not None:
        raise PollError(_("In an anonymous poll a paper ballot is entered without a name."), "participant_id")
    if participant_id is not None:
        from dugnad.participants.models import Participant

        if db.session.scalar(select(Participant.id).where(Participant.id == participant_id)) is None:
            raise PollError(_("Choose someone from the participant register."), "participant_id")
        voter = db.session.scalar(select(Voter).where(Voter.poll_id == poll.id, Voter.participant_id == participant_id))
    else:
        voter = None
    if voter is None:
        count = db.session.scalar(select(func.count()).select_from(Voter).where(Voter.poll_id == poll.id, Voter.kind == "paper"))
        voter = Voter(poll_id=poll.id, kind="paper", participant_id=participant_id, entered_by_id=entered_by.id,
                      label=(label or "").strip()[:120] or _("Paper ballot %(n)s", n=count + 1))
        db.session.add(voter)
        db.session.flush()
    return cast(poll, voter, ballot, entered_by=entered_by)


def ballot_of(poll: Poll, voter: Voter | None) -> Any:
    """The voter's current ballot content (None if none, or in an anonymous poll)."""
    if voter is None or poll.anonymous:
        return None
    content = db.session.scalar(select(Ballot.content).where(Ballot.poll_id == poll.id, Ballot.voter_id == voter.id))
    return None if content is None else from_json(poll.method, content)


def from_json(method: str, content: Any) -> Any:
    return method_registry()[method].load(content)


# --- counting ----------------------------------------------------------------------------------


@dataclass
class Results:
    poll: Poll
    options: dict[int, PollOption]
    tally: Any
    turnout: int
    on_paper: int
    visible_to_everyone: bool
    state: str
    links: dict[str, int] = field(default_factory=dict)


def turnout(poll: Poll) -> tuple[int, int, datetime | None]:
    """(ballots, of which on paper, last change) in one query."""
    row = db.session.execute(select(func.count(), func.count().filter(Ballot.on_paper),
                                    func.max(Ballot.updated_at)).where(Ballot.poll_id == poll.id)).one()
    return row[0], row[1], row[2]


def live_version(poll: Poll, counted: tuple | None = None) -> str:
    """Changes whenever a ballot is cast or changed, or the poll opens or closes
    (``counted``: what ``turnout`` gave, if the caller has it already)."""
    count, _paper, changed = counted or turnout(poll)
    return f"{poll.state()}-{count}-{changed.isoformat() if changed else ''}"


def can_see_results(poll: Poll, voter: Voter | None, manager: bool) -> bool:
    state = poll.state()
    if state == "closed":
        return True
    if poll.results_visibility == "live":
        return True
    if poll.results_visibility == "after_vote":
        return manager or bool(voter and voter.has_voted)
    return False  # after_close: nobody, the organisers included


def results(poll: Poll, counted: tuple | None = None) -> Results:
    options = options_of(poll)
    rules = rules_of(poll, options)
    contents = db.session.scalars(select(Ballot.content).where(Ballot.poll_id == poll.id)).all()
    ballots = [from_json(poll.method, c) for c in contents]
    method = method_registry()[poll.method]
    tally = method.tally(ballots, rules)
    count, paper, _changed = counted or turnout(poll)
    return Results(poll=poll, options={o.id: o for o in options}, tally=tally, turnout=count, on_paper=paper,
                   visible_to_everyone=can_see_results(poll, None, False), state=poll.state(),
                   links=link_counts(poll))
