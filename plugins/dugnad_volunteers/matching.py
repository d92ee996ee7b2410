"""Matching a need to volunteers: hard rules first, then a ranking that explains itself.

Hard rules — a volunteer who fails one is never suggested:
  approved, not deleted, not on a break that day, not already asked for this need;
  a valid police certificate for the need's role, when the role requires one;
  the need's language at the level asked for; the required qualification, valid that day.

Ranking — points, highest first, each shown as why they match or what they lack:
  usually free at that time of the week (+3), helps in the need's area (+2), wants
  this kind of task (+2), tasks in the month around the need (−1 each, at most −3),
  already booked at the same time (−5); ties go to whoever waited longest since
  their last task.

It is one query for the suggestions (with the count of everyone who passes the hard
rules), one bounded query for the near misses, and two small look-ups for the shown
people's languages and areas — however many volunteers the bank has. The hard rules
start from indexes on (tenant, language, level, volunteer), (tenant, role, revision,
volunteer) and (tenant, kind, volunteer, valid until), so a typical need (a language,
a role of trust) touches only the few hundred who speak the language. A need with neither
(a broad need) would score every approved volunteer; instead the best-scored dozen are
found by walking (tenant, last task NULLS FIRST, id) of those who can be asked — the
ranking's tie order — and stopping at the first dozen with the best score anyone can
have, and the count of those who pass comes from that index alone (and is kept while the
municipality's data does not change). When fewer than a dozen have the best score (a role
few want, a time few are free), still nobody is scored in bulk: those with neither the wish
nor a task that month score 5 at best, and the first dozen of those in the tie order come
from a bounded walk too; those who want the role (few, then) and those with tasks that month
(few) are scored; only when even the walk finds fewer than a dozen is everyone without the
wish scored (still the same one statement, built once per need and kept in the process).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, case, exists, func, literal, not_, or_, select, union_all
from sqlalchemy.orm import aliased

from dugnad.sdk import db, keep_while_unchanged, kept_while_unchanged, to_oslo
from dugnad_volunteers.models import (
    LANGUAGES,
    LEVELS,
    PART_HOURS,
    PARTS,
    QUALIFICATION_KINDS,
    SLOT_LABELS,
    Area,
    Assignment,
    Need,
    Qualification,
    Role,
    Vetting,
    Volunteer,
    VolunteerArea,
    VolunteerInterest,
    VolunteerLanguage,
)
from dugnad_volunteers.registration import ADULT_AGE, age_on

SUGGESTIONS = 12
NEAR_MISSES = 5
NEAR_MISS_CAP = 50
LOAD_WINDOW = timedelta(days=30)
POINTS = {"available": 3, "area": 2, "wants": 2, "load_cap": 3, "busy": 5}


def slot_of(moment: datetime) -> int:
    """The availability bit of a moment: weekday × morning / afternoon / evening."""
    part = next(i for i, (start, end) in enumerate(PART_HOURS) if start <= moment.hour < end)
    return moment.weekday() * len(PARTS) + part


def slot_text(moment: datetime) -> str:
    return str(SLOT_LABELS[slot_of(moment)])


@dataclass(frozen=True)
class Candidate:
    """What the ranking shows of a volunteer (a narrow row: the sort never carries whole records)."""

    id: int
    name: str
    approved_at: datetime | None
    anywhere: bool
    last_task_on: date | None
    birth_date: date | None


@dataclass
class Suggestion:
    volunteer: Candidate
    score: int
    matches: list[str] = field(default_factory=list)
    lacks: list[str] = field(default_factory=list)


@dataclass
class NearMiss:
    volunteer_id: int
    name: str
    lacks: list[str]


@dataclass
class Match:
    need: Need
    role: Role
    suggestions: list[Suggestion]
    eligible: int  # how many pass the hard rules (not yet asked)
    near_misses: list[NearMiss]
    near_miss_count: int  # NEAR_MISS_CAP + 1 means "more than NEAR_MISS_CAP"
    rules: list[str]  # the hard rules applied, in words

    @property
    def more_near_misses(self) -> bool:
        return self.near_miss_count > NEAR_MISS_CAP


def _active_on(day: date):
    return and_(Volunteer.status == "approved", Volunteer.anonymised_at.is_(None),
                or_(Volunteer.paused_at.is_(None), and_(Volunteer.paused_until.is_not(None), Volunteer.paused_until < day)))


ASKED_ALREADY = ("asked", "accepted", "done", "declined", "withdrawn")  # not "not_needed": they may be asked again


def _not_asked(need: Need):
    return not_(exists().where(Assignment.tenant_id == Volunteer.tenant_id, Assignment.volunteer_id == Volunteer.id,
                               Assignment.need_id == need.id, Assignment.status.in_(ASKED_ALREADY)))


def _valid_vetting(role: Role):
    return and_(Vetting.tenant_id == Volunteer.tenant_id, Vetting.volunteer_id == Volunteer.id, Vetting.role_id == role.id,
                Vetting.role_revision == role.revision, Vetting.revoked_at.is_(None))


def _valid_qualification(kind: str, day: date):
    return and_(Qualification.tenant_id == Volunteer.tenant_id, Qualification.volunteer_id == Volunteer.id,
                Qualification.kind == kind, or_(Qualification.valid_until.is_(None), Qualification.valid_until >= day))


def _language_join(need: Need, at_level: bool):
    condition = and_(VolunteerLanguage.tenant_id == Volunteer.tenant_id, VolunteerLanguage.volunteer_id == Volunteer.id,
                     VolunteerLanguage.language == need.language)
    if at_level:
        condition = and_(condition, VolunteerLanguage.level >= (need.language_level or 1))
    return condition


def _ranking(need: Need, classes: bool = False):
    """The ranking's columns — available, in the area, wants the role, recent tasks, busy —
    and the outer joins they need. Wishes and areas are joined (one row at most each, by
    their unique keys) rather than looked up per volunteer, so ranking many is cheap."""
    day = need.starts_at.date()
    bit = 1 << slot_of(need.starts_at)
    available = case((Volunteer.availability.op("&")(bit) != 0, 1), else_=0)
    wish = aliased(VolunteerInterest, name="wish")
    joins = [(wish, and_(wish.tenant_id == Volunteer.tenant_id, wish.volunteer_id == Volunteer.id,
                         wish.role_id == need.role_id))]
    wants = case((wish.id.is_not(None), 1), else_=0)
    if need.area_id is None:
        area_ok = literal(1)
    else:
        place = aliased(VolunteerArea, name="place")
        joins.append((place, and_(place.tenant_id == Volunteer.tenant_id, place.volunteer_id == Volunteer.id,
                                  place.area_id == need.area_id)))
        area_ok = case((or_(Volunteer.anywhere, place.id.is_not(None)), 1), else_=0)
    # one pass over the assignments of the month around the need: how many tasks, and any
    # accepted one at the same time (a clash falls inside the window: a need lasts a day at most)
    around = (Need.starts_at >= need.starts_at - LOAD_WINDOW) & (Need.starts_at < need.starts_at + LOAD_WINDOW)
    clash = (Assignment.status == "accepted") & Need.status.in_(("open", "filled")) \
        & (Need.starts_at < need.ends_at) & (Need.ends_at > need.starts_at)
    load = (
        select(Assignment.volunteer_id.label("volunteer_id"), func.count().label("tasks"),
               func.max(case((clash, 1), else_=0)).label("busy"))
        .join(Need, (Need.id == Assignment.need_id) & (Need.tenant_id == Assignment.tenant_id))
        .where(Assignment.status.in_(("accepted", "done")), Need.id != need.id, around)
        .group_by(Assignment.volunteer_id).subquery("recent_load")
    )
    joins.append((load, load.c.volunteer_id == Volunteer.id))
    tasks = func.coalesce(load.c.tasks, 0)
    busy_flag = func.coalesce(load.c.busy, 0)
    capped = case((tasks > POINTS["load_cap"], POINTS["load_cap"]), else_=tasks)
    score = (available * POINTS["available"] + area_ok * POINTS["area"] + wants * POINTS["wants"]
             - capped - busy_flag * POINTS["busy"])
    columns = [available.label("available"), area_ok.label("area_ok"), wants.label("wants"), tasks.label("tasks"),
               busy_flag.label("busy"), score.label("score")]
    # the best score anyone can have: free then, in the area, wants the task, no other tasks
    # that month (no tasks means not busy either). As conditions, so an index can find them.
    perfect = [Volunteer.availability.op("&")(bit) != 0, wish.id.is_not(None), load.c.volunteer_id.is_(None)]
    if need.area_id is not None:
        perfect.append(or_(Volunteer.anywhere, place.id.is_not(None)))
    best = POINTS["available"] + POINTS["area"] + POINTS["wants"]
    perfect_columns = [literal(1).label("available"), literal(1).label("area_ok"), literal(1).label("wants"),
                       literal(0).label("tasks"), literal(0).label("busy"), literal(best).label("score")]
    if not classes:
        return columns, joins, day, perfect, perfect_columns
    # the classes of those with no other task that month, but the perfect one (its walk is the
    # best-first one): free then or not, in the area or not, wants the task or not. Wishes as
    # IS [NOT] NULL, so a wish few have can lead the walk from its index.
    # Those with no task that month and no wish for the role score 5 at best (free then, in
    # the area): the first dozen of those in the tie order, by a plain walk with constant
    # columns, are the best of everyone without the wish — only if there are fewer are all of
    # them scored. Those who want the role (few, when the dozen with the best score was not
    # found) and those with tasks that month (few) are scored.
    busy_then = (exists().where(Assignment.tenant_id == Volunteer.tenant_id, Assignment.volunteer_id == Volunteer.id,
                                Assignment.status.in_(("accepted", "done")),
                                Need.id == Assignment.need_id, Need.tenant_id == Assignment.tenant_id,
                                Need.id != need.id, around))
    wish_exists = exists().where(VolunteerInterest.tenant_id == Volunteer.tenant_id,
                                 VolunteerInterest.volunteer_id == Volunteer.id, VolunteerInterest.role_id == need.role_id)
    fives = [not_(busy_then), Volunteer.availability.op("&")(bit) != 0, not_(wish_exists)]
    if need.area_id is not None:
        fives.append(or_(Volunteer.anywhere, exists().where(
            VolunteerArea.tenant_id == Volunteer.tenant_id, VolunteerArea.volunteer_id == Volunteer.id,
            VolunteerArea.area_id == need.area_id)))
    five = POINTS["available"] + POINTS["area"]
    rest = {"fives": (fives, [literal(1).label("available"), literal(1).label("area_ok"), literal(0).label("wants"),
                              literal(0).label("tasks"), literal(0).label("busy"), literal(five).label("score")]),
            "wanting": [wish.id.is_not(None)],
            "loaded": [wish.id.is_(None), load.c.volunteer_id.is_not(None)],
            "others": [wish.id.is_(None), load.c.volunteer_id.is_(None)]}
    return columns, joins, day, perfect, perfect_columns, rest


def _passing(need: Need, role: Role, day: date, *columns):
    """Volunteers who pass the hard rules (with ``columns``)."""
    query = select(*columns).select_from(Volunteer).where(_active_on(day), _not_asked(need))
    if role.requires_certificate:
        query = query.join(Vetting, _valid_vetting(role))
    if need.language:
        query = query.join(VolunteerLanguage, _language_join(need, at_level=True))
    if need.qualification:
        query = query.where(exists().where(_valid_qualification(need.qualification, day)))
    return query


_STATEMENTS: dict[tuple, object] = {}
STATEMENTS_KEPT = 64


def _ranking_statement(need: Need, role: Role, limit: int, kept: int | None):
    """The ranking's one statement. A broad need's is large (a dozen walks), and building it
    cost more Python than running it: it is built once per need as it stands (every value it
    is built from is in the key) and used again."""
    key = (need.id, need.role_id, need.area_id, need.starts_at, need.ends_at, need.language, need.language_level,
           need.qualification, role.id, role.revision, role.requires_certificate, limit, kept)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _build_ranking_statement(need, role, limit, kept)
        while len(_STATEMENTS) >= STATEMENTS_KEPT:
            _STATEMENTS.pop(next(iter(_STATEMENTS)), None)
        _STATEMENTS[key] = statement
    return statement


def _build_ranking_statement(need: Need, role: Role, limit: int, kept: int | None):
    columns, joins, day, perfect, perfect_columns, classes = _ranking(need, classes=True)
    extra = []
    if role.requires_certificate:
        extra.append(Vetting.shown_on.label("certificate_shown_on"))
    if need.language:
        extra.append(VolunteerLanguage.level.label("language_level"))
    person = (Volunteer.id, Volunteer.name, Volunteer.approved_at, Volunteer.anywhere, Volunteer.last_task_on,
              Volunteer.birth_date)
    tie_order = (Volunteer.last_task_on.asc().nulls_first(), Volunteer.id)  # never had a task first, then longest ago

    def ranked(*shown):
        query = _passing(need, role, day, *person)
        for subquery, on in joins:
            query = query.outerjoin(subquery, on)
        return query.add_columns(*shown, *extra)

    def plain(*shown):
        return _passing(need, role, day, *person).add_columns(*shown, *extra)

    # the count is its own (uncorrelated) subquery, not count(*) OVER (): a window over every
    # passing row makes PostgreSQL sort them all, where ORDER BY … LIMIT keeps only the best few.
    if kept is None:
        eligible = _passing(need, role, day, func.count()).scalar_subquery()
    else:
        eligible = literal(kept)
    if need.language or role.requires_certificate:
        # the hard rules start from a narrow index (the language, the certificates): scoring
        # those few is cheaper than planning the walk below
        return (ranked(*columns).add_columns(eligible.label("eligible"))
                .order_by(columns[-1].desc(), *tie_order).limit(limit))
    return _best_first(ranked, plain, columns, perfect, perfect_columns, tie_order, eligible, limit, classes)


def suggest(need: Need, role: Role, limit: int = SUGGESTIONS) -> Match:
    """The ``limit`` best, in one statement."""
    # Counting a broad need's passers is most of its time, and the answer depends only on the
    # municipality's data: it is kept while nothing there changes, and then not counted again.
    kept_key = f"volunteers:eligible:{need.id}"
    kept, stamps = kept_while_unchanged(kept_key)
    rows = db.session.execute(_ranking_statement(need, role, limit, kept)).all()
    counted = rows[0].eligible if rows else 0
    if kept is None:
        keep_while_unchanged(kept_key, counted, stamps)
    day = need.starts_at.date()
    languages, areas = _details([row.id for row in rows], need)
    texts = _Texts(need, role)
    suggestions = [_explain(row, need, role, languages, areas, texts) for row in rows]
    near, near_count = near_misses(need, role, day)
    return Match(need=need, role=role, suggestions=suggestions, eligible=counted,
                 near_misses=near, near_miss_count=near_count, rules=rules_in_words(need, role))


def _best_first(ranked, plain, columns, perfect, perfect_columns, tie_order, eligible, limit: int, classes):
    """A broad need. Most often there are ``limit`` volunteers with the best score anyone can
    have, and then they are the answer, in the tie order (the longest waiting first) — found
    by walking the index in that order until ``limit`` are found, not by scoring the whole
    bank. Only when there are fewer is the rest looked for, and still not by scoring everyone
    (see ``_ranking``'s classes): the best ``limit`` of those few dozen are the best ``limit``
    of all. PostgreSQL skips whichever half the other makes needless (one-time filters)."""
    best = ranked(*perfect_columns).where(*perfect).order_by(*tie_order).limit(limit).cte("best")
    filled = select(func.count()).select_from(best).scalar_subquery() >= limit
    # each walk is its own CTE, so a needless half starts none of them: a CTE runs only when
    # read, and is not planned inside the half that reads it (where, below its one-time filter,
    # PostgreSQL would still start the parallel workers of the half that is not needed)
    def walk(name, query):
        return query.limit(limit).cte(name).prefix_with("MATERIALIZED", dialect="postgresql")

    scored = (columns[-1].desc(), *tie_order)
    fives_where, fives_columns = classes["fives"]
    fives = walk("fives", plain(*fives_columns).where(*fives_where).order_by(*tie_order))
    wanting = walk("wanting", ranked(*columns).where(*classes["wanting"]).order_by(*scored))
    loaded = walk("loaded", ranked(*columns).where(*classes["loaded"]).order_by(*scored))
    others = walk("others", ranked(*columns).where(*classes["others"]).order_by(*scored))
    short = select(func.count()).select_from(fives).scalar_subquery() < limit
    # the fives, or (fewer than ``limit`` of them) everyone without the wish or that month's tasks
    found = union_all(select(fives).where(not_(short)), select(wanting), select(loaded),
                      select(others).where(short)).subquery("found")
    everyone = select(found).order_by(found.c.score.desc(), found.c.last_task_on.asc().nulls_first(), found.c.id) \
        .limit(limit).subquery("everyone")
    chosen = union_all(select(best).where(filled), select(everyone).where(not_(filled))).subquery("chosen")
    return (select(chosen, eligible.label("eligible"))
            .order_by(chosen.c.score.desc(), chosen.c.last_task_on.asc().nulls_first(), chosen.c.id))


def eligible_ids(need: Need, role: Role, volunteer_ids: list[int]) -> set[int]:
    """Which of ``volunteer_ids`` pass the hard rules now (checked again when they are asked)."""
    if not volunteer_ids:
        return set()
    day = need.starts_at.date()
    query = select(Volunteer.id).where(Volunteer.id.in_(volunteer_ids), _active_on(day), _not_asked(need))
    if role.requires_certificate:
        query = query.where(exists().where(_valid_vetting(role)))
    if need.language:
        query = query.where(exists().where(_language_join(need, at_level=True)))
    if need.qualification:
        query = query.where(exists().where(_valid_qualification(need.qualification, day)))
    return set(db.session.scalars(query))


def near_misses(need: Need, role: Role, day: date) -> tuple[list[NearMiss], int]:
    """Volunteers who would match but for a certificate, a qualification or a language level —
    the ones to ask to get what they lack. Among those who speak the need's language or,
    for needs without one, who want this kind of task; the best speakers first.

    The work is bounded: it walks the language (or wish) index in order and stops after
    NEAR_MISS_CAP + 1 found, so a common language never means scanning the whole bank;
    the count says "more than NEAR_MISS_CAP" beyond that."""
    lacking = []
    columns = []
    if role.requires_certificate:
        has = exists().where(_valid_vetting(role))
        lacking.append(not_(has))
        columns.append(case((has, 1), else_=0).label("has_certificate"))
    if need.qualification:
        has = exists().where(_valid_qualification(need.qualification, day))
        lacking.append(not_(has))
        columns.append(case((has, 1), else_=0).label("has_qualification"))
    query = select(Volunteer.id, Volunteer.name).where(_active_on(day), _not_asked(need))
    if need.language:
        query = query.join(VolunteerLanguage, _language_join(need, at_level=False))
        lacking.append(VolunteerLanguage.level < (need.language_level or 1))
        columns.append(VolunteerLanguage.level.label("language_level"))
        order = (VolunteerLanguage.level.desc(), VolunteerLanguage.volunteer_id.desc())
    else:
        query = query.join(VolunteerInterest, (VolunteerInterest.tenant_id == Volunteer.tenant_id)
                           & (VolunteerInterest.volunteer_id == Volunteer.id) & (VolunteerInterest.role_id == role.id))
        order = (VolunteerInterest.volunteer_id.desc(),)
    if not lacking:
        return [], 0
    rows = db.session.execute(query.where(or_(*lacking)).add_columns(*columns).order_by(*order)
                              .limit(NEAR_MISS_CAP + 1)).all()
    out = []
    for row in rows[:NEAR_MISSES]:
        mapping = row._mapping
        lacks = []
        if role.requires_certificate and not mapping["has_certificate"]:
            lacks.append(_("No valid police certificate for “%(role)s”", role=role.name))
        if need.qualification and not mapping["has_qualification"]:
            lacks.append(_("No valid %(qualification)s", qualification=str(QUALIFICATION_KINDS[need.qualification]).lower()))
        if need.language and mapping["language_level"] < (need.language_level or 1):
            lacks.append(_("Speaks %(language)s only at level “%(level)s”", language=LANGUAGES[need.language],
                           level=LEVELS[mapping["language_level"]]))
        out.append(NearMiss(row.id, row.name, lacks))
    return out, len(rows)


def rules_in_words(need: Need, role: Role) -> list[str]:
    rules = [_("Approved, not on a break, not already asked")]
    if role.requires_certificate:
        rules.append(_("A valid police certificate for “%(role)s”", role=role.name))
    if need.language:
        rules.append(_("Speaks %(language)s at least at level “%(level)s”", language=LANGUAGES[need.language],
                       level=LEVELS[need.language_level or 1]))
    if need.qualification:
        rules.append(_("%(qualification)s, valid on the day", qualification=QUALIFICATION_KINDS[need.qualification]))
    return rules


def _details(volunteer_ids: list[int], need: Need):
    languages: dict[int, list[VolunteerLanguage]] = {i: [] for i in volunteer_ids}
    areas: dict[int, list[str]] = {i: [] for i in volunteer_ids}
    if volunteer_ids:
        for row in db.session.scalars(select(VolunteerLanguage).where(VolunteerLanguage.volunteer_id.in_(volunteer_ids))
                                      .order_by(VolunteerLanguage.level.desc())):
            languages[row.volunteer_id].append(row)
        if need.area_id is not None:
            for volunteer_id, name in db.session.execute(
                    select(VolunteerArea.volunteer_id, Area.name)
                    .join(Area, (Area.id == VolunteerArea.area_id) & (Area.tenant_id == VolunteerArea.tenant_id))
                    .where(VolunteerArea.volunteer_id.in_(volunteer_ids)).order_by(Area.position, Area.name)):
                areas[volunteer_id].append(name)
    return languages, areas


class _Texts:
    """The explanations' texts, translated once per match rather than once per volunteer:
    a parametrised text keeps its placeholders (translated with themselves as values)."""

    def __init__(self, need: Need, role: Role):
        self.approved = _("Approved %(date)s", date="%(date)s")
        self.certificate = _("Police certificate for this role, shown %(date)s", date="%(date)s")
        self.speaks = _("Speaks %(language)s: %(level)s", language="%(language)s", level="%(level)s")
        when = slot_text(need.starts_at)
        self.free = _("Usually free on %(when)s", when=when)
        self.not_free = _("Has not said they are free on %(when)s", when=when)
        self.anywhere = _("Can help anywhere in the municipality")
        self.in_area = _("Can help in this area")
        self.other_areas = _("Prefers other areas: %(areas)s", areas="%(areas)s")
        self.wants = _("Wants to do this kind of task")
        self.not_wanted = _("Has not chosen this kind of task")
        self.no_other_tasks = _("No other tasks in the month around this one")
        self.busy = _("Already has a task at that time")
        self.minor = _("Under 18 on the day")
        self.first_task = _("Has not had a task yet")
        self.later_task = _("Has a later task")
        self.also_speaks = _("Also speaks: %(languages)s", languages="%(languages)s")
        self.language = str(LANGUAGES[need.language]) if need.language else ""
        self.qualification = str(QUALIFICATION_KINDS[need.qualification]) if need.qualification else ""
        self.levels = {level: str(label) for level, label in LEVELS.items()}

    @staticmethod
    def tasks(count: int) -> str:
        return ngettext("%(num)s task in the month around this one", "%(num)s tasks in the month around this one", count)

    @staticmethod
    def days_before(count: int) -> str:
        return ngettext("Last task %(num)s day before", "Last task %(num)s days before", count)


def _explain(row, need: Need, role: Role, languages, areas, texts: _Texts) -> Suggestion:
    m = row._mapping
    volunteer = Candidate(m["id"], m["name"], m["approved_at"], m["anywhere"], m["last_task_on"], m["birth_date"])
    matches, lacks = [], []
    if volunteer.approved_at:
        matches.append(texts.approved % {"date": to_oslo(volunteer.approved_at).strftime("%d.%m.%Y")})
    if role.requires_certificate:
        matches.append(texts.certificate % {"date": m["certificate_shown_on"].strftime("%d.%m.%Y")})
    if need.language:
        matches.append(texts.speaks % {"language": texts.language, "level": texts.levels[m["language_level"]]})
    if need.qualification:
        matches.append(texts.qualification)
    (matches if m["available"] else lacks).append(texts.free if m["available"] else texts.not_free)
    if need.area_id is not None:
        if m["area_ok"]:
            matches.append(texts.anywhere if volunteer.anywhere else texts.in_area)
        else:
            lacks.append(texts.other_areas % {"areas": ", ".join(areas[volunteer.id]) or "–"})
    (matches if m["wants"] else lacks).append(texts.wants if m["wants"] else texts.not_wanted)
    if m["tasks"]:
        lacks.append(texts.tasks(m["tasks"]))
    else:
        matches.append(texts.no_other_tasks)
    if m["busy"]:
        lacks.append(texts.busy)
    if volunteer.birth_date and age_on(volunteer.birth_date, need.starts_at.date()) < ADULT_AGE:
        lacks.append(texts.minor)
    if volunteer.last_task_on is None:
        matches.append(texts.first_task)
    else:
        days = (need.starts_at.date() - volunteer.last_task_on).days
        matches.append(texts.days_before(days) if days >= 0 else texts.later_task)
    others = [f"{l.label} ({l.level_label.lower()})" for l in languages[volunteer.id] if l.language != need.language]
    if others:
        matches.append(texts.also_speaks % {"languages": ", ".join(others)})
    return Suggestion(volunteer=volunteer, score=m["score"], matches=matches, lacks=lacks)
