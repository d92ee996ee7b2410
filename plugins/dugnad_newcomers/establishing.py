"""Establishing the service (seed 000): the process template with its six phases, the
insight workshop's measures and the plenary's dot vote, the council decision (phase 3)
and the agreements of phase 6.

The template's texts are the seed's own (Norwegian), as the municipality adapts them;
the phases are copied into the process, so they can be taken out of order and moved
back like any process's (the seed: "ikke nødvendigvis kronologisk")."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.sdk import (
    Participant,
    PhaseTemplate,
    Process,
    ProcessTemplate,
    Refusal,
    User,
    db,
    record,
    voting,
)
from dugnad_newcomers.households import clean
from dugnad_newcomers.models import AGREEMENT_KINDS, Agreement, CouncilDecision, WorkshopMeasure

TEMPLATE_KEY = "newcomers"
QUESTION_HEARD = "Hva har vi hørt som er relevant for vår kommune?"
QUESTION_ACT = "Hva vil vi gjøre noe med?"
WATCH_OUTS = (
    "Vær obs: «Hva med oss da?» – synliggjør hvor mange som faktisk er tilflyttere, og at inkludering er et fellesgode",
    "Vær obs: skifte av ordfører eller rådmann – sørg for at flere enn én har eierskap til arbeidet",
    "Vær obs: aldrende befolkning og forsørgerbyrde kan oppleves nedverdigende for seniorer – "
    "pensjonister er en ressurs og en del av løsningen",
)
# the core adds the process checklist (open–close, the human factor, reflect, document,
# evaluate) to every phase; the template adds each phase's own points and the watch-outs

PHASES = (
    PhaseTemplate(
        key="innsikt",
        name="Innsikt i kommunens situasjon",
        desired_result=("Økt innsikt og realitetsorientering. Kommunens administrative ledelse og politikere "
                        "erkjenner egen situasjon og at handling må til."),
        suggested_measures=(
            "Arbeidsverksted med kunnskapspåfyll og prosessarbeid for kommunens administrative ledelse",
            "Arbeidsverksted med kommunestyret (gjerne som en bolk i kommunestyremøtet)",
            "Kunnskapspåfyll: attraktivitetsanalyser og framtidsscenarier, statistikk fra IMDi, SSBs "
            "flyttestrømmer over ti år, kunnskap om tilflytting og bli-faktorer (Åre)",
            "Metoden individuell – gruppe (4–6 personer med en bordvert) – plenum",
            "Inviter gjerne næringsliv og frivillighet inn",
        ),
        key_questions=(QUESTION_HEARD, QUESTION_ACT, "Hvorfor setter vi i gang disse prosessene nå?",
                       "Hva kan bli effekten av dette på sikt?", "Hva drømmer vi om?"),
        responsible_roles=("Ordfører", "Rådmann"),
        ladder_level=1,
        checklist=("Hver gruppe har prioritert 1–3 konkrete tiltak",
                   "Ordfører eller rådmann har oppsummert og fortalt om veien videre", WATCH_OUTS[0], WATCH_OUTS[2]),
    ),
    PhaseTemplate(
        key="planlegge",
        name="Planlegge",
        desired_result=("Sammenstilt innsikt i egen kommunes situasjon, og overordnet prosessplan frem mot "
                        "etablering og realisering."),
        suggested_measures=("Rådmannen peker ut en person som har ansvar for å gjennomføre og koordinere",
                            "Planlegg hva som skal skje etter et eventuelt positivt kommunestyrevedtak",
                            "Lag en interessentanalyse"),
        key_questions=(
            "Har innsikt i egen kommunes situasjon gitt kommunens ledelse grunnlag for å ta fatt på et utviklingsarbeid?",
            "Hva trenger vi å vite mer om for å lage et godt beslutningsgrunnlag for politikere?",
            "Har vi behov for å vite mer om næringslivet sitt ståsted og deres behov for arbeidskraft?",
            "Finnes det allerede planlagte eller igangsatte prosesser dette arbeidet bør kobles på?",
            "Hvem må vi ha med på laget – før politisk behandling og for å iverksette et positivt vedtak?",
            "Skal vi ansette folk eller omprioritere ressurser vi allerede har?",
            "Er det behov for å etablere en helt ny tjeneste, eller bør vi se på innholdet i eksisterende tjenester?",
            "Hva er realistisk fremdriftsplan?",
            "Hva bør politikerne få mene noe om, og hva kan administrasjonen planlegge og sette i gang?",
            "Hvilke aktiviteter kan foreslås allerede nå?",
        ),
        responsible_roles=("Rådmann",),
        ladder_level=2,
        checklist=(WATCH_OUTS[1],),
    ),
    PhaseTemplate(
        key="behandling",
        name="Politisk og administrativ behandling",
        desired_result=("Konsensus og vilje – enstemmig kommunestyrevedtak om å sette i gang; personalressurs i "
                        "kommuneorganisasjonen; prosjektplan."),
        suggested_measures=(
            "Avklar de interne ressursene til saksforberedelse og oppfølging av vedtaket",
            "Organisering med forslag til bredt sammensatt styringsgruppe",
            "Forslag til prosjektplan",
            "Kostnader og finansieringsmuligheter (lønn og drift)",
            "Forankring i kommuneplanens samfunnsdel heller enn mange temaplaner",
        ),
        key_questions=("Er saken så godt utredet at diskusjonen handler om prioriteringer og hvordan, ikke om vi skal?",
                       "Trenger vi samarbeid med nabokommuner, regionråd eller fylkeskommune?"),
        responsible_roles=("Rådmann", "Kommunestyret"),
        ladder_level=5,
        checklist=("Kommunestyrevedtaket er registrert med dato og saksnummer",),
    ),
    PhaseTemplate(
        key="utvikle",
        name="Utvikle og organisere",
        desired_result=("Gjennomført dialog med næringsliv og frivillighet, og gjennomført folkevalgtopplæring. "
                        "Overordnet ønsket resultat er formulert tidlig og justert underveis."),
        suggested_measures=("Dialog med næringsliv og frivillighet", "Folkevalgtopplæring om inkludering av tilflyttere",
                            "Kobling til eksisterende eller rullering av planverket"),
        key_questions=(
            "Hvilke delmål har vi nådd?",
            "Hvem er involvert og hvilke prosesser har vi gjennomført?",
            "Hvilke prioriteringer har kommunens administrative og politiske ledelse gjort?",
            "Hva ønsker vi at de som har vært involvert forteller når vi har etablert en ny tjeneste?",
            "Hvilke nye relasjoner er dannet internt og med næringsliv, frivillighet og samfunn for øvrig?",
        ),
        responsible_roles=("Rådmann",),
        ladder_level=3,
        checklist=(WATCH_OUTS[0],),
    ),
    PhaseTemplate(
        key="kontrakt",
        name="Kontrakt med næringsliv, frivillighet og innbyggere",
        desired_result=("Opplevd felles ansvar for inkludering av tilflyttere hos næringsliv og frivillighet. "
                        "En inkluderende kultur."),
        suggested_measures=("Dialog med næringsliv og frivillighet", "Gjennomført folkevalgtopplæring",
                            "Bruk ulike måter å involvere på – folk er på ulike arenaer",
                            "Vær bevisst rollemodellfunksjonen til nøkkelpersoner"),
        key_questions=("Hvem treffer vi ikke ennå, og hvor er de?",
                       "Hvordan snakker nøkkelpersoner om tilflyttere?"),
        responsible_roles=("Tilflytterkoordinator", "Næringsliv", "Frivillighet"),
        ladder_level=3,
        checklist=(WATCH_OUTS[0], WATCH_OUTS[2]),
    ),
    PhaseTemplate(
        key="etablere",
        name="Etablere og realisere",
        desired_result=("Tilflyttertjenesten er etablert og en del av hele kommunens arbeid, med avtaler internt, "
                        "med frivilligheten og med næringslivet."),
        suggested_measures=("Ansett en koordinator, eller gi en eksisterende stilling nytt innhold",
                            "Avtaler internt i kommunen, med frivilligheten og med næringslivet",
                            "Kobling til kommuneplanens samfunnsdel og strategisk næringsplan",
                            "Samarbeid med nabokommuner, region og fylke"),
        key_questions=("Er vi tett nok på rådmannen og de andre tjenesteområdene?",
                       "Hvordan forankrer vi arbeidet tilbake til alle som har vært med?"),
        responsible_roles=("Rådmann", "Tilflytterkoordinator"),
        ladder_level=4,
        checklist=(WATCH_OUTS[1],),
    ),
)

TEMPLATE = ProcessTemplate(
    key=TEMPLATE_KEY,
    name="Etablere en tilflyttertjeneste",
    description=("Distriktssenterets seks faser for å rigge en tilflyttertjeneste (Namsskogan, Åre-modellen): "
                 "fra innsikt i kommunens situasjon til en etablert tjeneste med avtaler."),
    phases=PHASES,
)


# --- the insight workshop ----------------------------------------------------------------------------


def process_or_none(process_id: Any) -> Process | None:
    if not isinstance(process_id, int):
        return None
    process = db.session.scalar(select(Process).where(Process.id == process_id))
    return process if process is not None and process.template_key == TEMPLATE_KEY else None


def measures(process: Process) -> list[WorkshopMeasure]:
    return list(db.session.scalars(select(WorkshopMeasure).where(WorkshopMeasure.process_id == process.id)
                                   .order_by(WorkshopMeasure.group_name, WorkshopMeasure.priority)))


def add_measure(process: Process, data: dict[str, Any]) -> WorkshopMeasure:
    group = clean(data.get("group_name"))
    text = clean(data.get("text"))
    if not group:
        raise Refusal(_("Name the group, like “Group 1” or the table host's name."), "group_name")
    if not text:
        raise Refusal(_("Write the measure the group prioritised."), "text")
    if len(text) > 300:
        raise Refusal(_("Keep the measure short: at most 300 characters."), "text")
    taken = set(db.session.scalars(select(WorkshopMeasure.priority).where(
        WorkshopMeasure.process_id == process.id, WorkshopMeasure.group_name == group)))
    free = [p for p in (1, 2, 3) if p not in taken]
    if not free:
        raise Refusal(_("Each group prioritises at most three measures; this group has three."), "text", status=409)
    measure = WorkshopMeasure(process_id=process.id, group_name=group[:80], table_host=clean(data.get("table_host")),
                              priority=free[0], text=text)
    db.session.add(measure)
    db.session.flush()
    record("newcomers.measure_added", measure, process_id=process.id)
    return measure


def vote_ref(process: Process) -> str:
    return f"newcomers:insight:{process.id}"


def plenary_poll(process: Process):
    polls = voting.polls_of(process_id=process.id, source_ref=vote_ref(process))
    return polls[0] if polls else None


def start_plenary_vote(process: Process, user: User | None):
    """The plenary's dot vote on every group's measures (a core poll, two dots each)."""
    if plenary_poll(process) is not None:
        raise Refusal(_("The plenary vote is already made."), status=409)
    chosen = measures(process)
    if len(chosen) < 2:
        raise Refusal(_("Record at least two measures before the plenary votes."), "text", status=409)
    poll = voting.create_poll(process, title=QUESTION_ACT, method="dot", options=[
        f"{m.text} ({m.group_name})" for m in chosen], user=user, source_ref=vote_ref(process),
        description=_("Which measures shall we pursue? Two dots each."))
    record("newcomers.plenary_vote", process, poll_id=poll.id)
    return poll


# --- the council decision and the agreements ---------------------------------------------------------


def decisions(process: Process) -> list[CouncilDecision]:
    return list(db.session.scalars(select(CouncilDecision).where(CouncilDecision.process_id == process.id)
                                   .order_by(CouncilDecision.decided_on)))


def _day(value: Any, field: str, message: str) -> date | None:
    if isinstance(value, date) or value in (None, ""):
        return value or None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise Refusal(message, field) from None


def record_decision(process: Process, data: dict[str, Any]) -> CouncilDecision:
    decided_on = _day(data.get("decided_on"), "decided_on", _("Write the date of the decision like 2026-03-12."))
    if decided_on is None:
        raise Refusal(_("Write the date of the decision."), "decided_on")
    case_number = clean(data.get("case_number"))
    if not case_number:
        raise Refusal(_("Write the case number, like 23/45 or PS 12/24."), "case_number")
    if any(d.case_number == case_number for d in decisions(process)):
        raise Refusal(_("A decision with this case number is already recorded."), "case_number", status=409)
    decision = CouncilDecision(process_id=process.id, decided_on=decided_on, case_number=case_number[:40],
                               text=clean(data.get("text")), unanimous=bool(data.get("unanimous")))
    db.session.add(decision)
    db.session.flush()
    record("newcomers.council_decision", decision, process_id=process.id, case_number=case_number)
    return decision


def agreements(process: Process) -> list[Agreement]:
    return list(db.session.scalars(select(Agreement).where(Agreement.process_id == process.id)
                                   .order_by(Agreement.kind, Agreement.renews_on, Agreement.party)))


def volunteer_organisations() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Participant.id, Participant.name).where(Participant.category == "volunteer")
                              .order_by(Participant.name)).all()
    return [(row.id, row.name) for row in rows]


def add_agreement(process: Process, data: dict[str, Any]) -> Agreement:
    kind = data.get("kind")
    if kind not in AGREEMENT_KINDS:
        raise Refusal(_("Choose who the agreement is with."), "kind")
    participant_id = data.get("participant_id")
    try:
        participant_id = int(participant_id) if participant_id not in (None, "") else None
    except (TypeError, ValueError):
        participant_id = -1
    party = clean(data.get("party"))
    if participant_id is not None:
        names = dict(volunteer_organisations())
        if participant_id not in names:
            raise Refusal(_("Choose a volunteer organisation from the participant register."), "participant_id")
        party = party or names[participant_id]
    if not party:
        raise Refusal(_("Write who the agreement is with."), "party")
    owner = clean(data.get("owner"))
    if not owner:
        raise Refusal(_("Write who owns the agreement in the municipality."), "owner")
    renews_on = _day(data.get("renews_on"), "renews_on", _("Write the renewal date like 2027-06-30."))
    agreement = Agreement(process_id=process.id, kind=kind, party=party[:200], participant_id=participant_id,
                          what=clean(data.get("what")), owner=owner[:200], renews_on=renews_on)
    db.session.add(agreement)
    db.session.flush()
    record("newcomers.agreement", agreement, process_id=process.id)
    return agreement
