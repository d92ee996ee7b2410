"""The pure core of voting: ballot validation and tallies, with property tests."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dugnad.voting.rules import BallotError, Criterion, PollRules
from dugnad.voting.tally import (
    tally_approval,
    tally_borda,
    tally_consent,
    tally_dot,
    tally_irv,
    tally_matrix,
    tally_ranked,
    tally_score,
    tally_single,
    validate_approval,
    validate_consent,
    validate_dot,
    validate_matrix,
    validate_ranked,
    validate_score,
    validate_single,
)

FAST = settings(max_examples=200, deadline=None)
OPTIONS = ("a", "b", "c", "d")


def rules(method, **kw):
    return PollRules(method=method, options=kw.pop("options", OPTIONS), **kw)


options_st = st.integers(min_value=1, max_value=5).map(lambda n: tuple(range(1, n + 1)))


@st.composite
def dot_profile(draw):
    opts = draw(options_st)
    dots = draw(st.integers(1, 4))
    ballots = []
    for _ in range(draw(st.integers(0, 12))):
        ballot = {}
        left = draw(st.integers(0, dots))
        while left:
            option = draw(st.sampled_from(opts))
            ballot[option] = ballot.get(option, 0) + 1
            left -= 1
        ballots.append(ballot)
    return PollRules("dot", opts, dots_per_person=dots), ballots


@st.composite
def ranked_profile(draw, complete=False):
    opts = draw(options_st)
    ballots = []
    for _ in range(draw(st.integers(0, 15))):
        order = list(draw(st.permutations(opts)))
        if not complete:
            order = order[: draw(st.integers(0, len(opts)))]
        ballots.append(order)
    return opts, ballots


def shuffled(ballots, seed):
    copy = list(ballots)
    random.Random(seed).shuffle(copy)
    return copy


# --- properties ---------------------------------------------------------------------------


@FAST
@given(dot_profile(), st.integers())
def test_dots_summed_equal_dots_used_and_order_does_not_matter(profile, seed):
    poll, ballots = profile
    for ballot in ballots:
        validate_dot(ballot, poll)
    result = tally_dot(ballots, poll)
    assert result.dots_used == sum(sum(b.values()) for b in ballots)
    assert result.ballots == len(ballots)
    assert tally_dot(shuffled(ballots, seed), poll) == result


@FAST
@given(options_st.flatmap(lambda o: st.tuples(st.just(o), st.lists(st.sampled_from(o), max_size=20))), st.integers())
def test_single_choice_counts_sum_to_ballots(profile, seed):
    opts, ballots = profile
    result = tally_single(ballots, opts)
    assert sum(row.value for row in result.rows) == len(ballots)
    assert tally_single(shuffled(ballots, seed), opts) == result
    top = max((row.value for row in result.rows), default=0)
    assert set(result.winners) == ({r.option for r in result.rows if r.value == top} if top else set())


@FAST
@given(options_st.flatmap(lambda o: st.tuples(st.just(o), st.lists(st.sets(st.sampled_from(o)), max_size=12))),
       st.integers())
def test_approval_counts_and_order(profile, seed):
    opts, ballots = profile
    result = tally_approval(ballots, opts)
    assert result.dots_used == sum(len(b) for b in ballots)
    assert tally_approval(shuffled(ballots, seed), opts) == result


@FAST
@given(ranked_profile(), st.integers())
def test_irv_and_borda_ignore_ballot_order(profile, seed):
    opts, ballots = profile
    for variant in ("irv", "borda"):
        poll = PollRules("ranked", opts, ranked_variant=variant)
        assert tally_ranked(shuffled(ballots, seed), poll) == tally_ranked(ballots, poll)


@FAST
@given(ranked_profile())
def test_irv_rounds_are_consistent(profile):
    opts, ballots = profile
    result = tally_irv(ballots, opts)
    for rnd in result.rounds:
        assert sum(v for _, v in rnd.counts) + rnd.exhausted == len(ballots)
    assert [r.eliminated for r in result.rounds[:-1]] == [r.eliminated for r in result.rounds[:-1] if r.eliminated]
    assert sorted(row.option for row in result.rows) == sorted(opts)
    assert set(result.winners) <= set(opts)
    if any(ballots):
        assert result.winners


@FAST
@given(ranked_profile())
def test_irv_elects_a_majority_first_preference_in_round_one(profile):
    opts, ballots = profile
    # give the first option a strict majority of first preferences
    ballots = ballots + [[opts[0]]] * (len(ballots) + 1)
    result = tally_irv(ballots, opts)
    assert result.winners == (opts[0],)
    assert len(result.rounds) == 1 and result.rounds[0].eliminated is None


@FAST
@given(ranked_profile(complete=True))
def test_irv_elects_a_condorcet_winner_with_a_majority(profile):
    opts, ballots = profile
    if not ballots:
        return
    firsts = [b[0] for b in ballots]
    top = max(set(firsts), key=firsts.count)
    if 2 * firsts.count(top) <= len(ballots):
        return
    beats = all(sum(b.index(top) < b.index(o) for b in ballots) * 2 > len(ballots) for o in opts if o != top)
    assert beats  # a majority first choice is always the Condorcet winner
    assert tally_irv(ballots, opts).winners == (top,)


@FAST
@given(ranked_profile(complete=True))
def test_borda_totals_equal_ballots_times_n_n_minus_1_over_2(profile):
    opts, ballots = profile
    n = len(opts)
    result = tally_borda(ballots, opts)
    assert sum(row.value for row in result.rows) == len(ballots) * n * (n - 1) // 2


@FAST
@given(options_st.flatmap(lambda o: st.tuples(
    st.just(o), st.lists(st.dictionaries(st.sampled_from(o), st.integers(0, 5)), max_size=12))), st.integers())
def test_score_totals_and_order(profile, seed):
    opts, ballots = profile
    poll = PollRules("score", opts)
    for ballot in ballots:
        validate_score(ballot, poll)
    result = tally_score(ballots, poll)
    assert sum(row.total for row in result.rows) == sum(sum(b.values()) for b in ballots)
    assert sum(row.count for row in result.rows) == sum(len(b) for b in ballots)
    assert tally_score(shuffled(ballots, seed), poll) == result


CRIT = (Criterion("x", "X", 2), Criterion("y", "Y", 1))


@FAST
@given(options_st.flatmap(lambda o: st.tuples(st.just(o), st.lists(
    st.dictionaries(st.sampled_from(o), st.fixed_dictionaries({"x": st.integers(0, 5), "y": st.integers(0, 5)})),
    max_size=10))), st.integers())
def test_matrix_order_does_not_matter(profile, seed):
    opts, ballots = profile
    poll = PollRules("matrix", opts, criteria=CRIT)
    for ballot in ballots:
        validate_matrix(ballot, poll)
    result = tally_matrix(ballots, poll)
    assert tally_matrix(shuffled(ballots, seed), poll) == result
    for row in result.rows:
        if row.count:
            means = dict(row.means)
            assert row.weighted_total == pytest.approx(2 * means["x"] + means["y"])


@FAST
@given(st.lists(st.sampled_from(["agree", "abstain", "disagree", "block"]), max_size=15), st.integers())
def test_consent_counts_and_order(positions, seed):
    ballots = [{"position": p, "reason": f"r{i}"} for i, p in enumerate(positions)]
    result = tally_consent(ballots)
    assert sum(result.counts.values()) == len(ballots)
    assert tally_consent(shuffled(ballots, seed)) == result


# --- validation messages -------------------------------------------------------------------


def refuses(validate, ballot, poll, message):
    with pytest.raises(BallotError) as err:
        validate(ballot, poll)
    assert str(err.value) == message
    assert isinstance(err.value, ValueError)


def test_dot_validation():
    validate_dot({"a": 1, "b": 1}, rules("dot"))
    validate_dot({"a": 2}, rules("dot"))
    refuses(validate_dot, {"a": 2, "b": 1}, rules("dot"), "You have 2 dots and used 3.")
    refuses(validate_dot, {"zz": 1}, rules("dot"), "“zz” is not an option in this poll.")
    refuses(validate_dot, {"a": 2}, rules("dot", stacking=False),
            "You can put only one dot on each option; “a” has 2.")
    refuses(validate_dot, {"a": 3}, rules("dot", dots_per_person=3, max_per_option=2),
            "You can put at most 2 dots on one option; “a” has 3.")
    refuses(validate_dot, {"a": -1}, rules("dot"), "The dots on “a” must be a whole number, zero or more.")


def test_other_validations():
    refuses(validate_approval, ["a", "b", "c"], rules("approval", max_approvals=2),
            "You can tick at most 2 options and ticked 3.")
    refuses(validate_single, "e", rules("single"), "“e” is not an option in this poll.")
    refuses(validate_ranked, ["a", "a"], rules("ranked"), "Each option can appear only once in your ranking.")
    refuses(validate_score, {"a": 6}, rules("score"), "The score for “a” must be between 0 and 5; you gave 6.")
    refuses(validate_score, {"a": -1}, rules("score"), "The score for “a” must be between 0 and 5; you gave -1.")
    refuses(validate_consent, {"position": "block", "reason": " "}, None, "Please give a reason when you block.")
    refuses(validate_consent, {"position": "disagree"}, None, "Please give a reason when you disagree.")
    refuses(validate_consent, {"position": "maybe"}, None, "Choose agree, abstain, disagree or block.")
    validate_consent({"position": "agree"})
    validate_ranked(["b"], rules("ranked"))
    validate_ranked([], rules("ranked"))


def test_matrix_validation():
    poll = rules("matrix")
    full = {"effect": 4, "cost": 3, "capacity": 2, "fit": 5}
    validate_matrix({"a": full}, poll)
    refuses(validate_matrix, {"a": {"effect": 4, "cost": 3, "capacity": 2}}, poll,
            "“a” has no score for “Fit with existing services”.")
    refuses(validate_matrix, {"a": {**full, "fit": 9}}, poll,
            "The score for “a” on “Fit with existing services” must be between 0 and 5; you gave 9.")
    refuses(validate_matrix, {"q": full}, poll, "“q” is not an option in this poll.")
    assert [c.key for c in poll.criteria] == ["effect", "cost", "capacity", "fit"]


# --- examples ---------------------------------------------------------------------------------


def test_dot_ties_show_as_ties():
    result = tally_dot([{"a": 1, "b": 1}, {"c": 1, "a": 1}, {"b": 2}], rules("dot"))
    assert [(r.option, r.value, r.rank) for r in result.rows] == [("b", 3, 1), ("a", 2, 2), ("c", 1, 3), ("d", 0, 4)]
    tied = tally_dot([{"a": 1, "b": 1}, {"b": 1, "a": 1}], rules("dot"))
    assert [(r.option, r.rank) for r in tied.rows] == [("a", 1), ("b", 1), ("c", 3), ("d", 3)]
    assert tied.winners == ("a", "b")
    assert tally_dot([], rules("dot")).winners == ()


def test_single_choice_tie_has_several_winners():
    assert tally_single(["a", "b", "b", "a", "c"], OPTIONS).winners == ("a", "b")


def test_irv_transfers_and_reports_rounds():
    ballots = [["a", "b"]] * 4 + [["b", "a"]] * 3 + [["c", "b"]] * 2
    result = tally_irv(ballots, ("a", "b", "c"))
    assert [dict(r.counts) for r in result.rounds] == [{"a": 4, "b": 3, "c": 2}, {"a": 4, "b": 5}]
    assert [r.eliminated for r in result.rounds] == ["c", None]
    assert result.winners == ("b",)
    assert [(r.option, r.value, r.rank) for r in result.rows] == [("b", 5, 1), ("a", 4, 2), ("c", 2, 3)]


def test_irv_elimination_tie_break_looks_at_earlier_rounds_then_option_order():
    # Round 1: a 3, b 2, c 1, d 1 -> c, d never differ -> d (listed last) out;
    # round 2: a 3, b 2, c 2 -> c had fewer in round 1 -> c out; round 3: a 3 of 5 wins.
    ballots = [["a"]] * 3 + [["b"]] * 2 + [["c"]] + [["d", "c"]]
    result = tally_irv(ballots, ("a", "b", "c", "d"))
    assert [r.eliminated for r in result.rounds] == ["d", "c", None]
    # never different: the option listed last goes first
    result = tally_irv([["a"], ["b"], ["c"], ["c"], ["c"], ["a", "c"], ["b", "c"]], ("a", "b", "c"))
    assert result.rounds[0].eliminated == "b"


def test_irv_final_tie_shows_as_a_tie():
    result = tally_irv([["a"], ["b"]], ("a", "b"))
    assert result.winners == ("a", "b")
    assert [r.rank for r in result.rows] == [1, 1]
    assert tally_irv([], ("a", "b")).winners == ()


def test_borda_partial_ballots_and_variant_switch():
    poll = PollRules("ranked", ("a", "b", "c"), ranked_variant="borda")
    result = tally_ranked([["a", "b", "c"], ["b"], []], poll)
    assert {r.option: r.value for r in result.rows} == {"a": 2, "b": 3, "c": 0}
    assert result.winners == ("b",)


def test_score_means_and_ties():
    result = tally_score([{"a": 4, "b": 2}, {"a": 2, "b": 4}, {"c": 1}], rules("score"))
    rows = {r.option: (r.total, r.count, r.mean, r.rank) for r in result.rows}
    assert rows == {"a": (6, 2, 3.0, 1), "b": (6, 2, 3.0, 1), "c": (1, 1, 1.0, 3), "d": (0, 0, None, 4)}
    assert result.winners == ("a", "b")


def test_consent_outcomes_and_reasons():
    agree = {"position": "agree"}
    disagree = {"position": "disagree", "reason": "Too costly"}
    block = {"position": "block", "reason": "Breaks the law"}
    assert tally_consent([agree, agree, disagree]).outcome == "agreed"
    assert tally_consent([agree, disagree]).outcome == "not agreed"
    result = tally_consent([agree, agree, agree, disagree, block])
    assert result.outcome == "blocked"
    assert result.counts == {"agree": 3, "abstain": 0, "disagree": 1, "block": 1}
    assert result.reasons == (("block", "Breaks the law"), ("disagree", "Too costly"))


def test_matrix_weighted_totals_and_ties():
    poll = PollRules("matrix", ("a", "b", "c"), criteria=(Criterion("e", "Effect", 2), Criterion("k", "Cost", 1)))
    result = tally_matrix([{"a": {"e": 4, "k": 1}, "b": {"e": 3, "k": 3}, "c": {"e": 0, "k": 0}},
                           {"a": {"e": 2, "k": 3}, "b": {"e": 3, "k": 3}}], poll)
    rows = {r.option: (dict(r.means), r.weighted_total, r.rank) for r in result.rows}
    assert rows["a"] == ({"e": 3.0, "k": 2.0}, 8.0, 2)
    assert rows["b"] == ({"e": 3.0, "k": 3.0}, 9.0, 1)
    assert rows["c"] == ({"e": 0.0, "k": 0.0}, 0.0, 3)
    tie = tally_matrix([{"a": {"e": 1, "k": 2}, "b": {"e": 0, "k": 4}}], poll)
    assert tie.winners == ("a", "b") and [r.rank for r in tie.rows] == [1, 1, 3]


def test_the_plugin_registers_seven_methods(app):
    methods = app.extensions["dugnad.plugins"].registry.poll_methods
    assert {"dot", "approval", "single", "ranked", "score", "consent", "matrix"} <= set(methods)
    assert str(methods["dot"].label) == "Dot voting"
    assert methods["dot"].tally([{"a": 2}], ["a", "b"]).winners == ("a",)
    with pytest.raises(ValueError, match="You have 2 dots and used 3."):
        methods["dot"].validate({"a": 3}, PollRules("dot", ("a",)))
