"""Households of newcomers: registering (by themselves or by the coordinator), the
contact person, the checklist, reading (every staff read is logged and shown on the
record), the household's own export, correction and deletion (anonymising).

Every change is checked before anything is written, and refused with a ``Refusal``
naming the field, so a refused registration leaves nothing half-saved."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from babel.dates import get_date_format
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from dugnad.sdk import (
    AuditEvent,
    Membership,
    Refusal,
    Tenant,
    User,
    current_tenant_id,
    db,
    record,
    today,
    utcnow,
)
from dugnad_newcomers import checklist
from dugnad_newcomers.models import (
    FOLLOW_UP_MONTHS,
    ITEM_STATUSES,
    OUTCOMES,
    REASONS,
    ChecklistItem,
    ConsentText,
    FollowUp,
    Household,
    Member,
)

READ_ACTION = "newcomers.record_read"
MAX_YEARS_BACK = 5
MAX_ADULTS = 12
MAX_CHILDREN = 15
CONTACT_ROLES = ("admin", "coordinator", "newcomer_coordinator")
DEFAULT_CONSENT = (
    "Vi lagrer det du skriver her, slik at tilflyttertjenesten i {municipality} kan ta kontakt, gi deg en "
    "kontaktperson og følge opp hvordan det går etter 3, 6, 12 og 24 måneder.\n\n"
    "Bare tilflytterkoordinatoren og kontaktpersonen din ser opplysningene, og hver gang de ser dem blir det "
    "logget. Du kan når som helst se, rette, laste ned eller slette opplysningene med lenken vi sender deg. "
    "Opplysningene slettes senest ett år etter siste oppfølging."
)


# --- small helpers ---------------------------------------------------------------------------------


def clean(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_until(arrival: date, day: date) -> int:
    """The first whole month m ≥ 0 with ``day <= add_months(arrival, m)``."""
    months = max(0, (day.year - arrival.year) * 12 + day.month - arrival.month)
    return months + 1 if add_months(arrival, months) < day else months


def normalise_email(value: Any) -> str | None:
    value = clean(value)
    return value.lower() if value else None


def normalise_phone(value: Any) -> str | None:
    """Digits only (a leading + kept as 00), so "+47 912 34 567" and "0047 91234567" are one."""
    value = clean(value)
    if not value:
        return None
    plus = value.startswith("+")
    digits = re.sub(r"\D", "", value)
    if plus:
        digits = "00" + digits
    if digits.startswith("0047") and len(digits) == 12:
        digits = digits[4:]
    return digits


def parse_children(value: Any) -> list[int]:
    """"4, 9 and 15" or "4 9 15" → [4, 9, 15]; anything else is refused with a message."""
    text = clean(value)
    if not text:
        return []
    parts = [p for p in re.split(r"[,;\s]+|\bog\b|\band\b", text) if p]
    ages = []
    for part in parts:
        if not part.isdigit():
            raise Refusal(_("Write the children's ages as numbers separated by commas, like 4, 9. "
                            "“%(part)s” is not an age.", part=part), "children")
        age = int(part)
        if age > 17:
            raise Refusal(_("A child is under 18. Count someone who is %(age)s as an adult.", age=age), "children")
        ages.append(age)
    if len(ages) > MAX_CHILDREN:
        raise Refusal(_("Write at most %(n)s children here; tell us about more in the message.", n=MAX_CHILDREN),
                      "children")
    return ages


# --- consent --------------------------------------------------------------------------------------


def current_consent(municipality: str | None = None) -> ConsentText:
    """The newest consent text; the first is made from the default wording when none exists."""
    text = db.session.scalar(select(ConsentText).order_by(ConsentText.version.desc()).limit(1))
    if text is None:
        if municipality is None:
            municipality = db.session.get(Tenant, current_tenant_id()).name
        text = ConsentText(version=1, body=DEFAULT_CONSENT.format(municipality=municipality))
        db.session.add(text)
        db.session.flush()
    return text


def new_consent_version(body: str) -> ConsentText:
    body = clean(body)
    if not body:
        raise Refusal(_("Write the consent text."), "body")
    version = (db.session.scalar(select(func.max(ConsentText.version))) or 0) + 1
    text = ConsentText(version=version, body=body)
    db.session.add(text)
    db.session.flush()
    record("newcomers.consent_text", text, version=version)
    return text


# --- checking a registration -------------------------------------------------------------------------


def _check(data: dict[str, Any], household: Household | None = None) -> dict[str, Any]:
    name = clean(data.get("name"))
    if not name:
        raise Refusal(_("Write the name of the person we can talk to."), "name")
    if len(name) > 200:
        raise Refusal(_("The name is too long."), "name")
    email = normalise_email(data.get("email"))
    phone = normalise_phone(data.get("phone"))
    if not email and not phone:
        raise Refusal(_("Write a mobile number or an e-mail address, so that we can reach you."), "phone")
    if email:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError as error:
            raise Refusal(_("Write a valid e-mail address, like name@example.no."), "email") from error
        if len(email) > 254:
            raise Refusal(_("The e-mail address is too long."), "email")
    if phone and not 8 <= len(phone) <= 16:
        raise Refusal(_("Write the mobile number with 8 digits, or with the country code, like +48 512 345 678."),
                      "phone")
    arrival = data.get("arrival_date")
    if isinstance(arrival, str):
        try:
            arrival = date.fromisoformat(arrival.strip())
        except ValueError:
            arrival = None
    if not isinstance(arrival, date):
        raise Refusal(_("Write the day you moved here (or about when), like 2026-08-15."), "arrival_date")
    if arrival > today():
        raise Refusal(_("The day you moved here cannot be in the future. Register when you have arrived, "
                        "or write today's date if you are moving now."), "arrival_date")
    if arrival < add_months(today(), -12 * MAX_YEARS_BACK):
        raise Refusal(_("The day you moved here is more than %(n)s years ago. Check the year; the newcomer service "
                        "is for people who have moved here recently.", n=MAX_YEARS_BACK), "arrival_date")
    reason = data.get("reason")
    if reason not in REASONS:
        raise Refusal(_("Choose why you moved here."), "reason")
    try:
        adults = int(data.get("adults") if data.get("adults") not in (None, "") else 1)
    except (TypeError, ValueError):
        raise Refusal(_("Write how many adults move, as a number."), "adults") from None
    if not 1 <= adults <= MAX_ADULTS:
        raise Refusal(_("Write how many adults move: at least 1, at most %(n)s.", n=MAX_ADULTS), "adults")
    children = data["children"] if isinstance(data.get("children"), list) else parse_children(data.get("children"))
    for age in children:
        if not isinstance(age, int) or not 0 <= age <= 17:
            raise Refusal(_("A child's age is a whole number from 0 to 17."), "children")
    allowed = {key for key, _label in checklist.items_for()}
    wanted = [key for key in (data.get("help_wanted") or []) if key in allowed]
    _check_unique(email, phone, household)
    return {"name": name, "email": email, "phone": phone, "arrival_date": arrival, "reason": reason,
            "moved_from": (clean(data.get("moved_from")) or None), "message": clean(data.get("message")),
            "adults": adults, "children": children, "help_wanted": wanted}


def find_duplicate(email: str | None, phone: str | None, household: Household | None = None) -> Household | None:
    conditions = []
    if email:
        conditions.append(Household.email == email)
    if phone:
        conditions.append(Household.phone == phone)
    if not conditions:
        return None
    query = select(Household).where(or_(*conditions), Household.anonymised_at.is_(None))
    if household is not None and household.id is not None:
        query = query.where(Household.id != household.id)
    return db.session.scalars(query.limit(1)).first()


def _check_unique(email: str | None, phone: str | None, household: Household | None) -> None:
    other = find_duplicate(email, phone, household)
    if other is None:
        return
    field = "email" if email and other.email == email else "phone"
    raise Refusal(_("A household with this e-mail address is already registered.") if field == "email"
                  else _("A household with this mobile number is already registered."), field, status=409)


def _set_members(household: Household, adults: int, children: list[int]) -> None:
    for member in db.session.scalars(select(Member).where(Member.household_id == household.id)):
        db.session.delete(member)
    db.session.flush()
    db.session.add_all([Member(household_id=household.id, kind="adult") for _ in range(adults)]
                       + [Member(household_id=household.id, kind="child", age=age) for age in children])


# --- registering --------------------------------------------------------------------------------------


def register(data: dict[str, Any], *, locale: str = "nb", by: User | None = None,
             consent_version: int | None = None) -> Household:
    """A household registers on the public page (``by`` None: consent must be given and
    the e-mail confirmed) or the coordinator registers them after a conversation
    (``by`` the coordinator: consent given in the conversation, active at once)."""
    values = _check(data)
    consent = current_consent()
    if not data.get("consent"):
        raise Refusal(_("Tick that you agree, so that we may store what you wrote.") if by is None
                      else _("Tick that they agreed to the consent text in the conversation."), "consent")
    if consent_version is not None and consent_version != consent.version:
        raise Refusal(_("The consent text has changed while you filled in the form. Read it again and tick that you "
                        "agree."), "consent")
    now = utcnow()
    household = Household(
        name=values["name"], email=values["email"], phone=values["phone"], locale=locale,
        moved_from=values["moved_from"], arrival_date=values["arrival_date"], reason=values["reason"],
        help_wanted=values["help_wanted"], message=values["message"], consent_text_id=consent.id, consented_at=now,
        registered_by_id=by.id if by else None, status="unconfirmed" if by is None and values["email"] else "active",
    )
    db.session.add(household)
    db.session.flush()
    _set_members(household, values["adults"], values["children"])
    if household.status == "active":
        start(household)
    record("newcomers.registered", household, by_coordinator=by is not None)
    return household


def confirm_email(household: Household, email: str) -> bool:
    """The e-mailed link was opened. Returns False when it was already confirmed (a replay)."""
    if household.email != email:
        raise Refusal(_("This link is for an e-mail address that has since been changed."), status=404)
    if household.email_confirmed_at is not None:
        return False
    household.email_confirmed_at = utcnow()
    if household.status == "unconfirmed":
        household.status = "active"
        start(household)
    record("newcomers.email_confirmed", household)
    return True


def start(household: Household) -> None:
    """An active household gets its checklist and its four follow-ups (once)."""
    have = set(db.session.scalars(select(ChecklistItem.key).where(ChecklistItem.household_id == household.id)))
    for key, label in checklist.items_for():
        if key not in have:
            db.session.add(ChecklistItem(household_id=household.id, key=key, label=checklist.stored_label(key, label)))
    months = set(db.session.scalars(select(FollowUp.month).where(FollowUp.household_id == household.id)))
    for month in FOLLOW_UP_MONTHS:
        if month not in months:
            db.session.add(FollowUp(household_id=household.id, month=month,
                                    due_on=add_months(household.arrival_date, month)))
    db.session.flush()


def correct(household: Household, data: dict[str, Any]) -> None:
    """The household (by its link) or the coordinator corrects what was registered."""
    values = _check(data, household)
    email_changed = values["email"] != household.email
    for key in ("name", "email", "phone", "arrival_date", "reason", "moved_from", "message", "help_wanted"):
        setattr(household, key, values[key])
    if email_changed:
        household.email_confirmed_at = None
    _set_members(household, values["adults"], values["children"])
    for follow_up in db.session.scalars(select(FollowUp).where(FollowUp.household_id == household.id,
                                                                FollowUp.recorded_at.is_(None))):
        follow_up.due_on = add_months(household.arrival_date, follow_up.month)
    if household.outcome == "moved" and household.outcome_on is not None:
        household.moved_month = months_until(household.arrival_date, household.outcome_on)
    record("newcomers.corrected", household)


# --- the coordinator's side ------------------------------------------------------------------------------


def get(household_id: Any) -> Household | None:
    if not isinstance(household_id, int):
        return None
    return db.session.scalar(select(Household).where(Household.id == household_id))


def members(household: Household) -> list[Member]:
    return list(db.session.scalars(select(Member).where(Member.household_id == household.id)
                                   .order_by(Member.kind, Member.age.desc(), Member.id)))


def read(household: Household, purpose: str) -> Household:
    """A member of staff reads the record: who, when and why is logged."""
    record(READ_ACTION, household, purpose=purpose)
    return household


def reads(household: Household, limit: int = 20) -> list[tuple[AuditEvent, str | None]]:
    return db.session.execute(
        select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.tenant_id == household.tenant_id, AuditEvent.object_type == "Household",
               AuditEvent.object_id == str(household.id), AuditEvent.action == READ_ACTION)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit)
    ).tuples().all()


def contact_choices() -> list[tuple[int, str]]:
    """Who may be a contact person: the municipality's coordinators and admins."""
    rows = db.session.execute(
        select(User.id, User.name).join(Membership, Membership.user_id == User.id)
        .where(Membership.role.in_(CONTACT_ROLES)).order_by(User.name)
    ).all()
    return [(row.id, row.name) for row in rows]


def assign_contact(household: Household, user_id: Any) -> None:
    try:
        user_id = int(user_id) if user_id not in (None, "") else None
    except (TypeError, ValueError):
        user_id = -1
    if user_id is not None and user_id not in dict(contact_choices()):
        raise Refusal(_("Choose a contact person among the municipality's coordinators."), "contact_user_id")
    if household.anonymised_at is not None:
        raise Refusal(_("This household is deleted."), status=409)
    household.contact_user_id = user_id
    household.contact_assigned_at = utcnow() if user_id else None
    record("newcomers.contact_assigned", household, contact_user_id=user_id)


def items(household: Household) -> list[ChecklistItem]:
    return list(db.session.scalars(select(ChecklistItem).where(ChecklistItem.household_id == household.id)
                                   .order_by(ChecklistItem.id)))


def get_item(household: Household, item_id: Any) -> ChecklistItem | None:
    """An item of this household (an item of another household, or municipality, is None)."""
    if not isinstance(item_id, int):
        return None
    return db.session.scalar(select(ChecklistItem).where(ChecklistItem.id == item_id,
                                                         ChecklistItem.household_id == household.id))


def update_item(item: ChecklistItem, data: dict[str, Any]) -> None:
    status = data.get("status", item.status)
    if status not in ITEM_STATUSES:
        raise Refusal(_("Choose a status."), "status")
    owner = data.get("owner_user_id", item.owner_user_id)
    try:
        owner = int(owner) if owner not in (None, "") else None
    except (TypeError, ValueError):
        owner = -1
    if owner is not None and owner not in dict(contact_choices()):
        raise Refusal(_("Choose who owns the item among the municipality's coordinators."), "owner_user_id")
    due = data.get("due_on", item.due_on)
    if isinstance(due, str):
        try:
            due = date.fromisoformat(due) if due.strip() else None
        except ValueError:
            raise Refusal(_("Write the due date like 2026-09-01."), "due_on") from None
    item.status, item.owner_user_id, item.due_on = status, owner, due
    if "note" in data:
        item.note = clean(data.get("note"))
    item.done_at = utcnow() if status == "done" and item.done_at is None else (item.done_at if status == "done" else None)
    record("newcomers.checklist_item", item, household_id=item.household_id, status=status)


def mark_moved(household: Household, moved_to: str | None, on: date | None = None) -> None:
    """The household moved away: later follow-ups are cancelled, nobody contacts them again."""
    household.status = "moved_away"
    household.outcome, household.outcome_on, household.moved_to = "moved", on or today(), clean(moved_to)
    household.moved_month = months_until(household.arrival_date, household.outcome_on)
    for follow_up in db.session.scalars(select(FollowUp).where(FollowUp.household_id == household.id,
                                                                FollowUp.recorded_at.is_(None),
                                                                FollowUp.cancelled_at.is_(None))):
        follow_up.cancelled_at = utcnow()
    record("newcomers.moved_away", household, moved_to=household.moved_to)


# --- the list ---------------------------------------------------------------------------------------------

PAGE_SIZE = 50


@dataclass
class Row:
    household: Household
    contact: str | None
    members: int
    open_items: int
    next_follow_up: date | None


@dataclass
class Filters:
    q: str = ""
    status: str = ""
    mine: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        try:
            page = max(1, int(args.get("page") or 1))
        except ValueError:
            page = 1
        status = args.get("status", "")
        return cls(q=(args.get("q") or "").strip()[:100], status=status if status in ("active", "unconfirmed",
                   "moved_away") else "", mine=args.get("mine") in ("1", "on"), page=page)


def pager(current: int, pages: int, around: int = 2) -> list[int]:
    """The page numbers a pager links: the first, the last and ``around`` either side of the
    current page, 0 for each gap — a few links however many pages there are."""
    shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
    out: list[int] = []
    for page in shown:
        if out and page > out[-1] + 1:
            out.append(0)
        out.append(page)
    return out if pages > 1 else []


def medium_dates():
    """Dates as the ``dateformat("medium")`` filter writes them, with the reader's pattern
    looked up once per page rather than once per date."""
    locale = get_locale()
    pattern = get_date_format("medium", locale=locale)
    return lambda value: pattern.apply(value, locale) if value else "–"


def listing(filters: Filters, user_id: int | None) -> tuple[list[Row], int]:
    """One page of households with their contact, members, open items and next follow-up:
    four queries whatever the page holds."""
    conditions = [Household.anonymised_at.is_(None)]
    if filters.q:
        like = f"%{filters.q.lower()}%"
        conditions.append(or_(func.lower(Household.name).like(like), func.lower(Household.email).like(like),
                              Household.phone.like(f"%{normalise_phone(filters.q) or filters.q}%")))
    if filters.status:
        conditions.append(Household.status == filters.status)
    if filters.mine and user_id:
        conditions.append(Household.contact_user_id == user_id)
    total = db.session.scalar(select(func.count(Household.id)).where(*conditions))
    page = list(db.session.scalars(select(Household).where(*conditions)
                                   .order_by(Household.arrival_date.desc(), Household.id.desc())
                                   .limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE)))
    ids = [h.id for h in page]
    if not ids:
        return [], total
    summary = db.session.execute(
        select(Household.id,
               select(func.count(Member.id)).where(Member.household_id == Household.id).correlate(Household)
               .scalar_subquery(),
               select(func.count(ChecklistItem.id)).where(ChecklistItem.household_id == Household.id,
                                                           ChecklistItem.status.in_(("open", "in_progress")))
               .correlate(Household).scalar_subquery(),
               select(func.min(FollowUp.due_on)).where(FollowUp.household_id == Household.id,
                                                       FollowUp.recorded_at.is_(None), FollowUp.cancelled_at.is_(None))
               .correlate(Household).scalar_subquery(),
               User.name)
        .outerjoin(User, User.id == Household.contact_user_id).where(Household.id.in_(ids))
    ).all()
    by_id = {row[0]: row for row in summary}
    return [Row(h, by_id[h.id][4], by_id[h.id][1], by_id[h.id][2], by_id[h.id][3]) for h in page], total


# --- the household's own data -------------------------------------------------------------------------------


def export(household: Household) -> dict[str, Any]:
    """Everything held on the household, for their download and the GDPR export."""
    consent = db.session.get(ConsentText, household.consent_text_id) if household.consent_text_id else None
    return {
        "name": household.name, "email": household.email, "phone": household.phone,
        "moved_from": household.moved_from, "arrival_date": household.arrival_date.isoformat(),
        "reason": household.reason, "help_wanted": household.help_wanted, "message": household.message,
        "members": [{"kind": m.kind, "age": m.age} for m in members(household)],
        "consent": {"version": consent.version if consent else None,
                    "text": consent.body if consent else None,
                    "given_at": household.consented_at.isoformat() if household.consented_at else None},
        "registered_at": household.registered_at.isoformat(), "status": household.status,
        "outcome": household.outcome, "moved_to": household.moved_to,
        "checklist": [{"item": i.title, "key": i.key, "status": i.status, "due_on": i.due_on.isoformat() if i.due_on else None,
                       "note": i.note} for i in items(household)],
        "follow_ups": [{"month": f.month, "due_on": f.due_on.isoformat(),
                        "recorded_at": f.recorded_at.isoformat() if f.recorded_at else None,
                        "how_going": f.how_going, "missing": f.missing, "plans": f.plans, "outcome": f.outcome,
                        "moved_to": f.moved_to} for f in follow_ups(household)],
    }


def follow_ups(household: Household) -> list[FollowUp]:
    return list(db.session.scalars(select(FollowUp).where(FollowUp.household_id == household.id)
                                   .order_by(FollowUp.month)))


def anonymise(household: Household, reason: str) -> None:
    """Delete the person's data and keep the row (arrival, outcome) for the retention figures."""
    if household.anonymised_at is not None:
        return
    household.name, household.email, household.phone = "", None, None
    household.moved_from = household.message = household.moved_to = None
    household.help_wanted = []
    household.status, household.anonymised_at = "anonymised", utcnow()
    household.link_version += 1
    household.contact_user_id = None
    for item in items(household):
        item.note = None
    for follow_up in follow_ups(household):
        follow_up.how_going = follow_up.missing = follow_up.moved_to = None
        if follow_up.recorded_at is None:
            follow_up.cancelled_at = follow_up.cancelled_at or utcnow()
    record("newcomers.anonymised", household, reason=reason)


def outcome_label(key: str | None) -> str:
    return str(OUTCOMES.get(key, "")) if key else ""


def first_contact_within(household: Household, days: int = 14) -> bool:
    return (household.contact_assigned_at is not None
            and household.contact_assigned_at <= household.registered_at + timedelta(days=days))


def as_datetime(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def personal_data(participant) -> dict[str, Any]:
    """The households registered with the participant's e-mail address or phone (the GDPR
    export of the participant register); reading them is logged like any staff read."""
    email, phone = normalise_email(getattr(participant, "email", None)), normalise_phone(getattr(participant, "phone", None))
    conditions = [c for c in ((Household.email == email) if email else None,
                              (Household.phone == phone) if phone else None) if c is not None]
    if not conditions:
        return {}
    found = list(db.session.scalars(select(Household).where(or_(*conditions), Household.anonymised_at.is_(None))))
    if not found:
        return {}
    for household in found:
        read(household, "personal data export")
    return {"newcomer_households": [export(h) for h in found]}
