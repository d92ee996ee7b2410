"""Planning the room: tables with a theme and a facilitator, people placed so every table mixes
the categories, rotations to tables not sat at, the door (no-shows and late arrivals, a
re-balance in one click), the rounds, and the printables."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from dugnad.extensions import db
from dugnad_workshops import room
from dugnad.participants.models import Participant
from dugnad_workshops.models import Attendance, Placement, Workshop, WorkshopTable
from tests.plugins.workshops.workshops_support import FACILITATORS, GUESTS, build_room, english, in_tenant, person, text  # noqa: F401


def rounds(app, made):
    return in_tenant(app, made.tenant_id, lambda: room.stored_rounds(db.session.get(Workshop, made.first)))


def test_people_are_placed_mixed_and_rotate_to_tables_they_have_not_sat_at(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    response = client.post(f"/alpha/workshops/{made.first}/place", follow_redirects=True)
    assert "12 people are placed for 3 rounds." in text(response)
    plan = rounds(app, made)
    assert len(plan) == 3
    category = dict(GUESTS)
    names = {v: k for k, v in made.people.items()}
    for assignment in plan:
        assert len(assignment) == len(GUESTS)
        assert not {made.people[name] for name, _c in FACILITATORS} & set(assignment)  # facilitators are never placed
        assert set(Counter(assignment.values()).values()) == {4}
        for cat in set(category.values()):
            counts = Counter(t for p, t in assignment.items() if category[names[p]] == cat)
            assert max(counts.get(t, 0) for t in made.tables) - min(counts.get(t, 0) for t in made.tables) <= 1
    for guest, _c in GUESTS:
        assert len({assignment[made.people[guest]] for assignment in plan}) == 3  # three rounds, three tables
    page = text(client.get(f"/alpha/workshops/{made.first}/room"))
    assert "First sitting" in page and "Rotation 2" in page and "Bodil Bedrift" in page


def test_more_people_than_seats_is_refused_and_nothing_is_placed(app, english, world):
    made = build_room(app, world, tables=1)
    response = english("alpha_coordinator").post(f"/alpha/workshops/{made.first}/place")
    assert response.status_code == 422
    assert "There are 12 people in the room and only 8 seats" in text(response)
    assert in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(func.count()).select_from(Placement))) == 0


def test_a_table_without_a_facilitator_is_refused(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    assert client.post(f"/alpha/workshops/{made.first}/tables", data={"name": "Bord 4", "seats": "8", "theme_id": "",
                                                                       "facilitator_id": ""}).status_code == 302
    response = client.post(f"/alpha/workshops/{made.first}/place")
    assert response.status_code == 422 and "“Bord 4” has no facilitator" in text(response)
    assert in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(func.count()).select_from(Placement))) == 0


def test_a_facilitator_stays_at_one_table_and_bad_tables_keep_what_was_typed(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    response = client.post(f"/alpha/workshops/{made.first}/tables", data={
        "name": "Ekstra", "seats": "6", "theme_id": str(made.themes[0]), "facilitator_id": str(made.people["Frida Fasilitator"])})
    assert response.status_code == 422 and "They already facilitate “Bord 1”" in text(response)
    assert 'value="Ekstra"' in text(response)
    response = client.post(f"/alpha/workshops/{made.first}/tables", data={"name": "", "seats": "6"})
    assert response.status_code == 422 and "Give the table a name" in text(response)
    response = client.post(f"/alpha/workshops/{made.first}/tables", data={"name": "Stort", "seats": "99"})
    assert response.status_code == 422
    assert in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(func.count()).select_from(WorkshopTable))) == 3


def test_no_shows_and_late_arrivals_re_balance_in_one_click_keeping_seats(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/place")
    before = rounds(app, made)
    attendance = in_tenant(app, made.tenant_id, lambda: dict(db.session.execute(
        select(Attendance.participant_id, Attendance.id)).all()))
    for name in ("Bodil Bedrift", "Yonas Flyktning"):
        client.post(f"/alpha/workshops/{made.first}/checkin/{attendance[made.people[name]]}", data={"presence": "absent"})
    late = in_tenant(app, made.tenant_id, lambda: (db.session.add(p := person("Lars Lokal", "business")),
                                                   db.session.commit(), p.id)[2])
    assert client.post(f"/alpha/workshops/{made.first}/checkin/late", data={"participant_id": late}).status_code == 302
    page = text(client.get(f"/alpha/workshops/{made.first}/checkin"))
    assert "1 without a seat, 2 seats to free." in page
    response = client.post(f"/alpha/workshops/{made.first}/place", data={"back": "checkin"}, follow_redirects=True)
    assert "11 people are placed for 3 rounds." in text(response)
    after = rounds(app, made)
    for assignment in after:
        assert late in assignment and made.people["Bodil Bedrift"] not in assignment
        assert max(Counter(assignment.values()).values()) <= 8
    kept = sum(1 for r in range(3) for p, t in before[r].items() if after[r].get(p) == t)
    assert kept >= 3 * 10 - 6  # most people keep the seats on their schedule


def test_rounds_held_are_never_re_placed(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/place")
    client.post(f"/alpha/workshops/{made.first}/round", data={"step": "start"})
    client.post(f"/alpha/workshops/{made.first}/round", data={"step": "next"})
    before = rounds(app, made)
    absent = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Attendance).where(
        Attendance.participant_id == made.people["Kari Kommune"])))
    client.post(f"/alpha/workshops/{made.first}/checkin/{absent.id}", data={"presence": "absent"})
    response = client.post(f"/alpha/workshops/{made.first}/place", data={"back": "checkin"}, follow_redirects=True)
    assert "Re-balanced from round 2" in text(response)  # the round now being sat takes the change
    after = rounds(app, made)
    assert after[0] == before[0] and made.people["Kari Kommune"] in after[0]
    assert made.people["Kari Kommune"] not in after[1] and made.people["Kari Kommune"] not in after[2]


def test_the_rounds_run_from_start_to_close(app, english, world):
    made = build_room(app, world, rotations=1)
    client = english("alpha_coordinator")
    response = client.post(f"/alpha/workshops/{made.first}/round", data={"step": "start"}, follow_redirects=True)
    assert "Place people at the tables first." in text(response)
    client.post(f"/alpha/workshops/{made.first}/place")
    assert client.post(f"/alpha/workshops/{made.first}/round", data={"step": "start"}).status_code == 302
    assert client.post(f"/alpha/workshops/{made.first}/round", data={"step": "next"}).status_code == 302
    response = client.post(f"/alpha/workshops/{made.first}/round", data={"step": "next"})
    assert response.status_code == 422 and "This is the last round" in text(response)
    assert client.post(f"/alpha/workshops/{made.first}/round", data={"step": "finish"}).status_code == 302
    workshop = in_tenant(app, made.tenant_id, lambda: db.session.get(Workshop, made.first))
    assert workshop.status == "held" and workshop.held_at is not None
    response = client.post(f"/alpha/workshops/{made.first}/place")
    assert response.status_code == 422 and "kept as it was" in text(response)


def test_a_facilitator_checks_people_in_with_htmx(app, client_as, world):
    made = build_room(app, world)
    from dugnad.accounts.models import Membership
    from dugnad.tenancy import tenant_context

    with app.app_context(), tenant_context(made.tenant_id):
        db.session.get(Membership, world.memberships["alpha_member@alpha"]).role = "facilitator"
        db.session.commit()
    client = client_as("alpha_member")
    attendance_id = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Attendance.id)))
    response = client.post(f"/alpha/workshops/{made.first}/checkin/{attendance_id}", data={"presence": "present"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="attendance-{attendance_id}"' in text(response) and "<html" not in text(response)
    assert in_tenant(app, made.tenant_id, lambda: db.session.get(Attendance, attendance_id).presence) == "present"
    assert client.get(f"/alpha/workshops/{made.first}/room").status_code == 403  # planning the room is the coordinator's


def test_table_cards_and_personal_schedules_print_who_sits_where(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/place")
    cards = text(client.get(f"/alpha/workshops/{made.first}/cards"))
    assert cards.count('class="print-card"') == 3 * 3
    assert "Facilitator: Frida Fasilitator" in cards and "Hvordan kan flyktninger gis bedre mulighet til sysselsetting?" in cards
    assert "Target group" not in cards  # nobody is labelled on a card
    schedules = text(client.get(f"/alpha/workshops/{made.first}/schedules"))
    assert schedules.count('class="print-card"') == len(GUESTS)
    assert "Rotation 2:" in schedules


def test_tables_copy_from_workshop_1_and_a_table_with_work_stays(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    assert client.post(f"/alpha/workshops/{made.second}/tables/copy").status_code == 302
    names = in_tenant(app, made.tenant_id, lambda: db.session.scalars(select(WorkshopTable.name).where(
        WorkshopTable.workshop_id == made.second).order_by(WorkshopTable.position)).all())
    assert names == ["Bord 1", "Bord 2", "Bord 3"]
    client.post(f"/alpha/workshops/{made.first}/tables/{made.tables[0]}/needs", data={"text": "Vi trenger flere boliger"})
    response = client.post(f"/alpha/workshops/{made.first}/tables/{made.tables[0]}/remove", follow_redirects=True)
    assert "has needs and ideas recorded" in text(response)
    assert client.post(f"/alpha/workshops/{made.first}/tables/{made.tables[2]}/remove").status_code == 302


def test_the_room_page_costs_the_same_queries_for_a_small_and_a_big_room(app, english, world, queries):
    small = build_room(app, world, guests=GUESTS[:4])
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{small.first}/place")
    queries.statements.clear()
    client.get(f"/alpha/workshops/{small.first}/room")
    few = queries.count

    def grow():
        for i in range(40):
            participant = person(f"Gjest Nummer{i}", ("business", "volunteer", "target_group")[i % 3])
            db.session.add(participant)
            db.session.flush()
            db.session.add(Attendance(workshop_id=small.first, participant_id=participant.id, response="yes"))
        for table_id in small.tables:
            db.session.get(WorkshopTable, table_id).seats = 20
        db.session.commit()

    in_tenant(app, small.tenant_id, grow)
    client.post(f"/alpha/workshops/{small.first}/place")
    queries.statements.clear()
    client.get(f"/alpha/workshops/{small.first}/room")
    assert queries.count == few


# The room page's own statements when it is rendered (PostgreSQL's per-transaction tenant setting
# not counted, as in tests/core/test_query_counts.py): the workshop, its process, the tables with
# their facilitators' names (one statement, plain rows), who is in the room (people joined, one
# statement), the seats, the seated people's
# names, the other workshop of the series, the themes (once, for the table list and the form), the
# register for the facilitator choice, and what every page costs (the menu; the login is kept under the
# ``logins`` stamp). Unchanged, the page is then kept for its reader (``same_for_person``): no statement.
ROOM_PAGE_STATEMENTS = 10
ROOM_PAGE_KEPT_STATEMENTS = 0


def test_the_room_page_statement_count_is_pinned(app, english, world, queries):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/place")
    client.get(f"/alpha/workshops/{made.first}/room")  # shows "placed" (a message: not kept)
    queries.statements.clear()
    assert client.get(f"/alpha/workshops/{made.first}/room").status_code == 200
    mine = [s for s in queries.statements if "set_config(" not in s and not s.lstrip().upper().startswith("SET LOCAL")]
    assert len(mine) == ROOM_PAGE_STATEMENTS, "\n".join(s[:90].replace("\n", " ") for s in mine)
    queries.statements.clear()
    kept = client.get(f"/alpha/workshops/{made.first}/room")
    assert kept.status_code == 200 and b"Table cards to print" in kept.data
    mine = [s for s in queries.statements if "set_config(" not in s and not s.lstrip().upper().startswith("SET LOCAL")]
    assert len(mine) == ROOM_PAGE_KEPT_STATEMENTS, mine


def test_the_kept_room_page_changes_at_once_with_a_write(app, english, world):
    """Kept per person and data version: a table added elsewhere shows at the next request."""
    made = build_room(app, world)
    client = english("alpha_coordinator")
    client.get(f"/alpha/workshops/{made.first}/room")
    assert b"Fresh table" not in client.get(f"/alpha/workshops/{made.first}/room").data  # kept now
    other = english("alpha_admin")
    assert other.post(f"/alpha/workshops/{made.first}/tables", data={
        "name": "Fresh table", "seats": "6", "theme_id": "", "facilitator_id": ""}).status_code == 302
    assert b"Fresh table" in client.get(f"/alpha/workshops/{made.first}/room").data


def test_the_seating_shows_each_table_of_each_round_as_before(app, english, world):
    """Built in Python now, not in the template: names escaped, categories translated, the
    facilitator, how full the table is, and who sits at a table again."""
    made = build_room(app, world, rotations=3)  # four rounds at three tables: some sit somewhere twice

    def rename():
        participant = db.session.get(Participant, made.people["Kari Kommune"])
        participant.name = "Kari <b>Kommune</b>"
        db.session.commit()

    in_tenant(app, made.tenant_id, rename)
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/place")
    kari = made.people["Kari Kommune"]

    def seat_kari_at_table_1_three_times():  # more than four rounds at three tables make unavoidable
        for seat in db.session.scalars(select(Placement).where(Placement.participant_id == kari, Placement.round < 3)):
            seat.table_id = made.tables[0]
        db.session.commit()

    in_tenant(app, made.tenant_id, seat_kari_at_table_1_three_times)
    html = client.get(f"/alpha/workshops/{made.first}/room").get_data(as_text=True)
    assert "<li>Kari &lt;b&gt;Kommune&lt;/b&gt; <span class=\"muted\">(Municipality (staff))</span>" in html
    assert "<b>Kommune</b>" not in html
    assert "<strong>Bord 1</strong> · facilitator Frida Fasilitator</p>" in html
    assert html.count(" of 8 seats</p>") == 3 * 4 and ">4 of 8 seats</p>" in html and ">5 of 8 seats</p>" in html
    here_before = ('<li>Kari &lt;b&gt;Kommune&lt;/b&gt; <span class="muted">(Municipality (staff))</span> '
                   '<span class="ds-tag" data-color="warning">here before</span></li>')
    assert html.count(here_before) == 3 and html.count("here before</span>") == 3


def test_the_long_facilitator_list_is_the_same_html_as_wtforms_writes(app):
    """``LongSelect`` writes the register's options itself (faster): byte for byte WTForms' own."""
    from wtforms.widgets import Select

    from dugnad_workshops.forms import LongSelect, TableForm

    with app.test_request_context("/"):
        form = TableForm(formdata=None, facilitator_id=7)
        form.facilitator_id.choices = [("", "Choose…"), (7, 'Kari <b>"K"</b> & Co'), (8, "Ola"), (9, "")]
        field = form.facilitator_id
        for attributes in ({}, {"class": "ds-input", "aria-describedby": "help", "aria-invalid": "true"}):
            assert LongSelect()(field, **attributes) == Select()(field, **attributes)
        assert 'selected value="7"' in LongSelect()(field)


def test_the_room_plan_is_built_once_per_version_of_the_room(app, english, world, monkeypatch):
    """Kept under the rows it is built from: a write elsewhere renders the page afresh without
    building the grid again; a check-in, a new seat or a renamed person builds it anew."""
    from dugnad_workshops import room

    made = build_room(app, world)
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/place")
    built = []
    real = room._grid_of
    monkeypatch.setattr(room, "_grid_of", lambda *args: built.append(1) or real(*args))
    room._PLANS.clear()
    page = f"/alpha/workshops/{made.first}/room"
    first = client.get(page).get_data(as_text=True)
    assert len(built) == 1

    def elsewhere():  # the municipality's data moves, the room does not
        db.session.add(person("Ikke Her", "business"))
        db.session.commit()

    in_tenant(app, made.tenant_id, elsewhere)
    again = client.get(page).get_data(as_text=True)
    assert len(built) == 1 and again.count("seating__table") == first.count("seating__table") > 0

    kari = made.people["Kari Kommune"]

    def rename():
        db.session.get(Participant, kari).name = "Kari Omdøpt"
        db.session.commit()

    in_tenant(app, made.tenant_id, rename)
    renamed = client.get(page).get_data(as_text=True)
    assert len(built) == 2 and "Kari Omdøpt" in renamed and "Kari Kommune" not in renamed

    def move_kari():
        seat = db.session.scalar(select(Placement).where(Placement.participant_id == kari, Placement.round == 0))
        other = next(t for t in made.tables if t != seat.table_id)
        seat.table_id = other
        db.session.commit()
        return other

    table = in_tenant(app, made.tenant_id, move_kari)
    moved = client.get(page).get_data(as_text=True)
    assert len(built) == 3
    first_round = moved.split('id="round-0"')[1].split('id="round-1"')[0]
    at_table = next(block for block in first_round.split('class="seating__table"')[1:]
                    if f"<strong>Bord {made.tables.index(table) + 1}</strong>" in block)
    assert "Kari Omdøpt" in at_table

    def absent():
        attendance = db.session.scalar(select(Attendance).where(Attendance.workshop_id == made.first,
                                                                Attendance.participant_id == kari))
        attendance.presence = "absent"
        db.session.commit()

    in_tenant(app, made.tenant_id, absent)
    gone = client.get(page).get_data(as_text=True)
    assert len(built) == 4
    assert "Placed, but no longer coming: Kari Omdøpt" in gone
