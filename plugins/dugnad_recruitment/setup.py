"""What a municipality starts with when the plugin is switched on: the seed's target groups
(A, B and D of seed 004, editable) and NAV's funding rules as data it can correct."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.sdk import db
from dugnad_recruitment.models import FundingRule, TargetGroup


def default_target_groups() -> list[dict]:
    return [
        {"code": "A", "name": _("Young drop-outs with substance use or a criminal record"),
         "needs": _("A mentor and a role model; close follow-up; someone who believes in them; a job where life "
                    "experience counts; structure in the day; help with debt and housing.")},
        {"code": "B", "name": _("Young drop-outs with mental-health challenges"),
         "needs": _("A visiting friend or support worker; a safe, gradual start; a leader who knows the plan; "
                    "flexible hours; being seen as a resource, not a patient.")},
        {"code": "D", "name": _("Adult immigrants with higher education"),
         "needs": _("Recognition as a professional; practice in Norwegian at work; a network; a road from work "
                    "practice to a real job; help to have their education approved.")},
    ]


def default_rules() -> list[dict]:
    return [
        {"name": _("Temporary wage subsidy 40 %"), "kind": "wage_subsidy", "rate": 40, "step_after_months": 6,
         "stepped_rate": 30, "max_months": 12, "warn_days": 30},
        {"name": _("Temporary wage subsidy 60 % (reduced work capacity)"), "kind": "wage_subsidy", "rate": 60,
         "step_after_months": 12, "stepped_rate": 50, "max_months": 36, "warn_days": 30},
        {"name": _("Work practice (NAV pays the participant's benefit)"), "kind": "work_practice", "rate": 100,
         "step_after_months": None, "stepped_rate": None, "max_months": 12, "warn_days": 30},
    ]


def seed_defaults() -> list[str]:
    """Add the defaults that are missing (by name); return what was added."""
    added = []
    groups = set(db.session.scalars(select(TargetGroup.name)))
    for position, group in enumerate(default_target_groups()):
        if group["name"] not in groups:
            db.session.add(TargetGroup(position=position, **group))
            added.append(group["name"])
    names = set(db.session.scalars(select(FundingRule.name)))
    for rule in default_rules():
        if rule["name"] not in names:
            db.session.add(FundingRule(**rule))
            added.append(rule["name"])
    db.session.flush()
    return added
