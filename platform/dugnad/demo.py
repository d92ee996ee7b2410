"""The demo people: one login per role, in the municipalities of tenants/ (see README)."""

from __future__ import annotations

from sqlalchemy import func, select

from dugnad.accounts.models import Membership, User
from dugnad.accounts.security import hash_password
from dugnad.extensions import db
from dugnad.tenancy.context import tenant_context
from dugnad.tenancy.models import Tenant

DEMO_PASSWORD = "dugnad-demo"

# (email, name, region admin?, {municipality slug: role})
DEMO_PEOPLE = [
    ("region@dugnad.demo", "Randi Regionsen", True, {}),
    ("admin@hamar.demo", "Hamid Hamar", False, {"hamar": "admin"}),
    ("koordinator@dugnad.demo", "Kari Koordinator", False, {"hamar": "coordinator", "tonsberg": "coordinator"}),
    ("fasilitator@tonsberg.demo", "Fredrik Fasilitator", False, {"tonsberg": "facilitator"}),
    ("admin@tonsberg.demo", "Tone Tønsberg", False, {"tonsberg": "admin"}),
    ("admin@namsskogan.demo", "Nils Namsskogan", False, {"namsskogan": "admin"}),
    ("medlem@kinn.demo", "Mona Medlem", False, {"kinn": "member"}),
    ("admin@kinn.demo", "Frode Flora", False, {"kinn": "admin"}),
]


def seed(force: bool = False) -> list[str]:
    """Add the demo people once. Returns what was done."""
    tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
    if not force and db.session.scalar(select(func.count()).select_from(User).where(User.password_hash.is_not(None))):
        # plugins switched on since the demo was loaded still get their data
        return ["demo people already there: nothing added", *plugin_demo_data(list(tenants.values())),
                *benchmark_demo_data(list(tenants.values()))]
    done = []
    password = hash_password(DEMO_PASSWORD)
    for email, name, region_admin, roles in DEMO_PEOPLE:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name)
            db.session.add(user)
        user.password_hash, user.is_region_admin = password, region_admin or user.is_region_admin
        db.session.flush()
        for slug, role in roles.items():
            if slug not in tenants:
                continue
            with tenant_context(tenants[slug]):
                membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
                if membership is None:
                    db.session.add(Membership(user_id=user.id, role=role))
                    db.session.flush()
        done.append(f"demo login {email} / {DEMO_PASSWORD}")
    db.session.commit()
    coordinator = db.session.scalar(select(User).where(User.email == "koordinator@dugnad.demo"))
    for slug, build in (("hamar", _hamar), ("tonsberg", _tonsberg)):
        if slug in tenants:
            with tenant_context(tenants[slug]):
                if build(coordinator):
                    done.append(f"demo process in {tenants[slug].name}")
                db.session.commit()
    done.extend(plugin_demo_data(list(tenants.values())))
    done.extend(benchmark_demo_data(list(tenants.values())))
    return done


def benchmark_demo_data(tenants: list[Tenant]) -> list[str]:
    """Benchmarking last, once every plugin has added its data: its snapshots are computed from it."""
    from dugnad.benchmarking.demo import seed as seed_benchmarks

    return seed_benchmarks(tenants)


def plugin_demo_data(tenants: list[Tenant]) -> list[str]:
    """Each plugin's ``demo_data`` in each municipality where it is on, committed per municipality."""
    from dugnad.plugins import plugins

    done = []
    for tenant in sorted(tenants, key=lambda t: t.slug):
        with tenant_context(tenant):
            for lines in plugins().hook("demo_data", tenant.id)(tenant=tenant):
                done.extend(lines or [])
            db.session.commit()
    return done


def _participants(rows: list[tuple]) -> dict[str, int]:
    from datetime import date

    from dugnad.participants import service as participants

    made: dict[str, int] = {}
    for key, kind, name, category, email, title, org in rows:
        basis = "consent" if category in ("target_group", "residents") else "public_task" if category in (
            "municipality", "politics", "public_agency") else "legitimate_interest"
        made[key] = participants.create({
            "kind": kind, "name": name, "category": category, "email": email, "title": title,
            "organisation_id": made.get(org), "legal_basis": basis,
            "consent_at": date(2026, 9, 1) if basis == "consent" else None,
        }, source="demo").id
    return made


def _hamar(coordinator: User) -> bool:
    """Hamar (seed 003): a revived housing school with volunteer host families, and
    refugees into paid work with mentors — run as a BLT process."""
    from datetime import date, datetime, time, timedelta

    from dugnad.processes import service
    from dugnad.processes.models import Process, ProcessParticipant, StakeholderEntry

    if db.session.scalar(select(func.count()).select_from(Process)):
        return False
    people = _participants([
        ("kommune", "organisation", "Hamar kommune, flyktningtjenesten", "municipality", "flyktning@hamar.demo", None, None),
        ("kari", "person", "Kari Koordinator", "municipality", "koordinator@dugnad.demo", "Etableringskoordinator", "kommune"),
        ("frivillig", "organisation", "Frivilligsentralen i Hamar", "volunteer", "frivillig@hamar.demo", None, None),
        ("nav", "organisation", "NAV Hamar", "public_agency", "nav@hamar.demo", None, None),
        ("ahmed", "person", "Ahmed Yusuf", "target_group", "ahmed@hamar.demo", "Tidligere flyktning, mentor", None),
        ("ordforer", "person", "Ordføreren i Hamar", "politics", None, "Ordfører", None),
    ])
    process = service.start_process(
        "blt", "Bolig og arbeid for flyktninger i Hamar", coordinator,
        "Bygge opp igjen boskolen med frivillige vertsfamilier, og få flere flyktninger i lønnet arbeid med mentor.",
    )
    phases = service.phases_of(process)
    for key, role in (("kari", "owner"), ("nav", "working_group"), ("frivillig", "working_group"),
                      ("ahmed", "working_group"), ("ordforer", "steering_group")):
        db.session.add(ProcessParticipant(process_id=process.id, participant_id=people[key], role=role))
    for position, (key, name, category, grouping, effect, affected) in enumerate((
        ("frivillig", "Frivilligsentralen i Hamar", "volunteer", "primary", "positive", "much"),
        ("nav", "NAV Hamar", "public_agency", "primary", "positive", "some"),
        ("ahmed", "Flyktninger bosatt siste to år", "target_group", "primary", "positive", "much"),
        (None, "Lokale arbeidsgivere", "business", "secondary", "neutral", "some"),
    )):
        db.session.add(StakeholderEntry(process_id=process.id, participant_id=people.get(key), name=name,
                                        category=category, grouping=grouping, overall_effect=effect,
                                        affected=affected, position=position))
    db.session.flush()
    service.create_activity(process, {"title": "Behovsanalyse: bolig og kvalifisering", "phase_id": phases[0].id,
                                      "kind": "task", "owner_id": people["kari"], "status": "done",
                                      "due_date": date.today() - timedelta(days=20)})
    service.record_decision(process, coordinator, date.today() - timedelta(days=14), "Temaene for verkstedene",
                            "Bosetting og bolig; kvalifisering og arbeid.", "Styringsgruppen", phases[0].id)
    service.move_to(process, phases[1].id, "Behovene er kartlagt; vi går videre til å finne løsninger.", coordinator)
    service.create_activity(process, {"title": "Hjemmelekse: finn tre vertsfamilier", "phase_id": phases[1].id,
                                      "kind": "task", "owner_id": people["frivillig"],
                                      "due_date": date.today() - timedelta(days=2)})
    starts = datetime.combine(date.today() + timedelta(days=9), time(18, 0))
    service.create_activity(process, {"title": "Utviklingsverksted 2", "phase_id": phases[1].id, "kind": "workshop",
                                      "owner_id": people["kari"], "starts_at": starts, "ends_at": starts + timedelta(hours=4),
                                      "location": "Hamar bibliotek"})
    _hamar_votes(process, phases[1], coordinator, people)
    return True


def _hamar_votes(process, phase, coordinator: User, people: dict[str, int]) -> None:
    """The plenary dot vote of workshop 1 (closed, with paper dots from the wall) and the
    pilot choice by weighted criteria, open for a week."""
    from datetime import timedelta

    from dugnad.clock import utcnow
    from dugnad.voting import service as voting

    solutions = ["Boskole med frivillige vertsfamilier", "Mentor fra arbeidslivet inn i lønnet arbeid",
                 "Språkkafé på biblioteket", "Felles jobbmesse med lokale arbeidsgivere"]
    dots = voting.create_poll(process, title="Hvilke løsninger tar vi videre?", method="dot", phase=phase,
                              description="Alle deltakerne har to prikker. De to løsningene med flest prikker får hjemmelekse til verksted 2.",
                              options=solutions, settings={"dots_per_person": 2, "stacking": True}, user=coordinator)
    voting.open_poll(dots, coordinator)
    ids = [o.id for o in voting.options_of(dots)]
    profile = [{ids[0]: 2}, {ids[0]: 1, ids[1]: 1}, {ids[1]: 2}, {ids[0]: 1, ids[2]: 1}, {ids[1]: 1, ids[3]: 1},
               {ids[0]: 2}, {ids[1]: 1, ids[0]: 1}, {ids[2]: 2}, {ids[0]: 1, ids[1]: 1}, {ids[3]: 1, ids[1]: 1},
               {ids[0]: 1, ids[3]: 1}, {ids[0]: 1, ids[2]: 1}]
    for ballot, (voter, _code) in zip(profile[3:], voting.issue_links(dots, len(profile) - 3, coordinator)):
        voting.cast(dots, voter, ballot)
    for n, ballot in enumerate(profile[:3], start=1):
        voting.enter_paper_ballot(dots, ballot, entered_by=coordinator, label=f"Bord {n}, prikker på flipoverarket")
    voting.close_poll(dots, coordinator)
    pilot = voting.create_poll(process, title="Hvilken pilot starter vi med?", method="matrix", phase=phase,
                               description="Vurder de to løsningene fra verksted 1 på de fire kriteriene for valg av pilot.",
                               options=solutions[:2], closes_at=utcnow() + timedelta(days=7), user=coordinator)
    voting.open_poll(pilot, coordinator)
    first, second = (o.id for o in voting.options_of(pilot))
    for voter, _code in voting.issue_links(pilot, 3, coordinator):
        voting.cast(pilot, voter, {first: {"effect": 4, "cost": 3, "capacity": 4, "fit": 5},
                                   second: {"effect": 5, "cost": 2, "capacity": 3, "fit": 3}})


def _tonsberg(coordinator: User) -> bool:
    """Tønsberg (seed 003): a volunteer coordinator and the volunteer resource bank."""
    from dugnad.processes import service
    from dugnad.processes.models import Process

    if db.session.scalar(select(func.count()).select_from(Process)):
        return False
    _participants([
        ("frivillig", "organisation", "Tønsberg frivilligsentral", "volunteer", "frivillig@tonsberg.demo", None, None),
        ("rode", "organisation", "Røde Kors Tønsberg", "volunteer", "rodekors@tonsberg.demo", None, None),
    ])
    process = service.start_process("blt", "Ressursbank av frivillige", coordinator,
                                    "Frivillige som er kartlagt og godkjent på forhånd, klare når et behov melder seg.")
    from dugnad.voting import service as voting

    ideas = voting.create_poll(process, title="Hva skal ressursbanken hjelpe med først?", method="approval",
                               option_mode="proposals", user=coordinator,
                               description="Foreslå oppgaver der en frivillig kan gjøre en forskjell. Etterpå krysser alle av for det de støtter.")
    voting.start_proposals(ideas, coordinator)
    for idea in ("Følge enslige mindreårige til fastlegen", "Tolke ved foreldremøter på skolen",
                 "Leksehjelp på flyktningkafeen"):
        voting.add_option(ideas, idea, user=coordinator)
    return True
