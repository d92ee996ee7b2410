"""The demo (``demo_data``): Namsskogan is establishing its service — in phase 4, with the
insight workshop's measures and the plenary's dot vote recorded (seed 000) — while Hamar
and Kinn run it, with households of the last two years, their contact persons,
checklists, follow-ups and so a retention figure. Added once; a second load adds nothing."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select

from dugnad.sdk import Membership, Process, User, db, hash_password, processes, today, voting
from dugnad_newcomers import establishing, households
from dugnad_newcomers.models import ChecklistItem, FollowUp, Household

DEMO_PASSWORD = "dugnad-demo"  # the demo's one password (README, "Demo logins")
NAMES = ["Olena Kovalenko", "Ahmed Hassan", "Maria Nowak", "Yonas Tesfay", "Jonas Petraitis", "Amina Yusuf",
         "Sara Lindqvist", "Mohammed Al-Sayed", "Anna Kowalska", "Tran Van Minh", "Fatima Haidari", "Lukas Schmidt",
         "Ingrid Berg", "Samir Rahimi", "Kateryna Shevchenko", "Daniel Okafor", "Elena Popescu", "Hassan Warsame",
         "Marta Silva", "Nils Eriksen", "Aisha Ibrahim", "Pedro Gonzales", "Svitlana Bondar", "Ali Karimi",
         "Emma Johansson", "Oksana Melnyk", "Abdi Farah", "Julia Wiśniewska", "Tomas Kazlauskas", "Leila Ahmadi"]
PLACES = ["Kharkiv", "Gdańsk", "Asmara", "Kaunas", "Oslo", "Trondheim", "Aleppo", "Bergen", "Kabul", "Manila",
          "Lviv", "Göteborg", "Mogadishu", "Vilnius", "Stavanger"]
REASONS = ["work"] * 5 + ["family"] * 3 + ["refugee"] * 2 + ["study"]
MEASURES = [
    ("Gruppe 1", "Ordfører Knut", ["Fadderordning: en lokal kontakt for hver ny familie", "Jobb til partner sammen med næringslivet"]),
    ("Gruppe 2", "Rådmann Ingrid", ["Velkomstmøte hver høst med lag og foreninger", "Ansette en etableringskoordinator",
                                    "Boligtilbud for nye familier"]),
    ("Gruppe 3", "Frivilligsentralen", ["Synliggjøre hvor mange som er tilflyttere – også de som har bodd her lenge",
                                        "Norskkurs på kveldstid"]),
]


def _user(email: str, name: str, role: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, password_hash=hash_password(DEMO_PASSWORD))
        db.session.add(user)
        db.session.flush()
    if db.session.scalar(select(Membership).where(Membership.user_id == user.id)) is None:
        db.session.add(Membership(user_id=user.id, role=role))
        db.session.flush()
    return user


def _namsskogan(tenant) -> list[str]:
    if db.session.scalar(select(Process.id).where(Process.template_key == establishing.TEMPLATE_KEY)) is not None:
        return []
    admin = db.session.scalar(select(User).where(User.email == "admin@namsskogan.demo"))
    process = processes.start_process(establishing.TEMPLATE_KEY, "Tilflyttertjeneste i Namsskogan", admin)
    for group, host, texts in MEASURES:
        for text in texts:
            establishing.add_measure(process, {"group_name": group, "table_host": host, "text": text})
    poll = establishing.start_plenary_vote(process, admin)
    voting.open_poll(poll, admin)
    options = voting.options_of(poll)
    rng = random.Random(5044)
    weights = [9, 6, 3, 8, 2, 4, 1]
    for voter, _code in voting.issue_links(poll, 19):
        picks = rng.choices(options, weights=weights[:len(options)], k=2)
        content: dict[int, int] = {}
        for option in picks:
            content[option.id] = content.get(option.id, 0) + 1
        voting.cast(poll, voter, content)
    voting.close_poll(poll, admin)
    establishing.record_decision(process, {"decided_on": today() - timedelta(days=75), "case_number": "PS 31/26",
                                           "unanimous": True, "text": "Kommunestyret vedtar enstemmig å etablere en "
                                           "tilflyttertjeneste og å ansette en etableringskoordinator i 100 % stilling."})
    phases = processes.phases_of(process)
    processes.move_to(process, phases[1].id, "Innsiktsverkstedene er holdt i administrasjonen og i kommunestyret.", admin)
    processes.move_to(process, phases[2].id, "Prosessplanen er klar; saken legges fram for kommunestyret.", admin)
    processes.move_to(process, phases[3].id, "Enstemmig vedtak i kommunestyret (PS 31/26).", admin)
    return [f"newcomer service in {tenant.name}: establishing, phase 4, with {sum(len(m[2]) for m in MEASURES)} "
            "workshop measures, a plenary dot vote and the council decision"]


def _running(tenant, months: int, count: int, seed: int) -> list[str]:
    if db.session.scalar(select(Household.id).limit(1)) is not None:
        return []
    coordinator = _user(f"tilflytter@{tenant.slug}.demo", f"Tuva Tilflytter ({tenant.name})", "newcomer_coordinator")
    rng = random.Random(seed)
    day = today()
    done_follow_ups = 0
    for i in range(count):
        arrival = day - timedelta(days=rng.randint(5, months * 30))
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i // len(NAMES) + 1}")
        adults = rng.choice((1, 2, 2, 2))
        children = sorted(rng.sample(range(0, 17), rng.choice((0, 0, 1, 2, 3))))
        household = households.register({
            "name": name, "email": f"{name.lower().replace(' ', '.')}@{tenant.slug}.demo",
            "phone": f"9{rng.randint(1000000, 9999999)}", "adults": adults, "children": children,
            "moved_from": rng.choice(PLACES), "arrival_date": arrival, "reason": rng.choice(REASONS),
            "help_wanted": rng.sample(["partner_job", "housing", "kindergarten", "school", "gp", "norwegian",
                                       "activities", "local_contact"], 3), "consent": True,
        }, locale=rng.choice(("nb", "nb", "en", "uk", "ar")), by=coordinator)
        registered = datetime.combine(arrival + timedelta(days=rng.randint(0, 10)), time(10))
        household.registered_at = household.consented_at = registered
        if rng.random() < 0.9:
            household.contact_user_id = coordinator.id
            household.contact_assigned_at = registered + timedelta(days=rng.choice((1, 3, 7, 10, 12, 20)))
        for item in db.session.scalars(select(ChecklistItem).where(ChecklistItem.household_id == household.id)):
            if (day - arrival).days > 60 and rng.random() < 0.6:
                item.status, item.done_at = "done", registered + timedelta(days=rng.randint(5, 60))
                item.owner_user_id = coordinator.id
            elif rng.random() < 0.3:
                item.status, item.owner_user_id = "in_progress", coordinator.id
                item.due_on = day + timedelta(days=rng.randint(3, 40))
        for follow_up in db.session.scalars(select(FollowUp).where(FollowUp.household_id == household.id)
                                             .order_by(FollowUp.month)):
            if follow_up.due_on > day - timedelta(days=3) or household.status == "moved_away":
                break
            roll = rng.random()
            outcome = "moved" if roll < 0.08 else ("unknown" if roll < 0.13 else "here")
            follow_up.recorded_at = datetime.combine(follow_up.due_on + timedelta(days=rng.randint(0, 6)), time(11))
            follow_up.recorded_by_id, follow_up.outcome = coordinator.id, outcome
            follow_up.how_going = rng.choice(("Trives godt, barna har fått venner.", "Litt ensomt om vinteren.",
                                              "Jobben går bra, partneren søker arbeid.", "Har kommet i gang med norskkurs."))
            follow_up.plans = "stay" if outcome == "here" else ("leave" if outcome == "moved" else "unsure")
            done_follow_ups += 1
            if outcome == "moved":
                follow_up.moved_to = rng.choice(("Oslo", "Trondheim", "Polen", "Bergen"))
                households.mark_moved(household, follow_up.moved_to, follow_up.recorded_at.date())
            else:
                household.outcome, household.outcome_on = outcome, follow_up.recorded_at.date()
    db.session.flush()
    return [f"newcomer service in {tenant.name}: {count} households over {months} months, {done_follow_ups} "
            f"follow-ups; coordinator tilflytter@{tenant.slug}.demo / {DEMO_PASSWORD}"]


def load(tenant) -> list[str]:
    if tenant.slug == "namsskogan":
        return _namsskogan(tenant)
    if tenant.slug == "hamar":
        return _running(tenant, months=30, count=90, seed=3403)
    if tenant.slug == "kinn":
        return _running(tenant, months=30, count=60, seed=4602)
    return []
