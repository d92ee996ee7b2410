"""The candidate's own data (GDPR art. 15) through the personal_data hook and the record's
download — itself a logged read —, retention by a nightly job that anonymises, and a plugin that
imports only the core's public surface."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from dugnad.sdk import AuditEvent, Participant, db, today
from dugnad_recruitment import candidates, retention
from dugnad_recruitment.models import Candidate, CandidateSensitive, StageChange
from tests.plugins.recruitment.recruitment_support import add_candidate, in_tenant, pilot  # noqa: F401

PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "dugnad_recruitment"


def test_the_person_s_export_holds_what_recruitment_keeps_and_logs_the_read(app, world, pilot, client_as):
    with in_tenant(app, pilot.tenant_id):
        person = Participant(name="Amina Hassan", category="target_group", legal_basis="consent", consent_at=date(2026, 1, 1))
        db.session.add(person)
        db.session.commit()
        person_id = person.id
    amina = add_candidate(pilot, opening="kitchen", participant_id=person_id, sensitive={"health": "Asthma"})
    with in_tenant(app, pilot.tenant_id):
        from dugnad_recruitment.privacy import export_for_participant

        data = export_for_participant(db.session.get(Participant, person_id))["recruitment"][0]
        db.session.commit()
    assert data["name"] == "Amina Hassan" and data["sensitive"]["health"] == "Asthma"
    assert data["placements"][0]["unit"] == "Lønnås sykehjem" and [s["to"] for s in data["stages"]] == ["mapping"]
    download = client_as("recruiter").get(f"/alpha/recruitment/candidates/{amina}/export")
    assert download.status_code == 200 and download.json["sensitive"]["health"] == "Asthma"
    assert {"who": "Rakel Rekrutterer", "what": "sensitive", "why": "data export"}.items() <= download.json["reads"][0].items()
    with in_tenant(app, pilot.tenant_id):
        purposes = db.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "recruitment.candidate.read_sensitive")).all()
    assert [p["purpose"] for p in purposes] == ["data export", "data export"]


def test_retention_anonymises_a_candidate_long_after_the_track_ended(app, world, pilot):
    old = add_candidate(pilot, "Old Candidate", sensitive={"criminal_record": "2019"})
    recent = add_candidate(pilot, "Recent Candidate")
    with in_tenant(app, pilot.tenant_id):
        for candidate_id, ended in ((old, today() - timedelta(days=40 * 30)), (recent, today() - timedelta(days=30))):
            candidate = db.session.get(Candidate, candidate_id)
            candidate.stage_since = ended
            candidates.change_stage(candidate, "ended", ended, "Moved away")
        db.session.commit()
        assert retention.enforce_retention() == {"anonymised": 1}
        assert retention.enforce_retention() == {"anonymised": 0}
        gone = db.session.get(Candidate, old)
        assert gone.name == f"#{old}" and gone.anonymised_at is not None
        assert db.session.scalar(select(CandidateSensitive).where(CandidateSensitive.candidate_id == old)) is None
        assert [c.reason for c in db.session.scalars(select(StageChange).where(StageChange.candidate_id == old))] == [None, None]
        assert db.session.get(Candidate, recent).name == "Recent Candidate"


def test_the_plugin_imports_only_the_core_s_public_surface():
    offenders = []
    for path in PLUGIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                if name.startswith("dugnad.") and name != "dugnad.sdk" or name.startswith("dugnad_") and \
                        not name.startswith("dugnad_recruitment"):
                    offenders.append(f"{path.relative_to(PLUGIN)}: {name}")
    assert offenders == []
