"""The workshop plugin's objects for the isolation test (tests/core/test_isolation.py):
one of each, in municipality beta."""

from __future__ import annotations

from datetime import timedelta
from dugnad.clock import today as oslo_today

ARGUMENTS = ("workshop_id", "theme_id", "table_id", "attendance_id", "need_id", "solution_id", "homework_id",
             "pilot_id", "round_id", "rsvp_token", "homework_token")
SECRETS = (b"Beta workshop series", b"Beta needs a bus", b"Beta bus idea", b"Beta homework question",
           b"Beta pilot", b"Beta table")


def beta_series() -> dict[str, int | str]:
    """A workshop series with every kind of object in it (called in beta's context)."""
    from dugnad.extensions import db
    from dugnad.participants.models import Participant
    from dugnad_workshops import homework, invitations, links, pilots, room, series, tablework

    process = series.start("Beta workshop series", None)
    theme = series.add_theme(process, "participation", "How can Beta get a bus to the reception centre?")
    first = series.workshops_of(process)[0]
    host = Participant(name="Bente Bordvert", category="municipality", email="bente@beta.test", legal_basis="public_task")
    guest = Participant(name="Gunnar Gjest", category="business", email="gunnar@beta.test", legal_basis="legitimate_interest")
    db.session.add_all([host, guest])
    db.session.flush()
    table = room.add_table(first, name="Beta table", theme_id=theme.id, facilitator_id=host.id, seats=8)
    invitations.add(first, [guest.id])
    attendance = invitations.attendance_of(first)[0]
    need = tablework.add_need(first, table, "Beta needs a bus", None)
    solution = tablework.add_solution(first, table, {"need_id": need.id, "title": "Beta bus idea",
                                                     "measure": "A volunteer bus"}, None)
    tablework.send_to_plenary(first, solution)
    tablework.choose([solution], {solution.id})
    item = homework.assign(solution, guest.id, ["Beta homework question?"], oslo_today() + timedelta(days=5))
    pilot = pilots.create(solution, {"title": "Beta pilot", "owner_id": guest.id, "starts_on": oslo_today(),
                                     "first_activity": "Ask the bus company"})
    round_ = pilots.add_round(pilot, {"started_on": oslo_today(), "tested": "One trip a week"})
    db.session.flush()
    return {
        "process_id": process.id, "workshop_id": first.id, "theme_id": theme.id, "table_id": table.id,
        "attendance_id": attendance.id, "need_id": need.id, "solution_id": solution.id, "homework_id": item.id,
        "pilot_id": pilot.id, "round_id": round_.id,
        "rsvp_token": links.make(links.ANSWER, attendance.id),
        "homework_token": links.make(links.HOMEWORK, item.id),
    }


def beta_objects() -> dict[str, int | str]:
    made = beta_series()
    return {name: made[name] for name in ARGUMENTS}
