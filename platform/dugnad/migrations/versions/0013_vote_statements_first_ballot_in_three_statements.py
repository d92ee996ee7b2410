"""vote statements: a card's first ballot in three statements inside the function, not nine

Revision ID: 0013_vote_statements
Revises: 0012_vote_checks
Create Date: 2026-12-05

Each statement ``dugnad_cast_card`` (0012) runs goes through the SQL executor (start, run,
finish), 500 times in a burst, and the function ran nine for a first ballot: the card, the
lock, the poll, the checks over the marks, the ballot, its marks, the card's row, and a
``RETURN QUERY SELECT`` for the answer. Now the lock is taken in the statement that reads
the card (only when this device holds it, as before), the poll is read in the statement
that checks the marks (after the lock, in a snapshot of its own, as before), and a ballot
that is new is stored with its marks and the card's ``has_voted`` in one statement of
data-modifying CTEs. A change of mind (the upsert found a ballot) still removes the old
marks before it writes the new ones, in statements of their own: one statement cannot
delete and insert the same unique marks. The answer is the function's OUT columns, set
and returned without a query. The backend's CPU time per first ballot, sent as
``voting.fastcast`` sends it: about a fifth less in a loop on one connection, a few per
cent with four connections at once, where the commit's WAL flush, the nine foreign-key
checks of a ballot with two marks and the index writes weigh most.

The checks, their order and the outcomes are 0012's; an anonymous ballot is stored by
0012's statements.
"""
from alembic import op


revision = '0013_vote_statements'
down_revision = '0012_vote_checks'
branch_labels = None
depends_on = None

FUNCTION = r"""
CREATE OR REPLACE FUNCTION dugnad_cast_card(
    p_tenant integer, p_token_hash text, p_devices text[], p_method text,
    p_options integer[], p_values integer[], p_content json, p_weight integer, p_now timestamp,
    p_ballot_id bigint, p_mark_ids bigint[])
RETURNS TABLE (outcome text, allow_change boolean, anonymous boolean)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    card record;
    poll_row record;
    rules jsonb;
    budget numeric;
    stacking boolean;
    ballot bigint;
    fresh boolean;
BEGIN
    -- the card, and if this device holds it, the poll's lock, shared (no row lock, no
    -- MultiXact): a change of what a ballot is checked against takes it exclusively
    -- (voting.models), so it waits for this ballot's transaction
    SELECT v.id, v.poll_id, v.has_voted,
           (v.revoked_at IS NOT NULL OR v.device_hash IS NULL OR NOT v.device_hash = ANY (p_devices)) AS refused,
           CASE WHEN v.revoked_at IS NOT NULL OR v.device_hash IS NULL OR NOT v.device_hash = ANY (p_devices)
                THEN NULL ELSE pg_advisory_xact_lock_shared(1886350444, v.poll_id) END AS locked
      INTO card
      FROM poll_voter v WHERE v.tenant_id = p_tenant AND v.token_hash = p_token_hash;
    IF NOT FOUND THEN
        outcome := 'unknown'; RETURN NEXT; RETURN;
    END IF;
    IF card.refused THEN
        outcome := 'device'; RETURN NEXT; RETURN;
    END IF;
    -- the poll, read after the lock in a snapshot of its own (so a ballot after a change
    -- such as a close sees it), and the ballot's marks against its options: every option
    -- once, each an option of this poll that is not withdrawn; every value at least 1; the
    -- sum, the largest value and whether any is not 1
    SELECT p.status, p.opens_at, p.closes_at, p.method, p.settings, p.anonymous, p.allow_change,
           m.distinct_options, m.known_options, m.below_one, m.total, m.most, m.not_one
      INTO poll_row
      FROM (SELECT count(DISTINCT m.option_id) AS distinct_options, count(o.id) AS known_options,
                   coalesce(bool_or(m.value IS NULL OR m.value < 1), false) AS below_one,
                   coalesce(sum(m.value), 0) AS total, max(m.value) AS most,
                   coalesce(bool_or(m.value <> 1), false) AS not_one
              FROM unnest(p_options, p_values) AS m (option_id, value)
              LEFT JOIN poll_option o ON o.tenant_id = p_tenant AND o.poll_id = card.poll_id
                                     AND o.withdrawn_at IS NULL AND o.id = m.option_id) AS m
      LEFT JOIN poll p ON p.tenant_id = p_tenant AND p.id = card.poll_id;
    IF poll_row.status <> 'open' OR (poll_row.opens_at IS NOT NULL AND p_now < poll_row.opens_at)
       OR (poll_row.closes_at IS NOT NULL AND p_now >= poll_row.closes_at) THEN
        outcome := 'not_open'; RETURN NEXT; RETURN;
    END IF;
    IF poll_row.method <> p_method OR cardinality(p_options) <> cardinality(p_values) THEN
        outcome := 'method'; RETURN NEXT; RETURN;
    END IF;
    IF poll_row.distinct_options <> cardinality(p_options) OR poll_row.known_options <> cardinality(p_options)
       OR poll_row.below_one THEN
        outcome := 'ballot'; RETURN NEXT; RETURN;
    END IF;
    -- the method's rules, read from the poll's settings as PollRules reads them; a setting
    -- of an unexpected shape sends the ballot to the general path ('rules')
    rules := coalesce(poll_row.settings::jsonb, '{}'::jsonb);
    IF p_method = 'dot' THEN
        IF coalesce(jsonb_typeof(rules -> 'dots_per_person'), 'number') <> 'number'
           OR coalesce(jsonb_typeof(rules -> 'max_per_option'), 'null') NOT IN ('null', 'number')
           OR coalesce(jsonb_typeof(rules -> 'stacking'), 'boolean') <> 'boolean' THEN
            outcome := 'rules'; RETURN NEXT; RETURN;
        END IF;
        budget := coalesce((rules ->> 'dots_per_person')::numeric, 2);
        stacking := coalesce((rules ->> 'stacking')::boolean, true);
        IF budget < 1 OR (rules ->> 'max_per_option')::numeric < 1 THEN  -- PollRules refuses these
            outcome := 'rules'; RETURN NEXT; RETURN;
        END IF;
        IF poll_row.total > budget
           OR (NOT stacking AND poll_row.most > 1)
           OR poll_row.most > (rules ->> 'max_per_option')::numeric THEN
            outcome := 'ballot'; RETURN NEXT; RETURN;
        END IF;
    ELSIF p_method = 'approval' THEN
        IF coalesce(jsonb_typeof(rules -> 'max_approvals'), 'null') NOT IN ('null', 'number')
           OR (rules ->> 'max_approvals')::numeric < 1 THEN
            outcome := 'rules'; RETURN NEXT; RETURN;
        END IF;
        IF cardinality(p_options) > (rules ->> 'max_approvals')::numeric
           OR poll_row.not_one THEN
            outcome := 'ballot'; RETURN NEXT; RETURN;
        END IF;
    ELSIF p_method = 'single' THEN
        IF cardinality(p_options) <> 1 OR p_values[1] <> 1 THEN
            outcome := 'ballot'; RETURN NEXT; RETURN;
        END IF;
    ELSE
        outcome := 'method'; RETURN NEXT; RETURN;
    END IF;

    allow_change := poll_row.allow_change;
    anonymous := poll_row.anonymous;
    IF poll_row.anonymous THEN
        -- nothing links the ballot to the card: has_voted flips once, and the ids are random
        UPDATE poll_voter SET has_voted = true
         WHERE tenant_id = p_tenant AND poll_id = card.poll_id AND id = card.id AND NOT has_voted;
        IF NOT FOUND THEN
            outcome := 'already'; RETURN NEXT; RETURN;
        END IF;
        INSERT INTO poll_ballot (tenant_id, id, poll_id, voter_id, content, weight, on_paper, entered_by_id)
        VALUES (p_tenant, p_ballot_id, card.poll_id, NULL, p_content, p_weight, false, NULL);
        INSERT INTO poll_mark (tenant_id, id, poll_id, ballot_id, option_id, criterion, value)
        SELECT p_tenant, m.id, card.poll_id, p_ballot_id, m.option_id, '', m.value
          FROM unnest(p_mark_ids, p_options, p_values) AS m (id, option_id, value);
    ELSIF poll_row.allow_change THEN
        -- one statement for a new ballot: the ballot, its marks (only when it is new: a
        -- change of mind has old marks to remove first, below) and the card's row (left
        -- alone on a change of mind, as the card read said)
        WITH b AS (
            INSERT INTO poll_ballot AS b (tenant_id, poll_id, voter_id, content, weight, on_paper, entered_by_id,
                                          cast_at, updated_at)
            VALUES (p_tenant, card.poll_id, card.id, p_content, p_weight, false, NULL, p_now, p_now)
            ON CONFLICT (tenant_id, poll_id, voter_id) DO UPDATE
               SET content = excluded.content, weight = excluded.weight, on_paper = false, entered_by_id = NULL,
                   updated_at = excluded.updated_at
            RETURNING b.id, (b.xmax = 0) AS fresh),  -- xmax 0: inserted, not updated
        marks AS (
            INSERT INTO poll_mark (tenant_id, poll_id, ballot_id, option_id, criterion, value)
            SELECT p_tenant, card.poll_id, b.id, m.option_id, '', m.value
              FROM b, unnest(p_options, p_values) AS m (option_id, value) WHERE b.fresh),
        voted AS (
            UPDATE poll_voter SET has_voted = true
             WHERE tenant_id = p_tenant AND poll_id = card.poll_id AND id = card.id AND NOT card.has_voted)
        SELECT b.id, b.fresh INTO ballot, fresh FROM b;
        IF NOT fresh THEN  -- a change of mind: the old marks go, the new ones come
            DELETE FROM poll_mark WHERE tenant_id = p_tenant AND poll_id = card.poll_id AND ballot_id = ballot;
            INSERT INTO poll_mark (tenant_id, poll_id, ballot_id, option_id, criterion, value)
            SELECT p_tenant, card.poll_id, ballot, m.option_id, '', m.value
              FROM unnest(p_options, p_values) AS m (option_id, value);
        END IF;
    ELSE
        -- one statement: the ballot if the card has none, its marks and the card's row
        WITH b AS (
            INSERT INTO poll_ballot (tenant_id, poll_id, voter_id, content, weight, on_paper, entered_by_id,
                                     cast_at, updated_at)
            VALUES (p_tenant, card.poll_id, card.id, p_content, p_weight, false, NULL, p_now, p_now)
            ON CONFLICT (tenant_id, poll_id, voter_id) DO NOTHING
            RETURNING id),
        marks AS (
            INSERT INTO poll_mark (tenant_id, poll_id, ballot_id, option_id, criterion, value)
            SELECT p_tenant, card.poll_id, b.id, m.option_id, '', m.value
              FROM b, unnest(p_options, p_values) AS m (option_id, value)),
        voted AS (
            UPDATE poll_voter SET has_voted = true
             WHERE tenant_id = p_tenant AND poll_id = card.poll_id AND id = card.id AND NOT card.has_voted
               AND EXISTS (SELECT FROM b))
        SELECT b.id INTO ballot FROM b;
        IF ballot IS NULL THEN
            outcome := 'already'; RETURN NEXT; RETURN;
        END IF;
    END IF;
    outcome := 'stored'; RETURN NEXT;
END
$$
;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "_vote_0012", Path(__file__).with_name("0012_vote_checks_one_statement_over_the_marks.py"))
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute(previous.FUNCTION)  # 0012's function: a statement per step
