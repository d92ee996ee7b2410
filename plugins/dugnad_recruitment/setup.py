"""What a municipality starts with when the plugin is switched on: the seed's target groups
(A, B and D of seed 004, editable) and NAV's funding rules as data it can correct."""

from __future__ import annotations

from sqlalchemy import select

from dugnad.sdk import db
from dugnad_recruitment.models import FundingRule, TargetGroup


# Data, not interface text: written in Norwegian like the process templates, and the
# municipality's own to correct (the seed's wording, seed 004 chapter 5.1.1).
TARGET_GROUPS = [
    {"code": "A", "name": "Unge drop-outs med rus eller rulleblad",
     "needs": "Mentor og rollemodell; tett oppfølging; noen som har tro på dem; en jobb der livserfaring teller; "
              "struktur i hverdagen; hjelp med gjeld og bolig."},
    {"code": "B", "name": "Unge drop-outs med psykiske utfordringer",
     "needs": "Besøksvenn eller støttekontakt; en trygg og gradvis start; en leder som kjenner planen; fleksibel "
              "arbeidstid; å bli sett som en ressurs, ikke en pasient."},
    {"code": "D", "name": "Voksne innvandrere med høy utdanning",
     "needs": "Anerkjennelse som fagperson; norskpraksis på jobb; nettverk; en vei fra arbeidspraksis til en "
              "ordentlig jobb; hjelp til å få utdanningen godkjent."},
]

# NAV's temporary wage subsidy (midlertidig lønnstilskudd): up to 40 % (60 % for reduced work
# capacity), stepping down after 6 (12) months; work practice (arbeidstrening): NAV pays the
# participant's benefit, so the unit pays no wage. Kept as data the municipality can correct.
FUNDING_RULES = [
    {"name": "Midlertidig lønnstilskudd 40 %", "kind": "wage_subsidy", "rate": 40, "step_after_months": 6,
     "stepped_rate": 30, "max_months": 12, "warn_days": 30},
    {"name": "Midlertidig lønnstilskudd 60 % (nedsatt arbeidsevne)", "kind": "wage_subsidy", "rate": 60,
     "step_after_months": 12, "stepped_rate": 50, "max_months": 36, "warn_days": 30},
    {"name": "Arbeidstrening (NAV betaler deltakerens ytelse)", "kind": "work_practice", "rate": 100,
     "step_after_months": None, "stepped_rate": None, "max_months": 12, "warn_days": 30},
]


def seed_defaults() -> list[str]:
    """Add the defaults that are missing (by name); return what was added."""
    added = []
    groups = set(db.session.scalars(select(TargetGroup.name)))
    for position, group in enumerate(TARGET_GROUPS):
        if group["name"] not in groups:
            db.session.add(TargetGroup(position=position, **group))
            added.append(group["name"])
    names = set(db.session.scalars(select(FundingRule.name)))
    for rule in FUNDING_RULES:
        if rule["name"] not in names:
            db.session.add(FundingRule(**rule))
            added.append(rule["name"])
    db.session.flush()
    return added
