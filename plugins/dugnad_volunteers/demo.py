"""Demo data from seed 003: Tønsberg's volunteer coordinator and resource bank — volunteers
mapped and approved in advance, with languages such as Tigrinya, Arabic, Somali, Dari and
Ukrainian, escorting an unaccompanied minor or a family to the GP or public offices — and
Hamar's host families for the housing school and mentors into work."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from dugnad.sdk import db, hash_password, Membership, today, User, utcnow
from dugnad_volunteers import configuration, needs, organisations, vetting, warmth
from dugnad_volunteers.models import (
    Assignment,
    Need,
    OrganisationProfile,
    Qualification,
    Volunteer,
    VolunteerArea,
    VolunteerInterest,
    VolunteerLanguage,
)

PASSWORD = "dugnad-demo"
WEEKDAYS = range(0, 5)


def _slots(days, parts) -> int:
    return sum(1 << (d * 3 + p) for d in days for p in parts)


def _next(weekday: int, hour: int, minute: int = 0, weeks: int = 1) -> datetime:
    day = today() + timedelta(days=(weekday - today().weekday()) % 7 + 7 * (weeks - 1) or 7)
    return datetime.combine(day, time(hour, minute))


def _coordinator(email: str, name: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, password_hash=hash_password(PASSWORD))
        db.session.add(user)
        db.session.flush()
    if db.session.scalar(select(Membership).where(Membership.user_id == user.id)) is None:
        db.session.add(Membership(user_id=user.id, role="volunteer_coordinator"))
        db.session.flush()
    return user


def _volunteer(consent, roles: dict, areas: dict, *, name, email, phone, born, languages, wants, area=(), anywhere=False,
               slots=0, status="approved", formal=None, informal=None, regional=False, approved_days_ago=60,
               guardian=None, message=None) -> Volunteer:
    now = utcnow()
    volunteer = Volunteer(
        status=status, name=name, email=email, phone=phone, birth_date=born, locale="nb", consent_text_id=consent.id,
        consented_at=now - timedelta(days=approved_days_ago + 7), registered_at=now - timedelta(days=approved_days_ago + 7),
        email_confirmed_at=None if status == "unconfirmed" else now - timedelta(days=approved_days_ago + 6),
        approved_at=now - timedelta(days=approved_days_ago) if status == "approved" else None,
        reviewed_at=now - timedelta(days=approved_days_ago) if status in ("approved", "more_info") else None,
        review_message=message, availability=slots, anywhere=anywhere, formal_competence=formal,
        informal_competence=informal, regional_consent_at=now - timedelta(days=30) if regional else None,
        last_active_at=now - timedelta(days=min(approved_days_ago, 20)), frequency="few_monthly",
        guardian_name=guardian[0] if guardian else None, guardian_email=guardian[1] if guardian else None,
    )
    db.session.add(volunteer)
    db.session.flush()
    db.session.add_all(VolunteerLanguage(volunteer_id=volunteer.id, language=code, level=level) for code, level in languages)
    db.session.add_all(VolunteerInterest(volunteer_id=volunteer.id, role_id=roles[key].id) for key in wants)
    db.session.add_all(VolunteerArea(volunteer_id=volunteer.id, area_id=areas[key].id) for key in area)
    db.session.flush()
    return volunteer


def _roles() -> dict:
    if not configuration.roles(active_only=False):
        configuration.add_default_roles()
    found = {r.name: r for r in configuration.roles(active_only=False)}
    names = [r["name"] for r in configuration.default_roles()]
    keys = ("escort_minor", "escort_family", "language", "homework", "activity", "cafe")
    return {key: found[name] for key, name in zip(keys, names)}


def _profile(name: str, activities: str, groups: list[str], contact: str, website: str | None = None,
             email: str | None = None) -> None:
    from dugnad.sdk import Participant

    participant = db.session.scalar(select(Participant).where(Participant.name == name))
    if participant is None:
        organisations.create({"name": name, "activities": activities, "target_groups": groups, "contact_name": contact,
                              "website": website, "email": email})
        return
    if db.session.scalar(select(OrganisationProfile.id).where(OrganisationProfile.participant_id == participant.id)) is None:
        db.session.add(OrganisationProfile(participant_id=participant.id, activities=activities, target_groups=groups,
                                           contact_name=contact, website=website))


def _tonsberg(tenant) -> list[str]:
    user = _coordinator("frivillighetskoordinator@tonsberg.demo", "Frida Frivillighetskoordinator")
    roles = _roles()
    areas = {name: configuration.create_area(name) for name in ("Sentrum", "Husøy", "Vear", "Slagen", "Eik", "Revetal")}
    consent = configuration.consent_to_store(1, tenant.name)
    mornings, days = _slots(WEEKDAYS, (0,)), _slots(WEEKDAYS, (0, 1))
    evenings = _slots(range(7), (2,))
    people = {
        "yonas": _volunteer(consent, roles, areas, name="Yonas Tesfay", email="yonas@tonsberg.demo", phone="912 34 501",
                            born=date(1991, 3, 14), languages=[("ti", 4), ("no", 3), ("en", 2)],
                            wants=("escort_minor", "language"), area=("Sentrum", "Slagen"), slots=days | evenings,
                            informal="Kom selv som enslig mindreårig i 2009. Kjenner fastlegeordningen og NAV godt.",
                            regional=True, approved_days_ago=200),
        "amina": _volunteer(consent, roles, areas, name="Amina Hassan", email="amina@tonsberg.demo", phone="912 34 502",
                            born=date(1984, 11, 2), languages=[("so", 4), ("no", 4), ("ar", 2)],
                            wants=("escort_family", "language"), area=("Husøy",), slots=mornings,
                            formal="Sykepleier, jobber deltid på legevakten.", regional=True, approved_days_ago=150),
        "mariam": _volunteer(consent, roles, areas, name="Mariam Haidari", email="mariam@tonsberg.demo", phone="912 34 503",
                             born=date(1996, 6, 21), languages=[("prs", 4), ("fa", 4), ("no", 3)],
                             wants=("homework", "activity"), area=("Vear",), slots=_slots(range(0, 4), (1, 2)),
                             formal="Lærerstudent ved Universitetet i Sørøst-Norge.", approved_days_ago=90),
        "olena": _volunteer(consent, roles, areas, name="Olena Kovalenko", email="olena@tonsberg.demo", phone="912 34 504",
                            born=date(1979, 1, 9), languages=[("uk", 4), ("ru", 4), ("en", 3), ("no", 2)],
                            wants=("escort_family", "language", "cafe"), anywhere=True, slots=days,
                            formal="Regnskapsfører fra Kharkiv.", regional=True, approved_days_ago=120),
        "kari": _volunteer(consent, roles, areas, name="Kari Nilsen", email="kari.nilsen@tonsberg.demo", phone="912 34 505",
                           born=date(1956, 8, 30), languages=[("no", 4), ("en", 3)],
                           wants=("homework", "escort_minor", "activity"), area=("Slagen", "Sentrum"), slots=mornings,
                           formal="Pensjonert lærer.", informal="Turer i Slottsfjellet, strikking.", approved_days_ago=300),
        "ahmad": _volunteer(consent, roles, areas, name="Ahmad Al-Sayed", email="ahmad@tonsberg.demo", phone="912 34 506",
                            born=date(1988, 4, 17), languages=[("ar", 4), ("no", 3), ("en", 2)],
                            wants=("escort_minor", "escort_family"), area=("Sentrum",), slots=days,
                            informal="Fra Aleppo, bosatt i Tønsberg siden 2016.", approved_days_ago=80),
        "selam": _volunteer(consent, roles, areas, name="Selam Gebremedhin", email="selam@tonsberg.demo", phone="912 34 507",
                            born=date(1993, 12, 5), languages=[("ti", 4), ("am", 3), ("no", 2)],
                            wants=("escort_minor", "cafe"), area=("Eik",), slots=mornings | evenings, approved_days_ago=40),
        "per": _volunteer(consent, roles, areas, name="Per Olav Berg", email="perolav@tonsberg.demo", phone="912 34 508",
                          born=date(1961, 2, 11), languages=[("no", 4)], wants=("cafe", "activity"), anywhere=True,
                          slots=evenings, informal="Har bil og henter gjerne folk.", approved_days_ago=400),
        "hodan": _volunteer(consent, roles, areas, name="Hodan Warsame", email="hodan@tonsberg.demo", phone="912 34 509",
                            born=date(1999, 9, 19), languages=[("so", 4), ("no", 3), ("en", 3)],
                            wants=("language", "homework"), area=("Husøy",), slots=evenings, status="pending",
                            approved_days_ago=3),
        "lina": _volunteer(consent, roles, areas, name="Lina Johansen", email="lina@tonsberg.demo", phone="912 34 510",
                           born=today() - timedelta(days=16 * 365 + 100), languages=[("no", 4), ("en", 3)],
                           wants=("cafe",), area=("Sentrum",), slots=evenings, status="pending", approved_days_ago=2,
                           guardian=("Hege Johansen", "hege@tonsberg.demo")),
        "dawit": _volunteer(consent, roles, areas, name="Dawit Kidane", email="dawit@tonsberg.demo", phone="912 34 511",
                            born=date(1990, 5, 1), languages=[("ti", 4), ("no", 1)], wants=("language",),
                            anywhere=True, slots=days, status="more_info", approved_days_ago=10,
                            message="Kan du komme innom frivilligkafeen på torsdag, så vi kan hilse på hverandre?"),
    }
    day = today()
    for key, role in (("yonas", "escort_minor"), ("kari", "escort_minor"), ("kari", "homework"), ("mariam", "homework")):
        vetting.record_shown(people[key], roles[role], day - timedelta(days=40), day - timedelta(days=20), user)
    for key, kind, note, valid in (("amina", "health_personnel", "Sykepleier (HPR)", None),
                                   ("kari", "first_aid", "Røde Kors førstehjelpskurs", day + timedelta(days=25)),
                                   ("olena", "driving_licence", None, None), ("per", "driving_licence", None, None)):
        db.session.add(Qualification(volunteer_id=people[key].id, kind=kind, note=note, valid_until=valid,
                                     recorded_by_id=user.id))
    # a need done three weeks ago, with hours
    past = datetime.combine(day - timedelta(days=21), time(9, 0))
    done = Need(title="Følge familie til skolestart på Husøy skole", role_id=roles["escort_family"].id, starts_at=past,
                ends_at=past + timedelta(hours=2), location="Husøy skole", area_id=areas["Husøy"].id, language="so",
                language_level=3, status="done", created_by_id=user.id, created_at=utcnow() - timedelta(days=25),
                filled_at=utcnow() - timedelta(days=24), done_at=utcnow() - timedelta(days=21))
    db.session.add(done)
    db.session.flush()
    db.session.add(Assignment(need_id=done.id, volunteer_id=people["amina"].id, status="done", asked_by_id=user.id,
                              asked_at=utcnow() - timedelta(days=25), answered_at=utcnow() - timedelta(days=24),
                              minutes=150, done_at=utcnow() - timedelta(days=21)))
    people["amina"].last_task_on = past.date()
    # the typical need: an unaccompanied minor to the GP, Tigrinya, Thursday 10:00
    starts = _next(3, 10)
    needs.create({"title": "Følge enslig mindreårig til fastlegen", "role_id": roles["escort_minor"].id,
                  "starts_at": starts, "ends_at": starts + timedelta(minutes=90), "location": "Tønsberg legesenter, Storgaten",
                  "area_id": areas["Sentrum"].id, "language": "ti", "language_level": 3,
                  "description": "Gutt, 16 år, kom til Tønsberg i høst. Første time hos fastlegen; trenger følge og tolkehjelp på tigrinja.",
                  "volunteers_needed": 1}, user)
    # a family to NAV, Arabic: asked and filled
    starts = _next(1, 13)
    nav = needs.create({"title": "Følge familie til NAV Tønsberg", "role_id": roles["escort_family"].id, "starts_at": starts,
                        "ends_at": starts + timedelta(hours=1), "location": "NAV Tønsberg, Tollbodgaten", "language": "ar",
                        "language_level": 3, "area_id": areas["Sentrum"].id,
                        "description": "Familie på fem, nylig bosatt. Møte om introduksjonsprogrammet.", "volunteers_needed": 1},
                       user)
    (asked,) = needs.ask(nav, [people["ahmad"].id], user)
    needs.answer(asked, True)
    starts = _next(5, 11, weeks=2)
    needs.create({"title": "Tur i Slottsfjellet med nyankomne ungdommer", "role_id": roles["activity"].id,
                  "starts_at": starts, "ends_at": starts + timedelta(hours=2), "location": "Slottsfjellet, ved tårnet",
                  "volunteers_needed": 2}, user)
    cafe = warmth.create_event({"title": "Frivilligkafé på Tønsberg bibliotek", "kind": "social",
                                "starts_at": _next(3, 18, weeks=2), "ends_at": _next(3, 20, weeks=2),
                                "location": "Tønsberg bibliotek", "description": "Vafler, kaffe og en prat. Ta med en venn!"}, user)
    warmth.create_event({"title": "Kurs: å være følgeperson", "kind": "training", "starts_at": _next(1, 18, weeks=3),
                         "ends_at": _next(1, 21, weeks=3), "location": "Rådhuset, møterom Nøtterøy", "capacity": 20,
                         "description": "Taushetsplikt, tolking og roller når du følger noen til lege eller offentlige kontor."},
                        user)
    warmth.invite(cafe)
    _profile("Tønsberg frivilligsentral", "Internasjonal kafé tre ganger i uken, leksehjelp, turgrupper og utlån av utstyr.",
             ["refugees", "families", "everyone"], "Daglig leder")
    _profile("Røde Kors Tønsberg", "Flyktningguide, norsktrening og besøksvenn.", ["refugees", "unaccompanied", "elderly"],
             "Frivillighetskontakten")
    _profile("Norsk Folkehjelp Tønsberg", "Flyktningguiden: kobler nybosatte flyktninger med en guide som kjenner lokalsamfunnet.",
             ["refugees", "families"], "Lokallagsleder", email="folkehjelp@tonsberg.demo")
    return [f"demo volunteer bank in {tenant.name}: {len(people)} volunteers, 4 needs, 2 events",
            f"demo login frivillighetskoordinator@tonsberg.demo / {PASSWORD}"]


def _hamar(tenant) -> list[str]:
    from dugnad.sdk import User as Account

    user = db.session.scalar(select(Account).where(Account.email == "koordinator@dugnad.demo"))
    roles = _roles()
    host = configuration.create_role({"name": "Vertsfamilie for boskolen", "requires_certificate": False,
                                      "description": "Følg opp en nybosatt flyktning i egen bolig gjennom året: renhold, "
                                                     "vedlikehold, naboskap."})
    mentor = configuration.create_role({"name": "Mentor i arbeid", "requires_certificate": False,
                                        "description": "Støtt en flyktning i lønnet arbeid de første månedene."})
    roles.update(host=host, mentor=mentor)
    areas = {name: configuration.create_area(name) for name in ("Hamar sentrum", "Ridabu", "Ottestad")}
    consent = configuration.consent_to_store(1, tenant.name)
    people = [
        _volunteer(consent, roles, areas, name="Ingrid Sørlie", email="ingrid@hamar.demo", phone="913 45 601",
                   born=date(1970, 7, 7), languages=[("no", 4), ("en", 3)], wants=("host", "activity"), area=("Ridabu",),
                   slots=_slots(range(7), (2,)), informal="Familie med tre barn, har hatt vertsfamilie før."),
        _volunteer(consent, roles, areas, name="Ahmed Yusuf", email="ahmed.yusuf@hamar.demo", phone="913 45 602",
                   born=date(1985, 2, 20), languages=[("so", 4), ("ar", 3), ("no", 3)], wants=("mentor", "language"),
                   anywhere=True, slots=_slots(WEEKDAYS, (1, 2)), informal="Tidligere flyktning, jobber på Hamar sykehus.",
                   regional=True),
        _volunteer(consent, roles, areas, name="Tesfaye Alemu", email="tesfaye@hamar.demo", phone="913 45 603",
                   born=date(1992, 10, 12), languages=[("am", 4), ("ti", 3), ("no", 3)], wants=("escort_family", "language"),
                   area=("Hamar sentrum",), slots=_slots(WEEKDAYS, (0,)), regional=True),
    ]
    starts = _next(2, 17)
    needs.create({"title": "Vertsfamilie for ny deltaker i boskolen", "role_id": host.id, "starts_at": starts,
                  "ends_at": starts + timedelta(hours=2), "location": "Hamar kommune, boligkontoret", "volunteers_needed": 2},
                 user)
    return [f"demo volunteer bank in {tenant.name}: {len(people)} volunteers, 1 need"]


def load(tenant) -> list[str]:
    """Add the demo bank once (nothing when a volunteer is already there)."""
    if db.session.scalar(select(Volunteer.id).limit(1)) is not None:
        return []
    if tenant.slug == "tonsberg":
        lines = _tonsberg(tenant)
    elif tenant.slug == "hamar":
        lines = _hamar(tenant)
    else:
        return []
    db.session.flush()
    return lines
