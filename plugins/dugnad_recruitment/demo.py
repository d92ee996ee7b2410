"""Demo data from seed 004. Bærum runs its pilot: five people from the adult-education fast
track with Norwegian at B2, placed in units that need them, funded by NAV work practice or a
temporary wage subsidy, a mentor each, and the outcomes at 6 months recorded. Asker is
designing an Enkla jobb track ("Ta Askersjansen"): a persona, a solution with its 3 days /
3 weeks / 3 months plan, and a unit's worksheet bundled into a new job."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dugnad.sdk import Membership, Participant, User, db, hash_password, today
from dugnad_recruitment import candidates, design, outcomes, placements
from dugnad_recruitment.models import Candidate, FundingRule, Outcome, StageChange, Track
from dugnad_recruitment.placements import add_months
from dugnad_recruitment.setup import seed_defaults

PASSWORD = "dugnad-demo"


def _person(email: str, name: str, role: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, password_hash=hash_password(PASSWORD))
        db.session.add(user)
        db.session.flush()
    if db.session.scalar(select(Membership).where(Membership.user_id == user.id)) is None:
        db.session.add(Membership(user_id=user.id, role=role))
        db.session.flush()
    return user


def _rule(kind: str, rate: int) -> FundingRule:
    return db.session.scalar(select(FundingRule).where(FundingRule.kind == kind, FundingRule.rate == rate))


def _candidate(track: Track, name: str, since, background: str) -> Candidate:
    candidate = candidates.create(track, {"name": name, "legal_basis": "consent", "consent_on": since,
                                          "background": background,
                                          "email": name.lower().replace(" ", ".") + "@example.no"})
    candidate.stage_since = since
    start = db.session.scalar(select(StageChange).where(StageChange.candidate_id == candidate.id))
    start.changed_on = since
    start.reason = "Fra hurtigløpet i voksenopplæringen, norsk på B2-nivå."
    return candidate


def _outcome(candidate: Candidate, months: int, status: str, employer: str | None, permanent: bool = False) -> None:
    outcome = db.session.scalar(select(Outcome).where(Outcome.candidate_id == candidate.id, Outcome.months == months))
    outcomes.record(outcome, {"status": status, "employer": employer, "permanent": permanent})


def baerum() -> list[str]:
    seed_defaults()
    coordinator = _person("rekruttering@baerum.demo", "Randi Rekruttering", "recruitment_coordinator")
    leaders = {key: _person(f"leder.{key}@baerum.demo", name, "member") for key, name in
               (("lonnas", "Lars Lønnås"), ("bekkestua", "Berit Bekkestua"), ("eiendom", "Erik Eiendom"))}
    mentors = [_person(f"mentor{i}@baerum.demo", name, "member") for i, name in enumerate(
        ("Marit Mentor", "Morten Mentor", "Mette Mentor", "Magnus Mentor", "Mari Mentor"), start=1)]
    track = design.create_track({
        "name": "Pilot: fra hurtigløpet til jobb", "kind": "qualification",
        "target_group_id": next((g.id for g in design.target_groups() if g.code == "D"), None),
        "description": "Hvordan kan voksne innvandrere med høy utdanning bli sett som en ressurs i kommunens enheter?"},
        coordinator)
    start = add_months(today(), -6) - timedelta(days=10)
    later = add_months(today(), -6) + timedelta(days=20)
    practice = placements.create_opening(track, {
        "unit": "Lønnås sykehjem", "title": "Assistent i pleie og kjøkken", "kind": "practice", "starts_on": start,
        "months": 6, "leader_id": leaders["lonnas"].id, "monthly_wage": 42000})
    kindergarten = placements.create_opening(track, {
        "unit": "Bekkestua barnehage", "title": "Barnehageassistent", "kind": "practice", "starts_on": start,
        "months": 6, "leader_id": leaders["bekkestua"].id, "monthly_wage": 40000})
    property_ = placements.create_opening(track, {
        "unit": "Bærum kommune Eiendom", "title": "Ingeniør, drift av bygg", "kind": "temporary", "starts_on": later,
        "months": 12, "leader_id": leaders["eiendom"].id, "monthly_wage": 55000})
    temporary = placements.create_opening(track, {
        "unit": "Lønnås sykehjem", "title": "Helsefagarbeider, midlertidig", "kind": "temporary",
        "starts_on": add_months(start, 6), "months": 6, "leader_id": leaders["lonnas"].id, "monthly_wage": 45000})
    work_practice, subsidy = _rule("work_practice", 100), _rule("wage_subsidy", 40)

    people = [
        ("Amina Hassan", "Sykepleier fra Syria; norsk B2; godkjenning av utdanningen pågår.", practice),
        ("Tesfay Gebremariam", "Lærer fra Eritrea; norsk B2; erfaring med barn og unge.", kindergarten),
        ("Farid Rahimi", "Økonom fra Afghanistan; norsk B2.", practice),
        ("Samira Ahmed", "Barnehagelærer fra Somalia; norsk B2.", kindergarten),
    ]
    made = []
    for (name, background, opening), mentor in zip(people, mentors):
        candidate = _candidate(track, name, start - timedelta(days=21), background)
        candidates.change_stage(candidate, "practice", start, "Arbeidspraksis i seks måneder, finansiert av NAV.")
        months = 7 if name.startswith("Samira") else 6
        placement = placements.place(candidate, opening, {"starts_on": start,
                                                          "ends_on": add_months(start, months) - timedelta(days=1),
                                                          "mentor_id": mentor.id})
        placements.add_funding(placement, {"rule_id": work_practice.id})
        made.append(candidate)
    amina, tesfay, farid, samira = made
    six = add_months(start, 6)
    candidates.change_stage(amina, "temporary", six, "Enheten trenger henne; midlertidig stilling med lønnstilskudd.")
    second = placements.place(amina, temporary, {"starts_on": six, "mentor_id": mentors[0].id})
    placements.add_funding(second, {"rule_id": subsidy.id})
    candidates.change_stage(tesfay, "permanent", six, "Ledig fast stilling i barnehagen; ansatt for holdning, "
                                                      "opplæring på jobben.")
    candidates.change_stage(farid, "ended", six, "Fikk jobb i et regnskapsbyrå i Oslo.")
    _outcome(amina, 6, "in_work", "Lønnås sykehjem")
    _outcome(tesfay, 6, "in_work", "Bekkestua barnehage", permanent=True)
    _outcome(farid, 6, "in_work", "Regnskapsbyrå i Oslo")
    _outcome(samira, 6, "in_education", "Voksenopplæringen: barnehagefag")
    olena = _candidate(track, "Olena Kovalenko", later - timedelta(days=14),
                       "Bygningsingeniør fra Ukraina; norsk B2.")
    candidates.change_stage(olena, "temporary", later, "Hopper over praksis: relevant ingeniørerfaring, "
                                                       "midlertidig stilling med lønnstilskudd.")
    placement = placements.place(olena, property_, {"starts_on": later, "mentor_id": mentors[4].id})
    placements.add_funding(placement, {"rule_id": subsidy.id})
    db.session.flush()
    return ["Bærum: the pilot track, four openings, five candidates with funding, a mentor each and outcomes at 6 "
            "months (rekruttering@baerum.demo; leaders leder.lonnas@…, mentors mentor1@…)"]


def asker() -> list[str]:
    seed_defaults()
    hr = _person("hr@asker.demo", "Hanne HR", "coordinator")
    group = next((g for g in design.target_groups() if g.code == "D"), design.target_groups()[0])
    track = design.create_track({
        "name": "Ta Askersjansen: enkle jobber", "kind": "simple_jobs", "target_group_id": group.id,
        "description": "Hvordan kan oppgaver som ikke blir gjort i dag bli en vei inn i arbeid for innvandrere i Asker?"},
        hr)
    design.add_persona({"target_group_id": group.id, "name": "Nadia",
                        "story": "Nadia er 41, var regnskapsfører i Irak og har bodd i Asker i fire år. Hun har "
                                 "norsk B1, to barn på skolen og vil gjerne jobbe, men har aldri fått intervju.",
                        "resources": "Nøyaktig, kan tall, snakker arabisk og kurdisk.",
                        "needs": "Norskpraksis på jobb, en kollega som viser vei, en første norsk referanse."})
    owner = db.session.scalar(select(Participant).where(Participant.name == "Hanne HR"))
    if owner is None:
        owner = Participant(name="Hanne HR", category="municipality", email="hr@asker.demo", legal_basis="public_task")
        db.session.add(owner)
        db.session.flush()
    design.add_solution(track, {
        "code": "D1", "title": "Servicemedarbeider på helsehuset", "kind": "simple_jobs", "target_group_id": group.id,
        "who_does_what": "HR lager stillingen, enhetsleder velger oppgavene, NAV finansierer de første månedene, "
                         "en kollega er fadder.",
        "road_in": "Arbeidspraksis i tre måneder, deretter midlertidig stilling.", "owner_id": owner.id,
        "plan_starts_on": today(),
        "plan_3d": "Enhetsleder fyller ut arbeidsarket\nAvtale med NAV Asker om finansiering",
        "plan_3w": "Stillingsbeskrivelse ferdig\nFadder valgt i enheten",
        "plan_3m": "Første kandidat i praksis\nEvaluering med enheten"})
    sheet = design.create_worksheet({"unit": "Asker helsehus", "track_id": track.id})
    for text, simple, repeatable, hours in (
            ("Fylle på forbruksmateriell på avdelingene", True, True, 6),
            ("Kjøre matvogn og rydde etter måltider", True, True, 8),
            ("Følge beboere til aktiviteter", True, False, 4),
            ("Vaske og klargjøre hjelpemidler", True, True, 5),
            ("Dokumentere i pasientjournalen", False, True, 10)):
        design.add_task(sheet, {"text": text, "simple": simple, "repeatable": repeatable, "hours_per_week": hours})
    tasks = design.tasks(sheet)
    design.bundle(sheet, [t.id for t in tasks if t.simple and t.repeatable], "Servicemedarbeider",
                  "Praktiske oppgaver som i dag tar tid fra helsefagarbeiderne.")
    db.session.flush()
    return ["Asker: the Enkla jobb track being designed, with a persona, a solution with its plan and a worksheet "
            "(hr@asker.demo)"]


def load(tenant) -> list[str]:
    if db.session.scalar(select(Track.id).limit(1)) is not None:
        return []
    if tenant.slug == "baerum":
        return baerum()
    if tenant.slug == "asker":
        return asker()
    seed_defaults()
    return []
