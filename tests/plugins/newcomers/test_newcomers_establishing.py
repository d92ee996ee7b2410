"""Establishing the service (seed 000): the template's six phases with all their fields
and the watch-outs, taken out of order and back; the insight workshop's figures, the
groups' measures and the plenary's dot vote; the council decision and the agreements."""

from __future__ import annotations

from sqlalchemy import select

from dugnad.sdk import Participant, Phase, User, db, processes
from dugnad_newcomers import establishing
from dugnad_newcomers.models import Agreement, CouncilDecision, WorkshopMeasure
from tests.plugins.newcomers.newcomers_support import in_tenant


def _start(app, world) -> int:
    with in_tenant(app, world.tenants["alpha"]):
        process = processes.start_process("newcomers", "Tilflyttertjeneste", db.session.get(User, world.users["alpha_admin"]))
        db.session.commit()
        return process.id


def test_the_template_has_the_six_phases_of_seed_000_with_all_their_fields(app, world):
    assert [p.name for p in establishing.PHASES] == [
        "Innsikt i kommunens situasjon", "Planlegge", "Politisk og administrativ behandling", "Utvikle og organisere",
        "Kontrakt med næringsliv, frivillighet og innbyggere", "Etablere og realisere"]
    for phase in establishing.PHASES:
        assert phase.desired_result and phase.suggested_measures and phase.key_questions and phase.responsible_roles
        assert phase.checklist and all(len(item) > 20 for item in phase.checklist)  # whole sentences, not letters
    first = establishing.PHASES[0]
    assert first.responsible_roles == ("Ordfører", "Rådmann") and first.ladder_level == 1
    assert establishing.QUESTION_HEARD in first.key_questions and establishing.QUESTION_ACT in first.key_questions
    assert len(establishing.PHASES[1].key_questions) == 10  # the seed's ten key questions of phase 2
    watch_outs = [item for phase in establishing.PHASES for item in phase.checklist if item.startswith("Vær obs")]
    assert any("Hva med oss da?" in w for w in watch_outs) and any("skifte av ordfører eller rådmann" in w for w in watch_outs)
    assert any("aldrende befolkning" in w for w in watch_outs)
    process_id = _start(app, world)
    with in_tenant(app, world.tenants["alpha"]):
        phases = db.session.scalars(select(Phase).where(Phase.process_id == process_id).order_by(Phase.position)).all()
        assert len(phases) == 6 and phases[0].ladder_level == 1 and phases[2].ladder_level == 5
        process = processes.get_process(process_id)
        # out of order (to phase 4), and back (to phase 2), each with a reason
        processes.move_to(process, phases[3].id, "Vedtaket kom før planen var ferdig", None)
        processes.move_to(process, phases[1].id, "Tilbake til planleggingen etter ordførerskifte", None)
        db.session.commit()
        assert process.current_phase_id == phases[1].id


def test_the_insight_workshop_page_measures_and_plenary_vote(app, world, client_as):
    process_id = _start(app, world)
    admin = client_as("alpha_admin")
    page = admin.get(f"/alpha/newcomers/processes/{process_id}/insight")
    assert page.status_code == 200 and establishing.QUESTION_ACT in page.text
    for group, text in (("Gruppe 1", "Fadderordning for nye familier"), ("Gruppe 1", "Jobb til partner"),
                        ("Gruppe 2", "Velkomstmøte hver høst")):
        assert admin.post(f"/alpha/newcomers/processes/{process_id}/insight",
                          data={"group_name": group, "table_host": "Kari", "text": text}).status_code == 302
    empty = admin.post(f"/alpha/newcomers/processes/{process_id}/insight", data={"group_name": "Gruppe 2", "text": ""})
    assert empty.status_code == 422 and 'value="Gruppe 2"' in empty.text
    for text in ("Tre", "Fire"):
        admin.post(f"/alpha/newcomers/processes/{process_id}/insight", data={"group_name": "Gruppe 3", "text": text})
    admin.post(f"/alpha/newcomers/processes/{process_id}/insight", data={"group_name": "Gruppe 3", "text": "Fem"})
    fourth = admin.post(f"/alpha/newcomers/processes/{process_id}/insight", data={"group_name": "Gruppe 3", "text": "Seks"})
    assert fourth.status_code == 422 and "three" in fourth.text.lower() or "tre" in fourth.text.lower()
    vote = admin.post(f"/alpha/newcomers/processes/{process_id}/insight/vote", data={})
    assert vote.status_code == 302 and "/alpha/votes/" in vote.location or "/polls/" in vote.location
    with in_tenant(app, world.tenants["alpha"]):
        process = processes.get_process(process_id)
        poll = establishing.plenary_poll(process)
        assert poll.method == "dot"
        from dugnad.sdk import voting

        assert len(voting.options_of(poll)) == 6
        assert db.session.scalar(select(WorkshopMeasure).where(WorkshopMeasure.text == "Jobb til partner")).priority == 2
    again = admin.post(f"/alpha/newcomers/processes/{process_id}/insight/vote", data={})
    assert again.status_code == 409


def test_the_council_decision_and_agreements(app, world, client_as):
    process_id = _start(app, world)
    with in_tenant(app, world.tenants["alpha"]):
        organisation = Participant(kind="organisation", name="Frivilligsentralen", category="volunteer",
                                   legal_basis="legitimate_interest")
        db.session.add(organisation)
        db.session.commit()
        organisation_id = organisation.id
    admin = client_as("alpha_admin")
    url = f"/alpha/newcomers/processes/{process_id}/agreements"
    assert admin.get(url).status_code == 200
    no_case = admin.post(url, data={"form": "decision", "decided_on": "2026-03-12", "case_number": ""})
    assert no_case.status_code == 422 and 'value="2026-03-12"' in no_case.text
    assert admin.post(url, data={"form": "decision", "decided_on": "2026-03-12", "case_number": "PS 12/26",
                                 "unanimous": "y", "text": "Kommunestyret vedtar å etablere en tilflyttertjeneste."}
                      ).status_code == 302
    assert admin.post(url, data={"form": "agreement", "kind": "volunteers", "participant_id": organisation_id,
                                 "owner": "Tilflytterkoordinatoren", "renews_on": "2027-06-30",
                                 "what": "Fadderordning"}).status_code == 302
    no_owner = admin.post(url, data={"form": "agreement", "kind": "employer", "party": "Sagbruket AS"})
    assert no_owner.status_code == 422
    with in_tenant(app, world.tenants["alpha"]):
        decision = db.session.scalar(select(CouncilDecision))
        assert decision.case_number == "PS 12/26" and decision.unanimous and decision.decided_on.isoformat() == "2026-03-12"
        agreement = db.session.scalar(select(Agreement))
        assert agreement.party == "Frivilligsentralen" and agreement.renews_on.isoformat() == "2027-06-30"
    page = admin.get(url).text
    assert "PS 12/26" in page and "Frivilligsentralen" in page


def test_other_processes_have_no_newcomer_pages(app, world, client_as):
    with in_tenant(app, world.tenants["alpha"]):
        process = processes.start_process("blt", "BLT", None)
        db.session.commit()
        process_id = process.id
    assert client_as("alpha_admin").get(f"/alpha/newcomers/processes/{process_id}/insight").status_code == 404


def _in_language(client, lang):
    with client.session_transaction() as session:
        session["lang"] = lang
    return client


def _import_ten_years(app):
    from pathlib import Path

    from dugnad.benchmarking import ssb

    data = Path(__file__).resolve().parents[2] / "core" / "data" / "ssb"
    with app.app_context():
        ssb.import_table("09588", {"3403": "Alfa", "3905": "Beta"}, (data / "09588-flows.json").read_bytes(), years=10)
        ssb.import_table("07459", {"3403": "Alfa", "3905": "Beta"}, (data / "07459-ten-years.json").read_bytes(),
                         years=10)
        db.session.commit()


def test_the_insight_workshop_shows_ten_years_of_flows_and_population_as_charts_and_a_table(app, world, client_as):
    """Many are surprised how many move in — and out: ten years of 09588's flows and 07459's
    population, charts drawn on the server, every figure also in the table, named in the
    reader's language."""
    process_id = _start(app, world)
    _import_ten_years(app)
    admin = _in_language(client_as("alpha_admin"), "en")
    page = admin.get(f"/alpha/newcomers/processes/{process_id}/insight")
    assert page.status_code == 200
    html = page.text
    for name in ("Moved in from elsewhere in Norway", "Moved out to elsewhere in Norway", "Net domestic migration",
                 "Net immigration", "Population 1 January"):
        assert f'<th scope="col">{name}</th>' in html
    assert html.count("<svg viewBox") == 3  # moved in and out; the net flows; population
    body = html[html.index("<tbody>", html.index("Migration and population year by year")):]
    rows = body[:body.index("</tbody>")].count("<tr>")
    assert rows == 10 and '<th scope="row">2016</th>' in body and '<th scope="row">2025</th>' in body
    # Hamar 2016: 1 990 in, 1 768 out, net 222, net immigration 215, population 30 038
    assert "<td class=\"text-end\">1 990</td><td class=\"text-end\">1 768</td><td class=\"text-end\">222</td>" in body
    assert "30 038" in body and "These are the demo's figures" not in html  # imported, not the demo's
    nynorsk = _in_language(admin, "nn").get(f"/alpha/newcomers/processes/{process_id}/insight").text
    assert '<th scope="col">Flytte inn frå andre stader i Noreg</th>' in nynorsk and "Folketal 1. januar" in nynorsk


def test_the_insight_workshop_says_when_its_figures_are_the_demo_s(app, world, client_as):
    process_id = _start(app, world)
    from dugnad.benchmarking import ssb
    from dugnad.benchmarking.demo import DATA

    with app.app_context():
        ssb.import_table("09588", {"3403": "Alfa"}, (DATA / "09588-demo.json").read_bytes(), years=10)
        db.session.commit()
    page = _in_language(client_as("alpha_admin"), "en").get(f"/alpha/newcomers/processes/{process_id}/insight").text
    assert "These are the demo's figures" in page and "2016–2025" in page
