"""Needs and assignments: a need is created (never in the past), volunteers who pass
the hard rules are asked, each answers by link, the need is filled when enough say
yes, then done with the hours given.

Answers are safe to repeat: a replayed link or a second click changes nothing and
says what already happened; a yes to a need someone else has filled is thanked and
told it is no longer needed. Saying yes locks the need's row, so two volunteers
answering at once cannot both fill the last place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from dugnad.sdk import db, local_now, record, utcnow
from dugnad_volunteers import configuration, matching, registration
from dugnad_volunteers.errors import BankError, clean
from dugnad_volunteers.models import LANGUAGES, LEVELS, REQUIRABLE_QUALIFICATIONS, Assignment, Need, Role, Volunteer

MAX_LENGTH = timedelta(hours=24)
MAX_ASK_AT_ONCE = 20
OPEN_ASSIGNMENTS = ("asked", "accepted")


def get(need_id: int) -> Need | None:
    return db.session.scalar(select(Need).where(Need.id == need_id))


def get_assignment(assignment_id: int) -> Assignment | None:
    return db.session.scalar(select(Assignment).where(Assignment.id == assignment_id))


def role_of(need: Need) -> Role:
    return configuration.get_role(need.role_id)


def check(values: dict[str, Any], need: Need | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    title = clean(values.get("title"))
    if not title:
        raise BankError(_("Write what the need is, for example “Escort to the GP”."), "title")
    if len(title) > 200:
        raise BankError(_("The title can be at most 200 characters."), "title")
    out["title"] = title
    role = configuration.get_role(_int(values.get("role_id")))
    if role is None or (not role.active and (need is None or need.role_id != role.id)):
        raise BankError(_("Choose the kind of task."), "role_id")
    out["role_id"] = role.id
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if not isinstance(starts_at, datetime):
        raise BankError(_("Write the day and time it starts."), "starts_at")
    if starts_at <= local_now() and (need is None or starts_at != need.starts_at):
        raise BankError(_("The time is in the past. Write when the volunteer is needed."), "starts_at")
    if not isinstance(ends_at, datetime):
        raise BankError(_("Write when it ends."), "ends_at")
    if ends_at <= starts_at:
        raise BankError(_("It must end after it starts."), "ends_at")
    if ends_at - starts_at > MAX_LENGTH:
        raise BankError(_("A need can last at most 24 hours. Make one need per day."), "ends_at")
    out["starts_at"], out["ends_at"] = starts_at.replace(second=0, microsecond=0), ends_at.replace(second=0, microsecond=0)
    out["description"] = clean(values.get("description"))
    if out["description"] and len(out["description"]) > 3000:
        raise BankError(_("This can be at most %(n)s characters.", n=3000), "description")
    out["location"] = clean(values.get("location"))
    if out["location"] and len(out["location"]) > 200:
        raise BankError(_("This can be at most %(n)s characters.", n=200), "location")
    area_id = _int(values.get("area_id"))
    if area_id is not None and configuration.get_area(area_id) is None:
        raise BankError(_("Choose an area from the list."), "area_id")
    out["area_id"] = area_id
    language = values.get("language") or None
    if language is not None and language not in LANGUAGES:
        raise BankError(_("Choose the language from the list."), "language")
    out["language"] = language
    level = _int(values.get("language_level")) if language else None
    if language and level is None:
        level = 1
    if level is not None and level not in LEVELS:
        raise BankError(_("Choose how well the volunteer must speak it."), "language_level")
    out["language_level"] = level
    qualification = values.get("qualification") or None
    if qualification is not None and qualification not in REQUIRABLE_QUALIFICATIONS:
        raise BankError(_("Choose the qualification from the list."), "qualification")
    out["qualification"] = qualification
    needed = _int(values.get("volunteers_needed")) or 1
    if not 1 <= needed <= 50:
        raise BankError(_("Between 1 and 50 volunteers."), "volunteers_needed")
    if need is not None and needed < accepted_count(need):
        raise BankError(_("More volunteers have already said yes. Cancel one of them first."), "volunteers_needed")
    out["volunteers_needed"] = needed
    return out


def _int(value) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def create(values: dict[str, Any], user) -> Need:
    need = Need(created_by_id=getattr(user, "id", None), **check(values))
    db.session.add(need)
    db.session.flush()
    record("volunteers.need_created", need, title=need.title)
    return need


def update(need: Need, values: dict[str, Any]) -> list[str]:
    if need.status in ("done", "cancelled"):
        raise BankError(_("This need is closed and cannot be changed."), "title", status=409)
    checked = check(values, need)
    changed = [key for key, value in checked.items() if getattr(need, key) != value]
    for key in changed:
        setattr(need, key, checked[key])
    _settle(need)
    record("volunteers.need_changed", need, fields=changed)
    if set(changed) & NOTIFIED_CHANGES:
        _tell_of_change(need)
    return changed


NOTIFIED_CHANGES = {"starts_at", "ends_at", "location", "title"}


def _tell_of_change(need: Need) -> None:
    """Those asked or who said yes hear of a new time or place (and are reminded again)."""
    from dugnad_volunteers import mail

    for assignment in db.session.scalars(select(Assignment).where(Assignment.need_id == need.id,
                                                                  Assignment.status.in_(OPEN_ASSIGNMENTS))):
        assignment.reminded_at = None
        mail.later(mail.send_need_changed, assignment.id, need.starts_at.isoformat() + (need.location or ""))


def accepted_count(need: Need) -> int:
    return db.session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.need_id == need.id, Assignment.status.in_(("accepted", "done")))) or 0


def _settle(need: Need) -> None:
    """Filled when enough have said yes; open again when one cancels. Those still asked
    are told they are no longer needed once it is filled."""
    if need.status not in ("open", "filled"):
        return
    accepted = accepted_count(need)
    if accepted >= need.volunteers_needed and need.status == "open":
        need.status, need.filled_at = "filled", utcnow()
        from dugnad_volunteers import handoffs, mail

        for assignment in db.session.scalars(select(Assignment).where(Assignment.need_id == need.id, Assignment.status == "asked")):
            assignment.status = "not_needed"
            mail.later(mail.send_not_needed, assignment.id)
        record("volunteers.need_filled", need)
        handoffs.filled(need, accepted)
    elif accepted < need.volunteers_needed and need.status == "filled":
        need.status, need.filled_at = "open", None
        record("volunteers.need_reopened", need)


def ask(need: Need, volunteer_ids: list[int], user) -> list[Assignment]:
    """Ask volunteers to take the need; each must pass the hard rules now."""
    if need.status != "open":
        raise BankError(_("The need is not open: it is %(status)s.", status=need.status_label.lower()), "volunteer_ids", status=409)
    if need.starts_at <= local_now():
        raise BankError(_("The need has already started."), "volunteer_ids", status=409)
    ids = list(dict.fromkeys(int(i) for i in volunteer_ids))
    if not ids:
        raise BankError(_("Choose at least one volunteer to ask."), "volunteer_ids")
    if len(ids) > MAX_ASK_AT_ONCE:
        raise BankError(_("Ask at most %(n)s at a time.", n=MAX_ASK_AT_ONCE), "volunteer_ids")
    eligible = matching.eligible_ids(need, role_of(need), ids)
    refused = [i for i in ids if i not in eligible]
    if refused:
        names = db.session.scalars(select(Volunteer.name).where(Volunteer.id.in_(refused))).all()
        raise BankError(_("These do not meet the rules for this need (or were asked already): %(names)s.",
                          names=", ".join(names) or ", ".join(map(str, refused))), "volunteer_ids")
    from dugnad_volunteers import mail

    earlier = {a.volunteer_id: a for a in db.session.scalars(select(Assignment).where(
        Assignment.need_id == need.id, Assignment.volunteer_id.in_(ids)))}  # told "not needed" before: asked again
    made = []
    for volunteer_id in ids:
        assignment = earlier.get(volunteer_id) or Assignment(need_id=need.id, volunteer_id=volunteer_id)
        assignment.status, assignment.asked_at, assignment.answered_at = "asked", utcnow(), None
        assignment.asked_by_id = getattr(user, "id", None)
        db.session.add(assignment)
        made.append(assignment)
    db.session.flush()
    for assignment in made:
        mail.later(mail.send_request, assignment.id)
    record("volunteers.asked", need, volunteers=ids)
    from dugnad_volunteers import handoffs

    handoffs.asked(need)
    return made


def withdraw_ask(assignment: Assignment) -> None:
    """The coordinator takes a request back (asked or accepted): the volunteer is told they are
    not needed, and their link no longer takes a yes (they can be asked again)."""
    if assignment.status not in OPEN_ASSIGNMENTS:
        raise BankError(_("Only an open request can be taken back."), "assignment_id", status=409)
    need = _locked_need(assignment.need_id)
    if need.status in ("done", "cancelled"):
        raise BankError(_("This need is closed and cannot be changed."), "assignment_id", status=409)
    assignment.status = "not_needed"
    from dugnad_volunteers import mail

    mail.later(mail.send_not_needed, assignment.id)
    _settle(need)
    record("volunteers.request_withdrawn", assignment, need_id=need.id)


def _locked_need(need_id: int) -> Need:
    return db.session.scalar(select(Need).where(Need.id == need_id).with_for_update())


OUTCOMES = ("accepted", "declined", "withdrawn", "already_accepted", "already_declined", "filled", "cancelled",
            "past", "closed")


def answer(assignment: Assignment, yes: bool) -> str:
    """The volunteer's answer; returns what happened (one of OUTCOMES)."""
    need = _locked_need(assignment.need_id)
    volunteer = db.session.scalar(select(Volunteer).where(Volunteer.id == assignment.volunteer_id))
    if need.status == "cancelled":
        return "cancelled"
    if need.status == "done" or assignment.status == "done":
        return "closed"
    if need.starts_at <= local_now():
        return "past"
    if assignment.status == "not_needed":
        return "filled" if need.status == "filled" else "closed"  # they were told they are not needed
    from dugnad_volunteers import mail

    registration.touch(volunteer)
    now = utcnow()
    if yes:
        if assignment.status == "accepted":
            return "already_accepted"
        if need.status != "open":
            assignment.status, assignment.answered_at = "not_needed", now
            return "filled"
        assignment.status, assignment.answered_at = "accepted", now
        record("volunteers.accepted", assignment, need_id=need.id, user_id=None)
        mail.later(mail.notify_coordinator_answer, assignment.id)
        _settle(need)
        return "accepted"
    if assignment.status == "accepted":
        assignment.status, assignment.answered_at = "withdrawn", now
        record("volunteers.cancelled_yes", assignment, need_id=need.id, user_id=None)
        mail.later(mail.notify_coordinator_answer, assignment.id)
        _settle(need)
        return "withdrawn"
    if assignment.status == "declined":
        return "already_declined"
    assignment.status, assignment.answered_at = "declined", now
    record("volunteers.declined", assignment, need_id=need.id, user_id=None)
    return "declined"


def cancel(need: Need, reason: str | None) -> None:
    if need.status in ("done", "cancelled"):
        raise BankError(_("This need is already closed."), "reason", status=409)
    reason = clean(reason)
    if not reason:
        raise BankError(_("Say why, so the volunteers who said yes understand."), "reason")
    from dugnad_volunteers import mail

    need.status, need.cancelled_at, need.cancel_reason = "cancelled", utcnow(), reason
    for assignment in db.session.scalars(select(Assignment).where(Assignment.need_id == need.id,
                                                                  Assignment.status.in_(OPEN_ASSIGNMENTS))):
        assignment.status = "not_needed"
        mail.later(mail.send_not_needed, assignment.id)
    record("volunteers.need_cancelled", need, reason=reason)
    from dugnad_volunteers import handoffs

    handoffs.cancelled(need)


def complete(need: Need, minutes: dict[int, int | None]) -> int:
    """The need is done: each volunteer who said yes gets the time given (the need's length by default)."""
    if need.status not in ("open", "filled"):
        raise BankError(_("This need is already closed."), "minutes", status=409)
    if need.starts_at > local_now():
        raise BankError(_("The need has not started yet. Record the hours after it has happened."), "minutes", status=409)
    accepted = list(db.session.scalars(select(Assignment).where(Assignment.need_id == need.id, Assignment.status == "accepted")))
    if not accepted:
        raise BankError(_("Nobody said yes to this need. Cancel it instead, with the reason."), "minutes", status=409)
    values = {}
    for assignment in accepted:
        value = minutes.get(assignment.id)
        value = need.minutes if value is None else value
        if not 0 <= value <= 24 * 60:
            raise BankError(_("Write the time given in hours, at most 24."), "minutes")
        values[assignment.id] = value
    now, day = utcnow(), need.starts_at.date()
    for assignment in accepted:
        assignment.status, assignment.minutes, assignment.done_at = "done", values[assignment.id], now
        volunteer = db.session.scalar(select(Volunteer).where(Volunteer.id == assignment.volunteer_id))
        if volunteer.last_task_on is None or volunteer.last_task_on < day:
            volunteer.last_task_on = day
        volunteer.idle_since = None
    need.status, need.done_at = "done", now
    need.filled_at = need.filled_at or now
    record("volunteers.need_done", need, minutes=sum(values.values()))
    return len(accepted)


def set_minutes(assignment: Assignment, minutes: int | None) -> None:
    if assignment.status != "done":
        raise BankError(_("Hours are recorded when the need is done."), "minutes", status=409)
    if minutes is None or not 0 <= minutes <= 24 * 60:
        raise BankError(_("Write the time given in hours, at most 24."), "minutes")
    assignment.minutes = minutes
    record("volunteers.hours_changed", assignment, minutes=minutes)


# --- lists -------------------------------------------------------------------------------------------


@dataclass
class NeedRow:
    need: Need
    role_name: str
    accepted: int
    asked: int


def need_rows(upcoming: bool = True, limit: int = 200) -> list[NeedRow]:
    """Upcoming open and filled needs (soonest first), or closed and past ones (newest first),
    with how many said yes and how many are waiting, in one query."""
    counts = (
        select(Assignment.need_id.label("need_id"),
               func.sum(case((Assignment.status.in_(("accepted", "done")), 1), else_=0)).label("accepted"),
               func.sum(case((Assignment.status == "asked", 1), else_=0)).label("asked"))
        .group_by(Assignment.need_id).subquery()
    )
    query = (
        select(Need, Role.name, func.coalesce(counts.c.accepted, 0), func.coalesce(counts.c.asked, 0))
        .join(Role, (Role.id == Need.role_id) & (Role.tenant_id == Need.tenant_id))
        .outerjoin(counts, counts.c.need_id == Need.id)
    )
    now = local_now()
    if upcoming:
        query = query.where(Need.status.in_(("open", "filled")), Need.ends_at >= now).order_by(Need.starts_at, Need.id)
    else:
        query = query.where((Need.status.in_(("done", "cancelled"))) | (Need.ends_at < now)).order_by(Need.starts_at.desc(), Need.id.desc())
    return [NeedRow(*row) for row in db.session.execute(query.limit(limit)).tuples()]


def assignments_of(need: Need) -> list[tuple[Assignment, Volunteer]]:
    return db.session.execute(
        select(Assignment, Volunteer)
        .join(Volunteer, (Volunteer.id == Assignment.volunteer_id) & (Volunteer.tenant_id == Assignment.tenant_id))
        .where(Assignment.need_id == need.id).order_by(Assignment.asked_at, Assignment.id)
    ).tuples().all()


def history_of(volunteer: Volunteer, limit: int = 50) -> list[tuple[Assignment, Need]]:
    return db.session.execute(
        select(Assignment, Need).join(Need, (Need.id == Assignment.need_id) & (Need.tenant_id == Assignment.tenant_id))
        .where(Assignment.volunteer_id == volunteer.id).order_by(Need.starts_at.desc()).limit(limit)
    ).tuples().all()


def upcoming_for(volunteer: Volunteer) -> list[tuple[Assignment, Need]]:
    return db.session.execute(
        select(Assignment, Need).join(Need, (Need.id == Assignment.need_id) & (Need.tenant_id == Assignment.tenant_id))
        .where(Assignment.volunteer_id == volunteer.id, Assignment.status.in_(OPEN_ASSIGNMENTS),
               Need.status.in_(("open", "filled")), Need.starts_at >= local_now())
        .order_by(Need.starts_at)
    ).tuples().all()


def open_soon_count(days: int = 7) -> int:
    now = local_now()
    return db.session.scalar(select(func.count()).select_from(Need).where(
        Need.status == "open", Need.starts_at >= now, Need.starts_at < now + timedelta(days=days))) or 0


def hours_since(start: datetime | None = None) -> float:
    query = select(func.coalesce(func.sum(Assignment.minutes), 0)).where(Assignment.status == "done")
    if start is not None:
        query = query.where(Assignment.done_at >= start)
    return (db.session.scalar(query) or 0) / 60

