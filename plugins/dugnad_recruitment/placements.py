"""Openings, placements and their funding — with the rules as data.

A unit offers an opening (kind, start, length, leader, mentor). A candidate is placed in
it from one day to another; one person's placements never overlap. A placement is
funded by NAV work practice or a temporary wage subsidy following a ``FundingRule`` the
municipality can correct (rate, step-down after so many months to a lower rate, the
longest it may last, how long ahead to warn). What a placement costs the unit is worked
out month by month from the wage and the rate in force.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.sdk import Membership, Refusal, User, db, record, today, utcnow
from dugnad_recruitment.models import (
    FUNDING_KINDS,
    OPENING_KINDS,
    OUTCOME_MONTHS,
    TRACK_KINDS,
    Candidate,
    Funding,
    FundingRule,
    Opening,
    Outcome,
    Placement,
)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def member_or_refuse(user_id: Any, field: str, who: str, required: bool = True) -> int | None:
    """A person who works in this municipality (has a membership here), or a refusal at ``field``."""
    if user_id in (None, "", 0):
        if required:
            raise Refusal(_("Choose the %(who)s.", who=who), field)
        return None
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        raise Refusal(_("Choose the %(who)s from the list.", who=who), field) from None
    if db.session.scalar(select(Membership.id).where(Membership.user_id == user_id)) is None:
        raise Refusal(_("The %(who)s must be someone in this municipality; this person is not.", who=who), field)
    return user_id


def people() -> list[tuple[int, str]]:
    """Everyone in the municipality, for choosing a leader or mentor."""
    return list(db.session.execute(select(User.id, User.name).join(Membership, Membership.user_id == User.id)
                                   .order_by(User.name)).tuples())


# --- openings --------------------------------------------------------------------------------------


def check_opening(data: dict[str, Any]) -> dict[str, Any]:
    unit = (data.get("unit") or "").strip()
    if not unit:
        raise Refusal(_("Name the unit that offers the place."), "unit")
    title = (data.get("title") or "").strip()
    if not title:
        raise Refusal(_("Give the place a title, such as “Assistant in the kitchen”."), "title")
    if data.get("kind") not in OPENING_KINDS:
        raise Refusal(_("Choose the kind of place."), "kind")
    if data.get("starts_on") is None:
        raise Refusal(_("Give the day the place starts."), "starts_on")
    months = data.get("months")
    if not isinstance(months, int) or not 1 <= months <= 60:
        raise Refusal(_("Give the length in months, from 1 to 60."), "months")
    wage = data.get("monthly_wage")
    if wage is not None and (not isinstance(wage, int) or wage < 0):
        raise Refusal(_("Give the monthly wage cost in whole kroner, or leave it empty."), "monthly_wage")
    return {"unit": unit[:200], "title": title[:200], "kind": data["kind"], "starts_on": data["starts_on"],
            "months": months, "monthly_wage": wage,
            "leader_id": member_or_refuse(data.get("leader_id"), "leader_id", _("leader")),
            "mentor_id": member_or_refuse(data.get("mentor_id"), "mentor_id", _("mentor"), required=False)}


def create_opening(track, data: dict[str, Any]) -> Opening:
    opening = Opening(track_id=track.id, **check_opening(data))
    db.session.add(opening)
    db.session.flush()
    record("recruitment.opening.created", opening, unit=opening.unit)
    return opening


def update_opening(opening: Opening, data: dict[str, Any]) -> Opening:
    for key, value in check_opening(data).items():
        setattr(opening, key, value)
    record("recruitment.opening.updated", opening)
    return opening


def opening_ends(opening: Opening) -> date:
    return add_months(opening.starts_on, opening.months) - timedelta(days=1)


# --- placements ------------------------------------------------------------------------------------


def place(candidate: Candidate, opening: Opening, data: dict[str, Any]) -> Placement:
    """Place the candidate in the opening, or refuse (writing nothing)."""
    if opening.closed_at is not None:
        raise Refusal(_("This place is closed."), "opening_id")
    starts = data.get("starts_on") or opening.starts_on
    ends = data.get("ends_on") or add_months(starts, opening.months) - timedelta(days=1)
    if ends < starts:
        raise Refusal(_("The placement cannot end before it starts."), "ends_on")
    clash = db.session.execute(
        select(Placement, Opening.unit).join(Opening, Opening.id == Placement.opening_id)
        .where(Placement.candidate_id == candidate.id, Placement.starts_on <= ends, Placement.ends_on >= starts)
        .limit(1)).first()
    if clash is not None:
        raise Refusal(_("%(name)s is already placed in %(unit)s from %(start)s to %(end)s; placements cannot overlap.",
                        name=candidate.name, unit=clash[1], start=_d(clash[0].starts_on), end=_d(clash[0].ends_on)),
                      "starts_on")
    leader_id = member_or_refuse(data.get("leader_id") or opening.leader_id, "leader_id", _("leader"))
    mentor_id = member_or_refuse(data.get("mentor_id") if "mentor_id" in data else opening.mentor_id, "mentor_id",
                                 _("mentor"), required=False)
    mentor_name = (data.get("mentor_name") or "").strip()[:200] or None
    wage = data.get("monthly_wage", opening.monthly_wage)
    placement = Placement(candidate_id=candidate.id, opening_id=opening.id, starts_on=starts, ends_on=ends,
                          leader_id=leader_id, mentor_id=mentor_id, mentor_name=mentor_name, monthly_wage=wage)
    db.session.add(placement)
    db.session.flush()
    _started(candidate, starts)
    record("recruitment.placement.created", placement, candidate_id=candidate.id, opening_id=opening.id)
    return placement


def _started(candidate: Candidate, starts: date) -> None:
    """The first start counts for outcomes: schedule them at 6, 12 and 24 months (once each)."""
    if candidate.started_on is not None and candidate.started_on <= starts:
        return
    candidate.started_on = starts
    existing = {o.months: o for o in db.session.scalars(select(Outcome).where(Outcome.candidate_id == candidate.id))}
    for months in OUTCOME_MONTHS:
        due = add_months(starts, months)
        if months in existing:
            if existing[months].recorded_at is None:
                existing[months].due_on = due
        else:
            db.session.add(Outcome(candidate_id=candidate.id, months=months, due_on=due))


def placements_of(candidate: Candidate) -> list[tuple[Placement, Opening, str | None, str | None]]:
    """(placement, opening, leader's name, mentor's name) of a candidate, oldest first."""
    from sqlalchemy.orm import aliased

    leader, mentor = aliased(User), aliased(User)
    return list(db.session.execute(
        select(Placement, Opening, leader.name, mentor.name)
        .join(Opening, Opening.id == Placement.opening_id)
        .join(leader, leader.id == Placement.leader_id)
        .outerjoin(mentor, mentor.id == Placement.mentor_id)
        .where(Placement.candidate_id == candidate.id).order_by(Placement.starts_on)).tuples())


def set_mentor(placement: Placement, mentor_id: Any, mentor_name: str | None) -> None:
    placement.mentor_id = member_or_refuse(mentor_id, "mentor_id", _("mentor"), required=False)
    placement.mentor_name = (mentor_name or "").strip()[:200] or None
    if placement.mentor_id is None and placement.mentor_name is None:
        raise Refusal(_("Choose a mentor, or write the name of one from outside (a volunteer)."), "mentor_id")
    record("recruitment.placement.mentor", placement)


# --- funding ---------------------------------------------------------------------------------------


def check_rule(data: dict[str, Any]) -> dict[str, Any]:
    name = (data.get("name") or "").strip()
    if not name:
        raise Refusal(_("Name the rule."), "name")
    if data.get("kind") not in FUNDING_KINDS:
        raise Refusal(_("Choose the kind of funding."), "kind")
    rate = data.get("rate")
    if not isinstance(rate, int) or not 0 <= rate <= 100:
        raise Refusal(_("Give the rate in percent, from 0 to 100."), "rate")
    after, stepped = data.get("step_after_months"), data.get("stepped_rate")
    if (after is None) != (stepped is None):
        raise Refusal(_("A step-down needs both the months before it and the rate after it."),
                      "stepped_rate" if after is not None else "step_after_months")
    if after is not None and after < 1:
        raise Refusal(_("The step-down comes after at least one month."), "step_after_months")
    if stepped is not None and not 0 <= stepped <= rate:
        raise Refusal(_("The rate after the step-down must be between 0 and the first rate."), "stepped_rate")
    max_months = data.get("max_months")
    if not isinstance(max_months, int) or max_months < 1:
        raise Refusal(_("Give the longest the funding may last, in months."), "max_months")
    if after is not None and after >= max_months:
        raise Refusal(_("The step-down must come before the funding's longest length."), "step_after_months")
    warn = data.get("warn_days")
    if not isinstance(warn, int) or not 0 <= warn <= 180:
        raise Refusal(_("Warn between 0 and 180 days ahead."), "warn_days")
    return {"name": name[:200], "kind": data["kind"], "rate": rate, "step_after_months": after,
            "stepped_rate": stepped, "max_months": max_months, "warn_days": warn}


def create_rule(data: dict[str, Any]) -> FundingRule:
    rule = FundingRule(**check_rule(data))
    db.session.add(rule)
    db.session.flush()
    record("recruitment.rule.created", rule, name=rule.name)
    return rule


def update_rule(rule: FundingRule, data: dict[str, Any]) -> FundingRule:
    values = check_rule(data)
    for key, value in values.items():
        setattr(rule, key, value)
    record("recruitment.rule.updated", rule, **{k: v for k, v in values.items() if k != "name"})
    return rule


def rules(active_only: bool = True) -> list[FundingRule]:
    query = select(FundingRule).order_by(FundingRule.kind, FundingRule.name)
    if active_only:
        query = query.where(FundingRule.active.is_(True))
    return list(db.session.scalars(query))


def add_funding(placement: Placement, data: dict[str, Any]) -> Funding:
    """Fund a placement by a rule; the rule fills in the rate and the step-down, which may be corrected."""
    rule = db.session.get(FundingRule, data.get("rule_id") or 0)
    if rule is None or not rule.active:
        raise Refusal(_("Choose a funding rule from the list."), "rule_id")
    starts = data.get("starts_on") or placement.starts_on
    longest = add_months(starts, rule.max_months) - timedelta(days=1)
    ends = data.get("ends_on") or min(placement.ends_on, longest)
    if ends < starts:
        raise Refusal(_("The funding cannot end before it starts."), "ends_on")
    if starts < placement.starts_on or ends > placement.ends_on:
        raise Refusal(_("The funding must lie within the placement, %(start)s to %(end)s.",
                        start=_d(placement.starts_on), end=_d(placement.ends_on)),
                      "starts_on" if starts < placement.starts_on else "ends_on")
    if ends > longest:
        raise Refusal(_("“%(rule)s” lasts at most %(months)s months: until %(end)s.", rule=rule.name,
                        months=rule.max_months, end=_d(longest)), "ends_on")
    rate = data.get("rate") if data.get("rate") is not None else rule.rate
    if not 0 <= rate <= 100:
        raise Refusal(_("Give the rate in percent, from 0 to 100."), "rate")
    step_down_on = data.get("step_down_on")
    if step_down_on is None and rule.step_after_months:
        step_down_on = add_months(starts, rule.step_after_months)
        if step_down_on > ends:
            step_down_on = None
    stepped = data.get("stepped_rate") if data.get("stepped_rate") is not None else rule.stepped_rate
    if step_down_on is not None:
        if step_down_on <= starts:
            raise Refusal(_("The step-down cannot come before (or on) the day the funding starts."), "step_down_on")
        if step_down_on > ends:
            raise Refusal(_("The step-down cannot come after the funding ends."), "step_down_on")
        if stepped is None or not 0 <= stepped <= rate:
            raise Refusal(_("Give the rate after the step-down, at most the first rate."), "stepped_rate")
    else:
        stepped = None
    clash = db.session.scalar(select(Funding.id).where(Funding.placement_id == placement.id,
                                                       Funding.starts_on <= ends, Funding.ends_on >= starts))
    if clash is not None:
        raise Refusal(_("The placement already has funding in this period."), "starts_on")
    funding = Funding(placement_id=placement.id, rule_id=rule.id, kind=rule.kind, rate=rate, starts_on=starts,
                      ends_on=ends, step_down_on=step_down_on, stepped_rate=stepped)
    db.session.add(funding)
    db.session.flush()
    record("recruitment.funding.created", funding, placement_id=placement.id, rule=rule.name, rate=rate)
    return funding


def fundings_of(placement_ids: list[int]) -> dict[int, list[tuple[Funding, FundingRule]]]:
    out: dict[int, list] = {pid: [] for pid in placement_ids}
    if not placement_ids:
        return out
    for funding, rule in db.session.execute(select(Funding, FundingRule).join(FundingRule, FundingRule.id == Funding.rule_id)
                                            .where(Funding.placement_id.in_(placement_ids))
                                            .order_by(Funding.starts_on)).tuples():
        out[funding.placement_id].append((funding, rule))
    return out


def rate_on(funding: Funding, day: date) -> int:
    if funding.step_down_on is not None and day >= funding.step_down_on:
        return funding.stepped_rate or 0
    return funding.rate


@dataclass(frozen=True)
class Warning:
    kind: str  # step_down | funding_end
    due_on: date
    days: int
    funding: Funding
    text: str


def warnings(fundings: list[tuple[Funding, FundingRule]], on: date | None = None) -> list[Warning]:
    """The step-downs and ends coming within each rule's warning time (and not yet past)."""
    on = on or today()
    out = []
    for funding, rule in fundings:
        if funding.step_down_on is not None and 0 <= (funding.step_down_on - on).days <= rule.warn_days:
            out.append(Warning("step_down", funding.step_down_on, (funding.step_down_on - on).days, funding,
                               _("The funding steps down from %(old)s %% to %(new)s %% on %(day)s (in %(days)s days).",
                                 old=funding.rate, new=funding.stepped_rate, day=_d(funding.step_down_on),
                                 days=(funding.step_down_on - on).days)))
        if 0 <= (funding.ends_on - on).days <= rule.warn_days:
            out.append(Warning("funding_end", funding.ends_on, (funding.ends_on - on).days, funding,
                               _("The funding ends on %(day)s (in %(days)s days). Plan what comes next.",
                                 day=_d(funding.ends_on), days=(funding.ends_on - on).days)))
    return out


@dataclass(frozen=True)
class MonthCost:
    month: date
    days: int
    wage: int
    nav_share: int
    unit_cost: int
    rate: int


def monthly_costs(placement: Placement, fundings: list[tuple[Funding, FundingRule]]) -> list[MonthCost]:
    """What the placement costs the unit each calendar month: the wage for the days placed,
    less what NAV pays at the rate in force on each day (work practice: the unit pays no wage)."""
    wage = placement.monthly_wage or 0
    out = []
    month = placement.starts_on.replace(day=1)
    while month <= placement.ends_on:
        length = calendar.monthrange(month.year, month.month)[1]
        first, last = max(month, placement.starts_on), min(month.replace(day=length), placement.ends_on)
        days = (last - first).days + 1
        gross = nav = 0.0
        rates = set()
        day = first
        while day <= last:
            daily = wage / length
            paying = next((f for f, _r in fundings if f.starts_on <= day <= f.ends_on), None)
            rate = 100 if paying is not None and paying.kind == "work_practice" else rate_on(paying, day) if paying else 0
            rates.add(rate)
            gross += daily
            nav += daily * rate / 100
            day += timedelta(days=1)
        out.append(MonthCost(month, days, round(gross), round(nav), round(gross - nav), max(rates) if rates else 0))
        month = add_months(month, 1)
    return out


def close_opening(opening: Opening) -> None:
    opening.closed_at = utcnow()
    record("recruitment.opening.closed", opening)


LABELS = {"OPENING_KINDS": OPENING_KINDS, "FUNDING_KINDS": FUNDING_KINDS, "TRACK_KINDS": TRACK_KINDS}
