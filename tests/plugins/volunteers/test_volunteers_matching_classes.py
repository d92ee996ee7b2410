"""A broad need whose dozen with the best score is not there (a role few want, a time few are
free): the rest is found by a few bounded walks (those without the wish by their class, those
who want it and those with tasks that month scored) instead of scoring everyone. The answer is
the same as scoring everyone, on banks drawn at random, for every list length."""

from __future__ import annotations

import random

import pytest

from dugnad.extensions import db
from dugnad_volunteers import configuration, matching, needs
from dugnad_volunteers.models import Need, VolunteerInterest
from tests.plugins.volunteers.test_volunteers_matching_ranking import populate, ranking_before
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401
    bank,
    beta_bank,
    in_tenant,
    need_values,
    next_weekday,
)

SHAPES = {
    "a role three want, in an area": dict(wanted_by=3, area=True, hour=10),
    "a role three want, anywhere": dict(wanted_by=3, area=False, hour=10),
    "a role nobody wants, in an area": dict(wanted_by=0, area=True, hour=10),
    "a role a third want, at night": dict(wanted_by=None, area=True, hour=22),
}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("shape", SHAPES)
def test_the_ranking_without_a_full_dozen_is_the_same_as_scoring_everyone(app, world, bank, beta_bank, shape, seed):
    settings = SHAPES[shape]
    starts = next_weekday(2 + seed % 3, settings["hour"])
    with in_tenant(app, world.tenants["beta"]):
        theirs = set(populate(beta_bank, 40, seed=100 + seed, starts=starts))
        db.session.commit()
    with in_tenant(app, world.tenants["alpha"]):
        ids = populate(bank, 200, seed=seed, starts=starts)
        role = configuration.create_role({"name": f"Sjelden {seed}", "requires_certificate": False,
                                          "description": "Noe nesten ingen har lyst til."})
        chance = random.Random(seed)
        wanted_by = settings["wanted_by"]
        for volunteer_id in chance.sample(ids, len(ids) // 3 if wanted_by is None else wanted_by):
            db.session.add(VolunteerInterest(volunteer_id=volunteer_id, role_id=role.id))
        changes = dict(role_id=role.id, language=None, language_level=None)
        if not settings["area"]:
            changes["area_id"] = None
        need = needs.create(need_values(bank, starts_at=starts, **changes), None)
        db.session.commit()
        asked = [s.volunteer.id for s in matching.suggest(need, role, limit=2).suggestions]
        needs.ask(need, asked, None)  # those asked are left out from now on
        db.session.commit()
        need = db.session.get(Need, need.id)
        # with three (or no) wishes, no list longer than three has the best score throughout: the
        # walks for the rest answer (at 400, fewer than 400 score 5 without the wish: all scored)
        for limit in (1, 3, 12, 40, 400):
            before, eligible_before = ranking_before(need, role, limit)
            match = matching.suggest(need, role, limit=limit)
            now = [(s.volunteer.id, s.score) for s in match.suggestions]
            assert now == before, f"limit {limit}"
            assert match.eligible == eligible_before
            assert not set(asked) & {i for i, _s in now} and not theirs & {i for i, _s in now}
