"""A person's data export includes what the workshops hold on them (GDPR art. 15)."""

from tests.plugins.workshops.workshops_support import FACILITATORS, build_room, english  # noqa: F401 (a fixture)


def test_the_export_of_a_participant_lists_their_invitations_seats_and_tables(app, english, world):
    made = build_room(app, world)
    coordinator = english("alpha_coordinator")
    coordinator.post(f"/alpha/workshops/{made.first}/place")
    admin = english("alpha_admin")
    guest = admin.get(f"/alpha/participants/{made.people['Bodil Bedrift']}/export.json").get_json()
    attendance = guest["workshops"]["invitations_and_attendance"]
    assert [(a["workshop"], a["answer"]) for a in attendance] == [("Integrering 2026, workshop 1", "yes")]
    assert sorted(s["round"] for s in guest["workshops"]["seats"]) == [0, 1, 2]
    assert {s["table"] for s in guest["workshops"]["seats"]} == {"Bord 1", "Bord 2", "Bord 3"}
    host = admin.get(f"/alpha/participants/{made.people[FACILITATORS[0][0]]}/export.json").get_json()
    assert host["workshops"]["tables_hosted"] == [{"workshop": "Integrering 2026, workshop 1", "table": "Bord 1"}]
    assert "seats" not in host["workshops"] or host["workshops"]["seats"] == []
