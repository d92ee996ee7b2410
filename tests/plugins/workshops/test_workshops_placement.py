"""The placement algorithm over random rooms (hypothesis): what it promises in its docstring."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dugnad_workshops.placement import Person, PlacementError, Table, place

CATEGORIES = ("municipality", "business", "volunteer", "target_group", "public_agency", "politics", "residents")


@st.composite
def rooms(draw, regular: bool | None = None, max_tables: int = 8):
    """Tables with facilitators and seats, people with categories, a number of rotations."""
    n_tables = draw(st.integers(1, max_tables))
    if regular is False:
        seats = draw(st.lists(st.integers(1, 10), min_size=n_tables, max_size=n_tables))
    else:
        low = draw(st.integers(2, 10))
        seats = draw(st.lists(st.integers(low, low + 3), min_size=n_tables, max_size=n_tables))
    capacity = sum(seats)
    if regular is True:
        most = n_tables * min(seats)
    else:
        most = capacity
    count = draw(st.integers(0, most))
    if regular is False and count <= n_tables * min(seats):
        count = min(capacity, n_tables * min(seats) + draw(st.integers(1, max(1, capacity))))
    tables = [Table(id=100 + i, seats=s, facilitator=900 + i, name=f"Table {i + 1}") for i, s in enumerate(seats)]
    ids = draw(st.lists(st.integers(1, 500), min_size=count, max_size=count, unique=True))
    weights = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=4))
    people = [Person(id=i, category=draw(st.sampled_from(weights + list(CATEGORIES[:2])))) for i in ids]
    rotations = draw(st.integers(0, max(0, n_tables + 1)))
    return tables, people, rotations


def is_regular(tables, people) -> bool:
    return math.ceil(len(people) / len(tables)) <= min(t.seats for t in tables)


def everyone_placed_once_per_round(plan, tables, people, rounds):
    ids = {p.id for p in people}
    assert len(plan.rounds) == rounds
    for assignment in plan.rounds:
        assert set(assignment) == ids
        assert set(assignment.values()) <= {t.id for t in tables}


def within_seats(plan, tables):
    seats = {t.id: t.seats for t in tables}
    for assignment in plan.rounds:
        for table, n in Counter(assignment.values()).items():
            assert n <= seats[table]


@settings(max_examples=300, deadline=None)
@given(rooms(regular=True))
def test_in_a_regular_room_nobody_sits_at_a_table_twice_while_there_are_tables_enough(room):
    tables, people, rotations = room
    assert is_regular(tables, people)
    plan = place(tables, people, rotations)
    everyone_placed_once_per_round(plan, tables, people, rotations + 1)
    within_seats(plan, tables)
    most = max(1, math.ceil((rotations + 1) / len(tables)))  # with more rounds than tables, each table in turn
    for person in people:
        visits = Counter(assignment[person.id] for assignment in plan.rounds)
        assert max(visits.values(), default=0) <= most, (person, visits)
        if rotations + 1 <= len(tables):
            assert len(visits) == rotations + 1
    assert plan.repeats == ()


@settings(max_examples=300, deadline=None)
@given(rooms(regular=True))
def test_in_a_regular_room_every_category_is_spread_as_evenly_as_it_can_be(room):
    tables, people, rotations = room
    plan = place(tables, people, rotations)
    for assignment in plan.rounds:
        for category in {p.category for p in people}:
            counts = Counter(assignment[p.id] for p in people if p.category == category)
            per_table = [counts.get(t.id, 0) for t in tables]
            assert max(per_table) - min(per_table) <= 1, (category, per_table)


@settings(max_examples=300, deadline=None)
@given(rooms())
def test_facilitators_never_move_and_are_never_placed(room):
    tables, people, rotations = room
    hosts = {t.facilitator for t in tables}
    # a facilitator listed among the people still only sits at their own table
    listed = people + [Person(id=tables[0].facilitator, category="municipality")]
    if len(people) < sum(t.seats for t in tables):
        people = listed
    plan = place(tables, people, rotations)
    assert plan.facilitators == {t.id: t.facilitator for t in tables}
    for assignment in plan.rounds:
        assert not hosts & set(assignment)


@settings(max_examples=200, deadline=None)
@given(rooms(), st.randoms(use_true_random=False))
def test_the_same_room_gives_the_same_plan_whatever_the_order(room, rnd):
    tables, people, rotations = room
    first = place(tables, people, rotations)
    shuffled = list(people)
    rnd.shuffle(shuffled)
    again = place(tables, shuffled, rotations)
    assert first == again
    assert place(tables, people, rotations) == first


@settings(max_examples=200, deadline=None)
@given(rooms(regular=False))
def test_an_uneven_room_still_seats_everyone_within_the_seats(room):
    tables, people, rotations = room
    plan = place(tables, people, rotations)
    everyone_placed_once_per_round(plan, tables, people, rotations + 1)
    within_seats(plan, tables)
    assert not plan.regular or is_regular(tables, people)


@st.composite
def rebalances(draw):
    """A regular room, some rounds held, then some people leave and late ones arrive."""
    tables, people, rotations = draw(rooms(regular=True, max_tables=6))
    rotations = max(rotations, 1)
    first = place(tables, people, rotations)
    held_count = draw(st.integers(1, rotations))
    held = list(first.rounds[:held_count])
    gone = set(draw(st.lists(st.sampled_from([p.id for p in people]), unique=True))) if people else set()
    present = [p for p in people if p.id not in gone]
    room_left = len(tables) * min(t.seats for t in tables) - len(present)
    late = draw(st.lists(st.integers(600, 700), unique=True, max_size=max(0, min(room_left, 5))))
    present += [Person(id=i, category=draw(st.sampled_from(CATEGORIES))) for i in late]
    return tables, people, present, rotations, held, first


@settings(max_examples=200, deadline=None)
@given(rebalances())
def test_a_rebalance_keeps_the_rounds_held_and_places_who_is_here(case):
    tables, before, present, rotations, held, first = case
    plan = place(tables, present, rotations, held=held)
    assert plan.rounds[:len(held)] == tuple(held)  # what happened stays as it was
    ids = {p.id for p in present}
    for assignment in plan.rounds[len(held):]:
        assert set(assignment) == ids  # no-shows gone, late arrivals in
    within_seats(plan, tables)
    for assignment in plan.rounds[len(held):]:
        for category in {p.category for p in present}:
            counts = Counter(assignment[p.id] for p in present if p.category == category)
            per_table = [counts.get(t.id, 0) for t in tables]
            assert max(per_table) - min(per_table) <= 1
    # the tables someone sees twice are exactly the ones reported
    for person in present:
        visits = Counter(r[person.id] for r in plan.rounds if person.id in r)
        limit = 1 if len(plan.rounds) <= len(tables) else math.ceil(len(plan.rounds) / len(tables))
        assert {t for t, n in visits.items() if n > limit} == {t for p, t in plan.repeats if p == person.id}


@settings(max_examples=150, deadline=None)
@given(rooms(regular=True, max_tables=6), st.integers(1, 6))
def test_a_rebalance_with_nobody_changed_changes_nothing(room, held_count):
    tables, people, rotations = room
    first = place(tables, people, rotations)
    held_count = min(held_count, rotations + 1)
    plan = place(tables, people, rotations, held=first.rounds[:held_count], planned=first.rounds[held_count:])
    assert plan.rounds == first.rounds


def score(plan, tables, people, planned, held_count):
    """(tables seen more often than the room forces, uneven category spreads, people moved)."""
    rounds = plan.rounds
    limit = 1 if len(rounds) <= len(tables) else math.ceil(len(rounds) / len(tables))
    repeats = sum(max(0, n - limit) for p in people for n in Counter(r[p.id] for r in rounds if p.id in r).values())
    uneven = 0
    for assignment in rounds[held_count:]:
        for category in {p.category for p in people}:
            counts = Counter(assignment[p.id] for p in people if p.category == category)
            per_table = [counts.get(t.id, 0) for t in tables]
            uneven += max(0, max(per_table) - min(per_table) - 1)
    moved = sum(1 for step, r in enumerate(rounds[held_count:]) for p, t in r.items() if planned[step].get(p, t) != t)
    return repeats, uneven, moved


@settings(max_examples=200, deadline=None)
@given(rebalances())
def test_a_rebalance_keeps_seats_where_it_can_and_is_never_worse_than_placing_afresh(case):
    tables, before, present, rotations, held, first = case
    planned = list(first.rounds[len(held):])
    kept = place(tables, present, rotations, held=held, planned=planned)
    afresh = place(tables, present, rotations, held=held)
    assert kept.rounds[:len(held)] == tuple(held)
    within_seats(kept, tables)
    ids = {p.id for p in present}
    for assignment in kept.rounds[len(held):]:
        assert set(assignment) == ids
    assert score(kept, tables, present, planned, len(held)) <= score(afresh, tables, present, planned, len(held))


def meetings_and_repeats(plan) -> tuple[int, int]:
    """How many times two people share a table, and how many of those are a pair meeting again."""
    together = Counter()
    for assignment in plan.rounds:
        at = {}
        for person, table in sorted(assignment.items()):
            at.setdefault(table, []).append(person)
        for group in at.values():
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    together[(a, b)] += 1
    return sum(together.values()), sum(n - 1 for n in together.values() if n > 1)


@settings(max_examples=300, deadline=None)
@given(rooms(regular=True), st.integers(2, 7))
def test_with_room_at_the_tables_few_pairs_meet_twice(room, rounds):
    """Rotating is for meeting new people. Where the tables have a seat to spare, at most
    three in five of the times two people share a table are a pair meeting again — rows and
    leftovers of the categories move by different strides, and people of different categories
    swap where every spread stays within one. (Before, whole groups travelled together:
    up to seven in eight.) What the placement promised before still holds."""
    tables, people, _rotations = room
    rotations = min(rounds, len(tables)) - 1
    if len(tables) < 3 or rotations < 1 or math.ceil(len(people) / len(tables)) >= min(t.seats for t in tables):
        return
    plan = place(tables, people, rotations)
    meetings, repeats = meetings_and_repeats(plan)
    assert repeats == plan.met_again
    assert repeats <= 0.6 * meetings, (repeats, meetings)
    assert plan.repeats == ()  # nobody at a table twice
    category = {p.id: p.category for p in people}
    for assignment in plan.rounds:  # every category within one per table
        counts = Counter((t, category[p]) for p, t in assignment.items())
        for cat in set(category.values()):
            per_table = [counts.get((t.id, cat), 0) for t in tables]
            assert max(per_table) - min(per_table) <= 1


def pairs(k: int) -> int:
    return k * (k - 1) // 2


def fewest_meetings(people: int, tables: int, rounds: int) -> tuple[int, int]:
    """(the fewest times two people can share a table over the rounds, the fewest of those that
    must be a pair meeting again), for any plan that keeps placement's promises.

    Meetings are fewest with the people spread level (⌊people / tables⌋ or one more at each
    table). Meeting again is forced twice over: there are only C(people, 2) pairs to meet, and
    the people at a table in one round come from the tables of the round before — at most
    ``tables − 1`` of them while nobody may sit at a table twice — so the pigeonhole puts some
    who sat together at the same table again: at least the pairs of the most even split."""
    loads = [people // tables + (1 if i < people % tables else 0) for i in range(tables)]
    meetings = rounds * sum(pairs(g) for g in loads)
    sources = tables - 1 if rounds <= tables else tables

    def even_split(group: int) -> int:
        size, bigger = divmod(group, sources)
        return bigger * pairs(size + 1) + (sources - bigger) * pairs(size)

    again = max(meetings - pairs(people), (rounds - 1) * sum(even_split(g) for g in loads), 0)
    return meetings, again


@st.composite
def tight_rooms(draw):
    """Small rooms where the seats are tight: the smallest table seats exactly the level."""
    n_tables = draw(st.integers(2, 6))
    people = draw(st.integers(max(6, n_tables), 30))
    level = math.ceil(people / n_tables)
    seats = [level] + draw(st.lists(st.integers(level, level + 2), min_size=n_tables - 1, max_size=n_tables - 1))
    tables = [Table(id=100 + i, seats=s, facilitator=900 + i) for i, s in enumerate(draw(st.permutations(seats)))]
    weights = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=4))
    ids = draw(st.lists(st.integers(1, 500), min_size=people, max_size=people, unique=True))
    return tables, [Person(id=i, category=draw(st.sampled_from(weights))) for i in ids], draw(st.integers(2, 4))


ISSUE_ROOM = (  # 19 people, five tables of four (one of six), four rounds: whole groups travelled together
    [Table(100, 6, 900)] + [Table(101 + i, 4, 901 + i) for i in range(4)],
    [Person(10 + i, c) for i, c in enumerate(["politics"] * 8 + ["public_agency"] * 4 + ["residents"] * 4
                                             + ["volunteer"] * 3)],
    4,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(tight_rooms())
@example(ISSUE_ROOM)
def test_where_seats_are_tight_few_pairs_meet_twice_beyond_what_the_room_forces(room):
    """The promise, precisely: of the meetings the room does not force to repeat (all
    meetings less the unavoidable minimum, ``fewest_meetings``), at most one in two is a pair
    meeting again while there are more tables than rounds, at most two in three when everyone
    must visit every table (derandomized: the same rooms on every run, no flaky CI). (Before,
    whole groups of three or four moved table to table together in these rooms: three in four
    meetings were repeats where none was forced.)
    Everything placement promised before still holds in these rooms."""
    tables, people, rounds = room
    plan = place(tables, people, rounds - 1)
    everyone_placed_once_per_round(plan, tables, people, rounds)
    within_seats(plan, tables)
    meetings, repeats = meetings_and_repeats(plan)
    assert repeats == plan.met_again
    fewest, forced = fewest_meetings(len(people), len(tables), rounds)
    assert forced <= repeats and fewest <= meetings  # the bound is a bound
    share = (1, 2) if rounds < len(tables) else (2, 3)
    assert (repeats - forced) * share[1] <= share[0] * (fewest - forced), (repeats, forced, fewest)
    most = math.ceil(rounds / len(tables))
    category = {p.id: p.category for p in people}
    for person in people:
        visits = Counter(assignment[person.id] for assignment in plan.rounds)
        assert max(visits.values()) <= most
    assert plan.repeats == ()
    for assignment in plan.rounds:
        counts = Counter((t, category[p]) for p, t in assignment.items())
        for cat in set(category.values()):
            per_table = [counts.get((t.id, cat), 0) for t in tables]
            assert max(per_table) - min(per_table) <= 1


def test_where_seats_are_tight_groups_do_not_travel_together():
    """The room from the issue: 19 people at five tables of four (one of six), four rounds.
    Every block moved by the same stride, so the same three or four people went from table
    to table together (81 of 108 meetings were repeats); now at most a few pairs meet again."""
    tables, people, rounds = ISSUE_ROOM
    plan = place(tables, people, rounds - 1)
    meetings, repeats = meetings_and_repeats(plan)
    assert plan.repeats == ()
    assert repeats <= meetings // 5, (repeats, meetings)


def test_mixing_a_120_person_room_over_six_rotations():
    """The benchmark's room: 15 tables of 8, six rotations. Everyone sees seven tables, and
    the swaps cut how often people meet again to a fraction of moving whole tables."""
    categories = ["municipality"] * 30 + ["business"] * 24 + ["volunteer"] * 24 + ["target_group"] * 18 + \
        ["public_agency"] * 12 + ["politics"] * 6 + ["immigrant_council"] * 6
    tables = [Table(i, 8, 1000 + i) for i in range(15)]
    people = [Person(i, c) for i, c in enumerate(categories)]
    plan = place(tables, people, 6)
    assert plan.repeats == ()
    whole_tables = 120 * 7 * 6  # if each table moved as one group: everyone meets the same seven again six times
    assert plan.met_again < whole_tables / 20


@pytest.mark.parametrize("tables, people, rotations, code", [
    ([], [Person(1, "business")], 1, "no_tables"),
    ([Table(1, 8, None, "Bord 1")], [Person(1, "business")], 1, "no_facilitator"),
    ([Table(1, 8, 7), Table(2, 8, 7)], [], 1, "facilitator_twice"),
    ([Table(1, 0, 7)], [], 1, "bad_seats"),
    ([Table(1, 2, 7)], [Person(1, "business"), Person(2, "business"), Person(3, "volunteer")], 1, "too_many_people"),
    ([Table(1, 8, 7)], [Person(1, "business"), Person(1, "volunteer")], 1, "duplicate_person"),
    ([Table(1, 8, 7)], [], -1, "bad_rotations"),
])
def test_bad_rooms_are_refused_with_a_reason(tables, people, rotations, code):
    with pytest.raises(PlacementError) as caught:
        place(tables, people, rotations)
    assert caught.value.code == code


def test_too_many_people_says_how_many_and_how_many_seats():
    with pytest.raises(PlacementError) as caught:
        place([Table(1, 2, 7), Table(2, 3, 8)], [Person(100 + i, "business") for i in range(9)], 1)
    assert (caught.value.people, caught.value.seats) == (9, 5)
