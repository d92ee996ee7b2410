"""Who sits where: the first sitting and every forced rotation of a workshop.

Pure: no database, no clock, no randomness — the same room always gives the same
plan, whatever order the people are listed in. ``place()`` takes the tables (in the
order the room lists them), the people in the room with their stakeholder category,
the number of rotations, and the rounds already held (which it never changes).

What it promises. Call a room *regular* when every table can seat an even share of
the people (⌈people / tables⌉ ≤ the fewest seats at any table); otherwise the tables
are uneven for the crowd. Then, for the rounds it places:

1. Facilitators stay at their table; they are never placed as participants.
2. Nobody gets more people than seats.
3. In a regular room, each stakeholder category is spread as evenly as it can be:
   in every round the number of its people at any two tables differs by at most one.
4. In a regular room with no rounds held yet, nobody sits at the same table twice
   while there are tables enough (rotations + 1 ≤ tables); with more rounds than
   tables, nobody sits at any table more than ⌈rounds / tables⌉ times.
5. With a seat to spare at the tables (⌈people / tables⌉ below the fewest seats) and no
   rounds held, few pairs meet twice: at most three in five of the times two people share
   a table are a pair meeting again. Where seats are tight too (the smallest table seats just
   the level), of the meetings the room does not force to repeat — all meetings less the
   unavoidable minimum, from the pairs there are and the pigeonhole between one round's
   tables and the next's (``fewest_meetings`` in the tests) — at most one in two is a
   pair meeting again while there are more tables than rounds, two in three otherwise.
6. After rounds are held (a re-balance for late arrivals and no-shows), the rounds
   held stay exactly as they were. Given the plan in use (``planned``), people keep
   their seats where they can: nothing changes when nobody came or went, and the
   result is never worse — in tables seen twice, then in uneven spreads — than placing
   the rest of the workshop afresh. Any table someone sits at twice is reported.

How. In a regular room the people are dealt round-robin, category by category, so
every run of ``tables`` consecutive people of a category (a *row*) has one person at
each table and what is left of a category sits at consecutive tables. In each
rotation a row moves by its own stride (a step that reaches a new table each round),
so rows of different strides mix; the leftovers move together, which keeps the
tables' loads and every category's spread exactly as they were. Then swaps between
two people of the same category — which change neither loads nor spreads — cut how
often people meet again. Uneven rooms are filled level by level (each table up to
the same level, small tables full), each rotation by a matching that avoids tables
already visited, then improved by swaps. Where strides leave people meeting again in a
regular room (tight seats make every block move by the same stride), rounds filled person by
person towards new faces (``_mixed``) are tried as well, and the plan where fewer meet again
is kept. A re-balance repairs the plan in use and
compares it with a fresh plan that avoids the tables of the rounds held.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from math import gcd
from typing import Iterable, Mapping, Sequence

MAX_PASSES = 4  # rounds of swap improvement; each pass only accepts strict improvements
MIXED_PEOPLE = 60  # beyond this many the strided plan stands (the greedy fill grows with people²)
MIXED_TRIES = 6  # round-by-round plans tried where seats are tight, each with another person choosing first


@dataclass(frozen=True)
class Table:
    id: int
    seats: int
    facilitator: int | None
    name: str = ""


@dataclass(frozen=True)
class Person:
    id: int
    category: str


class PlacementError(ValueError):
    """The room cannot be planned. ``code`` says why (for a translated message):

    - ``no_tables``: there are no tables;
    - ``no_facilitator``: ``table`` has no facilitator;
    - ``facilitator_twice``: ``person`` facilitates two tables;
    - ``bad_seats``: ``table`` has fewer than one seat;
    - ``too_many_people``: ``people`` people, only ``seats`` seats;
    - ``bad_rotations``: rotations below zero, or fewer than the rounds held;
    - ``duplicate_person``: ``person`` is listed twice.
    """

    def __init__(self, code: str, *, table: Table | None = None, person: int | None = None,
                 people: int = 0, seats: int = 0):
        super().__init__(code)
        self.code, self.table, self.person, self.people, self.seats = code, table, person, people, seats


@dataclass(frozen=True)
class Plan:
    """``rounds[r]`` maps each person in round r to their table id (round 0 is the first sitting)."""

    rounds: tuple[Mapping[int, int], ...]
    facilitators: Mapping[int, int | None]  # table id -> facilitator, the same in every round
    repeats: tuple[tuple[int, int], ...] = ()  # (person, table) sat at more often than the room forces
    met_again: int = 0  # for every pair of people, the rounds they share a table beyond the first, summed
    regular: bool = True

    def table_of(self, round_: int, person: int) -> int | None:
        return self.rounds[round_].get(person)

    def at(self, round_: int, table: int) -> list[int]:
        return sorted(p for p, t in self.rounds[round_].items() if t == table)


def place(tables: Sequence[Table], people: Iterable[Person], rotations: int,
          held: Sequence[Mapping[int, int]] = (), planned: Sequence[Mapping[int, int]] = ()) -> Plan:
    """Plan rounds ``len(held)`` … ``rotations`` for ``people`` (see the module docstring).

    ``planned`` is the plan in use for those rounds, when re-balancing: it is repaired (the
    no-shows taken out, the late arrivals seated, the spread mended) so that people keep their
    seats where they can, unless placing everyone afresh would avoid more tables seen twice
    or spread the categories more evenly."""
    tables = list(tables)
    people = list(people)
    _check(tables, people, rotations, held)
    facilitators = {t.id: t.facilitator for t in tables}
    hosts = {t.facilitator for t in tables}
    people = sorted((p for p in people if p.id not in hosts), key=lambda p: p.id)
    held = [dict(r) for r in held]
    count = rotations + 1 - len(held)
    if count <= 0:
        return _finish(tables, people, held, [], facilitators, regular=True)
    ids = [t.id for t in tables]
    regular = -(-len(people) // len(tables)) <= min(t.seats for t in tables)
    history = _history(held, set(ids))
    if regular:
        placed = _latin(ids, _deal_order(people), count, history, min(t.seats for t in tables))
    else:
        placed = _uneven(tables, _deal_order(people), count, history)
    _improve(placed, people, history, same_category_only=regular, table_ids=ids)
    if regular and not history and count <= len(ids) and len(people) <= MIXED_PEOPLE and _met_again(placed):
        dealt, seats = _deal_order(people), {t.id: t.seats for t in tables}
        for start in range(0, len(dealt), max(1, len(dealt) // MIXED_TRIES)):  # who picks first, in turn
            mixed = _mixed(ids, dealt, count, seats, dealt[start:] + dealt[:start])
            if mixed is not None:
                _improve(mixed, people, history, same_category_only=True, table_ids=ids)
                if _met_again(mixed) < _met_again(placed):
                    placed = mixed
    if planned:
        planned = [dict(r) for r in planned]
        repaired = _repair(tables, people, count, history, planned)
        placed = min((repaired, placed), key=lambda rounds: _score(rounds, ids, people, history, planned))
    return _finish(tables, people, held, placed, facilitators, regular=regular)


def _score(rounds: list[dict[int, int]], ids: list[int], people: list[Person], history: dict[int, list[int]],
           planned: list[dict[int, int]]) -> tuple[int, int, int]:
    """(tables seen more often than the room forces, categories spread unevenly, people moved)."""
    total = len(rounds) + max((len(v) for v in history.values()), default=0)
    limit = 1 if total <= len(ids) else -(-total // len(ids))
    repeats = 0
    for person in people:
        visits = Counter(history.get(person.id, ()))
        visits.update(r[person.id] for r in rounds if person.id in r)
        repeats += sum(max(0, n - limit) for n in visits.values())
    category = {p.id: p.category for p in people}
    uneven = 0
    for round_ in rounds:
        counts = Counter((t, category[p]) for p, t in round_.items())
        for cat in set(category.values()):
            per_table = [counts.get((t, cat), 0) for t in ids]
            uneven += max(0, max(per_table) - min(per_table) - 1)
    moved = sum(1 for step, round_ in enumerate(rounds) if step < len(planned)
                for p, t in round_.items() if planned[step].get(p, t) != t)
    return repeats, uneven, moved


def _repair(tables: list[Table], people: list[Person], count: int, history: dict[int, list[int]],
            planned: list[dict[int, int]]) -> list[dict[int, int]]:
    """The plan in use, with no-shows taken out, late arrivals seated where their category is
    thinnest at a table they have not seen, and the spread mended by moves and swaps."""
    seats = {t.id: t.seats for t in tables}
    ids = [t.id for t in tables]
    present = {p.id for p in people}
    category = {p.id: p.category for p in people}
    rounds = [{p: t for p, t in (planned[step] if step < len(planned) else {}).items() if p in present and t in seats}
              for step in range(count)]
    visits: dict[int, Counter] = defaultdict(Counter)
    for person, tables_seen in history.items():
        visits[person].update(tables_seen)
    for round_ in rounds:
        for person, table in round_.items():
            visits[person][table] += 1
    for round_ in rounds:
        loads = Counter(round_.values())
        for table in ids:  # seats taken away since: the last placed move elsewhere
            while loads[table] > seats[table]:
                person = max(p for p, t in round_.items() if t == table)
                del round_[person]
                loads[table] -= 1
                visits[person][table] -= 1
        cats = Counter((t, category[p]) for p, t in round_.items())
        for person in _deal_order(people):
            if person.id in round_:
                continue
            table = min((t for t in ids if loads[t] < seats[t]),
                        key=lambda t: (visits[person.id][t], cats[(t, person.category)], loads[t], ids.index(t)))
            round_[person.id] = table
            loads[table] += 1
            cats[(table, person.category)] += 1
            visits[person.id][table] += 1
    _improve(rounds, people, history, same_category_only=False, meetings=False, seats=seats)
    return rounds


# --- checks ---------------------------------------------------------------------------


def _check(tables: list[Table], people: list[Person], rotations: int, held: Sequence[Mapping[int, int]]) -> None:
    if not tables:
        raise PlacementError("no_tables")
    seen_hosts: set[int] = set()
    for table in tables:
        if table.facilitator is None:
            raise PlacementError("no_facilitator", table=table)
        if table.facilitator in seen_hosts:
            raise PlacementError("facilitator_twice", table=table, person=table.facilitator)
        seen_hosts.add(table.facilitator)
        if table.seats < 1:
            raise PlacementError("bad_seats", table=table)
    seen: set[int] = set()
    for person in people:
        if person.id in seen:
            raise PlacementError("duplicate_person", person=person.id)
        seen.add(person.id)
    guests = [p for p in people if p.id not in seen_hosts]
    seats = sum(t.seats for t in tables)
    if len(guests) > seats:
        raise PlacementError("too_many_people", people=len(guests), seats=seats)
    if rotations < 0 or len(held) > rotations + 1:
        raise PlacementError("bad_rotations")


def _history(held: list[dict[int, int]], known: set[int]) -> dict[int, list[int]]:
    """person -> tables (still in the room) they sat at in the rounds held."""
    visited: dict[int, list[int]] = defaultdict(list)
    for round_ in held:
        for person, table in round_.items():
            if table in known:
                visited[person].append(table)
    return visited


def _deal_order(people: list[Person]) -> list[Person]:
    """Largest category first (ties by name), people by id within it."""
    sizes: dict[str, int] = defaultdict(int)
    for p in people:
        sizes[p.category] += 1
    return sorted(people, key=lambda p: (-sizes[p.category], p.category, p.id))


# --- regular rooms: rows with strides ------------------------------------------------


def _strides(tables: int, rounds: int) -> list[int]:
    """Steps that reach a new table every round for ``rounds`` rounds (or all tables)."""
    if tables == 1:
        return [0]
    need = min(rounds, tables)
    return [s for s in range(1, tables) if tables // gcd(s, tables) >= need]


def _latin(ids: list[int], order: list[Person], count: int, history: dict[int, list[int]],
           seats: int | None = None) -> list[dict[int, int]]:
    """Trajectories (start column, stride) dealt category by category; members of a
    category are matched to its trajectories so as to avoid the tables of their history."""
    n_tables = len(ids)
    strides = _strides(n_tables, count)
    by_category: dict[str, list[Person]] = defaultdict(list)
    for person in order:
        by_category[person.category].append(person)
    best: tuple[int, int] | None = None
    choice: list[tuple[Person, int, int]] = []
    offsets = range(n_tables) if history else range(1)
    for offset in offsets:  # a shift of the whole deal keeps every property; pick the one history likes best
        trajectories: list[tuple[Person, int, int]] = []
        cost = 0
        leftover_strides = _leftover_strides(by_category, n_tables, count, strides, offset, seats)
        position, row_number = offset, 0
        for category, members in by_category.items():
            rows, rest = divmod(len(members), n_tables)
            slots: list[tuple[int, int]] = []
            for _row in range(rows):
                stride = strides[row_number % len(strides)]
                row_number += 1
                slots += [((position + i) % n_tables, stride) for i in range(n_tables)]
                position += n_tables
            slots += [((position + i) % n_tables, leftover_strides[category]) for i in range(rest)]
            position += rest
            for person, (column, stride), slot_cost in _match(members, slots, ids, count, history):
                trajectories.append((person, column, stride))
                cost += slot_cost
        if best is None or (cost, offset) < best:
            best, choice = (cost, offset), trajectories
        if cost == 0:
            break
    return [{person.id: ids[(column + step * stride) % n_tables] for person, column, stride in choice}
            for step in range(count)]


def _leftover_strides(by_category: dict[str, list[Person]], n_tables: int, count: int, strides: list[int],
                      offset: int, seats: int | None = None) -> dict[str, int]:
    """The stride each category's leftovers (fewer than a row) move by. They move together, so
    the category's spread holds whatever the stride; giving the blocks strides that no row or
    block already uses keeps people who start at one table from travelling together all day.
    Each block takes, of the strides that keep every table within the seats and at most one
    above the level ⌈people / tables⌉ in every round, the one that least often lifts a table
    above the level, then the one least used so far; if some block finds none, all leftovers
    move by one, as before."""
    fallback = {category: 1 % n_tables for category in by_category}
    if not strides:
        return fallback
    people = sum(len(m) for m in by_category.values())
    level = -(-people // n_tables)
    cap = min(level + 1, seats) if seats else level
    loads = [[0] * n_tables for _ in range(count)]
    used: Counter = Counter()
    position, row_number = offset, 0
    blocks = []
    for category, members in by_category.items():
        rows, rest = divmod(len(members), n_tables)
        for _row in range(rows):
            used[strides[row_number % len(strides)]] += 1
            row_number += 1
        for step in range(count):
            for table in range(n_tables):
                loads[step][table] += rows
        position += rows * n_tables
        blocks.append((category, position, rest))
        position += rest
    chosen: dict[str, int] = {}
    for turn, (category, start, rest) in enumerate(blocks):
        if not rest:
            chosen[category] = 1 % n_tables
            continue
        best = None
        for rank, stride in enumerate(strides[turn % len(strides):] + strides[:turn % len(strides)]):
            cells = [(step, (start + i + step * stride) % n_tables) for i in range(rest) for step in range(count)]
            after = Counter(cells)
            if any(loads[step][table] + n > cap for (step, table), n in after.items()):
                continue
            above = sum(1 for (step, table), n in after.items() if loads[step][table] + n > level)
            key = (above, used[stride], rank)
            if best is None or key < best[0]:
                best = (key, stride, cells)
        if best is None:
            return fallback
        _key, stride, cells = best
        for step, table in cells:
            loads[step][table] += 1
        used[stride] += 1
        chosen[category] = stride
    return chosen


def _match(members: list[Person], slots: list[tuple[int, int]], ids: list[int], count: int,
           history: dict[int, list[int]]):
    """Give each member a slot, cheapest first (cost: tables of the slot already visited)."""
    if not any(history.get(p.id) for p in members):
        return [(person, slot, 0) for person, slot in zip(members, slots)]
    n_tables = len(ids)
    options = []
    for i, person in enumerate(members):
        seen = set(history.get(person.id, ()))
        for j, (column, stride) in enumerate(slots):
            cost = sum(1 for step in range(count) if ids[(column + step * stride) % n_tables] in seen)
            options.append((cost, i, j))
    options.sort()
    taken_people: set[int] = set()
    taken_slots: set[int] = set()
    out = []
    for cost, i, j in options:
        if i in taken_people or j in taken_slots:
            continue
        taken_people.add(i)
        taken_slots.add(j)
        out.append((members[i], slots[j], cost))
    return out


# --- regular rooms where seats are tight: round by round, meeting new people --------------


def _mixed(ids: list[int], order: list[Person], count: int, seats: dict[int, int],
           turns: list[Person]) -> list[dict[int, int]] | None:
    """Another plan for a regular room where nobody may sit at a table twice: the first sitting
    dealt as ``_latin`` deals it, then each round filled person by person, the one with the
    fewest tables left to choose from first, each at the table where they meet the fewest
    people they have met before. Every table keeps the first sitting's load, every category
    stays within one per table, nobody sees a table twice. Trajectories with strides cannot
    mix people where the seats are tight (every block must then move by the same stride);
    this can. ``None`` when the greedy fill gets stuck (the caller keeps the strided plan)."""
    n_tables = len(ids)
    first = {person.id: ids[i % n_tables] for i, person in enumerate(order)}
    load = Counter(first.values())
    if any(load[t] > seats[t] for t in ids):
        return None
    category = {p.id: p.category for p in order}
    sizes = Counter(category.values())
    rounds = [first]
    visited = {p: {t} for p, t in first.items()}
    met: dict[int, Counter] = defaultdict(Counter)
    _count_meetings(first, met)
    for _step in range(1, count):
        at: dict[int, list[int]] = {t: [] for t in ids}
        per_category: Counter = Counter()
        at_ceiling: Counter = Counter()  # tables where the category already has ⌈size / tables⌉

        def allowed(person: int) -> list[int]:
            cat = category[person]
            floor, extra = divmod(sizes[cat], n_tables)
            out = []
            for t in ids:
                if t in visited[person] or len(at[t]) >= load[t]:
                    continue
                here = per_category[(t, cat)]
                if here < floor or (here == floor and at_ceiling[cat] < extra):
                    out.append(t)
            return out

        placed: dict[int, int] = {}

        def sit(person: int, table: int) -> None:
            cat = category[person]
            if per_category[(table, cat)] == sizes[cat] // n_tables:
                at_ceiling[cat] += 1
            per_category[(table, cat)] += 1
            at[table].append(person)
            placed[person] = table

        def stand(person: int) -> None:
            table, cat = placed.pop(person), category[person]
            at[table].remove(person)
            per_category[(table, cat)] -= 1
            if per_category[(table, cat)] == sizes[cat] // n_tables:
                at_ceiling[cat] -= 1

        def make_room(person: int, tried: set[int]) -> bool:
            """Seat ``person`` by moving someone else on (an augmenting path)."""
            for table in ids:
                if table in visited[person] or table in tried:
                    continue
                tried.add(table)
                for other in list(at[table]):
                    stand(other)
                    if table in allowed(person):
                        sit(person, table)
                        free = allowed(other)
                        if free:
                            sit(other, free[0])
                            return True
                        if make_room(other, tried):
                            return True
                        stand(person)
                    sit(other, table)
            return False

        waiting = [p.id for p in turns]
        while waiting:
            options = {p: allowed(p) for p in waiting}
            person = min(waiting, key=lambda p: (len(options[p]), waiting.index(p)))
            waiting.remove(person)
            if options[person]:
                sit(person, min(options[person], key=lambda t: (sum(met[person][q] for q in at[t]),
                                                               len(at[t]) - load[t], ids.index(t))))
            elif not make_room(person, set()):
                return None
        for person, table in placed.items():
            visited[person].add(table)
        _count_meetings(placed, met)
        rounds.append(placed)
    return rounds


def _count_meetings(round_: dict[int, int], met: dict[int, Counter]) -> None:
    groups: dict[int, list[int]] = defaultdict(list)
    for person, table in sorted(round_.items()):
        groups[table].append(person)
    for group in groups.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                met[a][b] += 1
                met[b][a] += 1


def _met_again(rounds: list[dict[int, int]]) -> int:
    met: dict[int, Counter] = defaultdict(Counter)
    for round_ in rounds:
        _count_meetings(round_, met)
    return sum(n - 1 for counts in met.values() for n in counts.values() if n > 1) // 2


# --- uneven rooms: level by level, then matchings --------------------------------------


def _levels(tables: list[Table], people: int) -> dict[int, int]:
    """How many sit at each table: as level as the seats allow, small tables full."""
    loads = {t.id: 0 for t in tables}
    left = people
    while left:
        open_tables = [t for t in tables if loads[t.id] < t.seats]
        lowest = min(loads[t.id] for t in open_tables)
        for table in open_tables:
            if left and loads[table.id] == lowest:
                loads[table.id] += 1
                left -= 1
    return loads


def _uneven(tables: list[Table], order: list[Person], count: int, history: dict[int, list[int]]) -> list[dict[int, int]]:
    loads = _levels(tables, len(order))
    ids = [t.id for t in tables]
    visited: dict[int, list[int]] = {p.id: list(history.get(p.id, ())) for p in order}
    rounds: list[dict[int, int]] = []
    for step in range(count):
        rotated = order[step % len(order):] + order[:step % len(order)] if order else []
        assignment = _assign(rotated, ids, loads, visited)
        for person, table in assignment.items():
            visited[person].append(table)
        rounds.append(assignment)
    return rounds


def _assign(order: list[Person], ids: list[int], loads: dict[int, int], visited: dict[int, list[int]]) -> dict[int, int]:
    """A matching of people to tables up to their loads, using unvisited tables where it can
    (augmenting paths), then the fewest-visited tables with room for whoever is left."""
    seats: dict[int, list[int]] = {t: [] for t in ids}
    where: dict[int, int] = {}

    def allowed(person: int) -> list[int]:
        seen = set(visited[person])
        return [t for t in ids if t not in seen]

    def augment(person: int, tried: set[int]) -> bool:
        for table in allowed(person):
            if table in tried:
                continue
            tried.add(table)
            if len(seats[table]) < loads[table]:
                seats[table].append(person)
                where[person] = table
                return True
            for other in list(seats[table]):
                if augment(other, tried):
                    seats[table].remove(other)
                    seats[table].append(person)
                    where[person] = table
                    return True
        return False

    for person in order:
        augment(person.id, set())
    for person in order:
        if person.id in where:
            continue
        table = min((t for t in ids if len(seats[t]) < loads[t]),
                    key=lambda t: (visited[person.id].count(t), len(seats[t]) - loads[t], ids.index(t)))
        seats[table].append(person.id)
        where[person.id] = table
    return where


# --- improvement by swaps ------------------------------------------------------------------


def _improve(rounds: list[dict[int, int]], people: list[Person], history: dict[int, list[int]],
             same_category_only: bool, meetings: bool = True, seats: dict[int, int] | None = None,
             table_ids: list[int] | None = None) -> None:
    """Swap two people of one round where that lowers, in this order: how unevenly people
    visit the tables (the sum of squared visits per person and table), how unevenly the
    categories spread (the sum of squared counts; regular rooms swap only within a category,
    which keeps every spread), and — with ``meetings`` — how many pairs meet again. With
    ``seats``, one person may also move to a table with a free seat. Only strict improvements
    are taken, so nothing the construction promised is ever lost. In a regular room
    (``same_category_only``) the spread is a rule rather than a goal: two people of different
    categories may swap where every category stays within one person per table, so that
    people who happen to share a column and a stride do not travel together all day."""
    if not rounds or len(people) < 2:
        return
    category = {p.id: p.category for p in people}
    visits: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for person, tables in history.items():
        for table in tables:
            visits[person][table] += 1
    groups: list[dict[int, list[int]]] = []
    spread: list[dict[tuple[int, str], int]] = []
    meet: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))  # symmetric: meet[a][b] == meet[b][a]
    for round_ in rounds:
        at: dict[int, list[int]] = defaultdict(list)
        counts: dict[tuple[int, str], int] = defaultdict(int)
        for person, table in sorted(round_.items()):
            at[table].append(person)
            visits[person][table] += 1
            counts[(table, category[person])] += 1
        for group in at.values():
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    meet[a][b] += 1
                    meet[b][a] += 1
        groups.append(at)
        spread.append(counts)

    def visit_change(person: int, old: int, new: int) -> int:
        v = visits[person]
        return 2 * (v[new] - v[old]) + 2  # (v_new + 1)² − v_new² + (v_old − 1)² − v_old²

    def spread_change(counts, ta: int, tb: int, cat_a: str, cat_b: str) -> int:
        if cat_a == cat_b:
            return 0
        return (2 * (counts[(tb, cat_a)] - counts[(ta, cat_a)]) + 2
                + 2 * (counts[(ta, cat_b)] - counts[(tb, cat_b)]) + 2)

    def meet_change(person: int, other: int, leaving: list[int], joining: list[int]) -> int:
        met = meet[person]
        change = 0
        for q in leaving:
            if q != person and met[q] >= 2:
                change -= 1
        for q in joining:
            if q != other and met[q] >= 1:
                change += 1
        return change

    ordered = sorted(p.id for p in people)
    every_table = list(table_ids) if table_ids else sorted({t for r in rounds for t in r.values()})

    def still_even(counts, ta: int, tb: int, cat_a: str, cat_b: str) -> bool:
        """After a moves ta → tb and b moves tb → ta: are both categories within one per table?"""
        if cat_a == cat_b:
            return True
        for cat, leaves, joins in ((cat_a, ta, tb), (cat_b, tb, ta)):
            per_table = [counts[(t, cat)] - (t == leaves) + (t == joins) for t in every_table]
            if max(per_table) - min(per_table) > 1:
                return False
        return True

    for _pass in range(MAX_PASSES):
        improved = False
        for r, round_ in enumerate(rounds):
            at, counts = groups[r], spread[r]
            present = [p for p in ordered if p in round_]
            for i, a in enumerate(present):
                for b in present[i + 1:]:
                    ta, tb = round_[a], round_[b]
                    if ta == tb:
                        continue
                    visiting = visit_change(a, ta, tb) + visit_change(b, tb, ta)
                    if visiting > 0:
                        continue
                    spreading = spread_change(counts, ta, tb, category[a], category[b])
                    if same_category_only:
                        # the spread is a rule here: within one per table, whatever the swap
                        if not still_even(counts, ta, tb, category[a], category[b]):
                            continue
                        spreading = 0
                    if (visiting, spreading) > (0, 0):
                        continue
                    meeting = meet_change(a, b, at[ta], at[tb]) + meet_change(b, a, at[tb], at[ta]) if meetings else 0
                    if (visiting, spreading, meeting) >= (0, 0, 0):
                        continue
                    _swap(r, a, b, rounds, groups, spread, visits, meet, category)
                    improved = True
            if seats is not None:
                improved = _moves(r, present, rounds, groups, spread, visits, meet, category, seats) or improved
        if meetings:
            def exchangeable(r: int, ta: int, tb: int, cat_a: str, cat_b: str) -> bool:
                if same_category_only:
                    return still_even(spread[r], ta, tb, cat_a, cat_b)
                return spread_change(spread[r], ta, tb, cat_a, cat_b) == 0

            improved = _exchange(rounds, groups, spread, visits, meet, category, ordered, meet_change,
                                 exchangeable) or improved
        if not improved:
            break


def _moves(r: int, present: list[int], rounds, groups, spread, visits, meet, category, seats) -> bool:
    """One person moves to a table with a free seat where that visits less unevenly, or
    spreads their category more evenly without visiting less evenly."""
    round_, at, counts = rounds[r], groups[r], spread[r]
    improved = False
    for person in present:
        old = round_[person]
        cat = category[person]
        for new in seats:
            if new == old or len(at[new]) >= seats[new]:
                continue
            v = visits[person]
            visiting = 2 * (v[new] - v[old]) + 2
            spreading = 2 * (counts[(new, cat)] - counts[(old, cat)]) + 2
            if (visiting, spreading) >= (0, 0):
                continue
            for q in at[old]:
                if q != person:
                    _meet(meet, person, q, -1)
            at[old].remove(person)
            for q in at[new]:
                _meet(meet, person, q, 1)
            at[new].append(person)
            round_[person] = new
            v[old] -= 1
            v[new] += 1
            counts[(old, cat)] -= 1
            counts[(new, cat)] += 1
            improved = True
            old = new
    return improved


def _exchange(rounds, groups, spread, visits, meet, category, ordered, meet_change, exchangeable) -> bool:
    """Two people swap their tables in two rounds at once, where each sits in the round the
    other's table: both keep the tables they visit, so nothing but who meets whom changes
    (the move a single swap cannot make when everyone visits every table). People of two
    categories do it only where both rounds keep the spread (``exchangeable``)."""
    improved = False
    count = len(rounds)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            same = category[a] == category[b]
            for r1 in range(count):
                ta1, tb1 = rounds[r1].get(a), rounds[r1].get(b)
                if ta1 is None or tb1 is None or ta1 == tb1:
                    continue
                for r2 in range(r1 + 1, count):
                    if rounds[r2].get(a) != tb1 or rounds[r2].get(b) != ta1:
                        continue
                    if not same and not (exchangeable(r1, ta1, tb1, category[a], category[b])
                                         and exchangeable(r2, tb1, ta1, category[a], category[b])):
                        continue
                    first = meet_change(a, b, groups[r1][ta1], groups[r1][tb1]) + meet_change(b, a, groups[r1][tb1], groups[r1][ta1])
                    _swap(r1, a, b, rounds, groups, spread, visits, meet, category)
                    second = meet_change(a, b, groups[r2][tb1], groups[r2][ta1]) + meet_change(b, a, groups[r2][ta1], groups[r2][tb1])
                    if first + second < 0:
                        _swap(r2, a, b, rounds, groups, spread, visits, meet, category)
                        improved = True
                        break
                    _swap(r1, a, b, rounds, groups, spread, visits, meet, category)  # undo
    return improved


def _swap(r: int, a: int, b: int, rounds, groups, spread, visits, meet, category) -> None:
    round_, at, counts = rounds[r], groups[r], spread[r]
    ta, tb = round_[a], round_[b]
    for q in at[ta]:
        if q != a:
            _meet(meet, a, q, -1)
    for q in at[tb]:
        if q != b:
            _meet(meet, b, q, -1)
    at[ta].remove(a)
    at[tb].remove(b)
    for q in at[tb]:
        _meet(meet, a, q, 1)
    for q in at[ta]:
        _meet(meet, b, q, 1)
    at[ta].append(b)
    at[tb].append(a)
    round_[a], round_[b] = tb, ta
    visits[a][ta] -= 1
    visits[a][tb] += 1
    visits[b][tb] -= 1
    visits[b][ta] += 1
    counts[(ta, category[a])] -= 1
    counts[(tb, category[a])] += 1
    counts[(tb, category[b])] -= 1
    counts[(ta, category[b])] += 1


def _meet(meet: dict[int, dict[int, int]], a: int, b: int, change: int) -> None:
    meet[a][b] += change
    meet[b][a] += change


# --- the result -----------------------------------------------------------------------------


def _finish(tables: list[Table], people: list[Person], held: list[dict[int, int]], placed: list[dict[int, int]],
            facilitators: dict[int, int | None], regular: bool) -> Plan:
    rounds = tuple(held + placed)
    forced = -(-len(rounds) // len(tables))  # a table more often than this is a repeat the room did not force
    repeats = []
    present = {p.id for p in people}
    for person in sorted(present):
        seen: dict[int, int] = defaultdict(int)
        for round_ in rounds:
            if person in round_:
                seen[round_[person]] += 1
        limit = 1 if len(rounds) <= len(tables) else forced
        repeats += [(person, table) for table, n in sorted(seen.items()) if n > limit]
    together: dict[tuple[int, int], int] = defaultdict(int)
    for round_ in placed:
        groups: dict[int, list[int]] = defaultdict(list)
        for person, table in sorted(round_.items()):
            groups[table].append(person)
        for group in groups.values():
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    together[(a, b)] += 1
    met_again = sum(n - 1 for n in together.values() if n > 1)
    return Plan(rounds=rounds, facilitators=facilitators, repeats=tuple(repeats), met_again=met_again, regular=regular)
