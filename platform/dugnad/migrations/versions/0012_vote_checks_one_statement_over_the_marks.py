"""vote checks: the card ballot's checks over its marks in one statement

Revision ID: 0012_vote_checks
Revises: 0011_unique_once
Create Date: 2026-12-05

``dugnad_cast_card`` (0010) checked the ballot's marks with six statements of its own
(the options distinct, the options the poll's and not withdrawn, no value below 1, the
largest value, the sum, for approval no value but 1), each a round through the SQL
executor inside the function, 500 times in a burst. Now one statement over
``unnest(p_options, p_values)`` joined to the poll's options gives them all; the checks
and their order, the outcomes and everything else are 0010's (the poll's advisory lock
first, the poll read after it in a snapshot of its own).

Duplicate options: the join counts a known option once per mark, but a ballot with an
option twice is refused by the distinct count already, as before.
"""
from alembic import op


revision = '0012_vote_checks'
down_revision = '0011_unique_once'
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
    most numeric;
    total numeric;
    distinct_options bigint;
    known_options bigint;
    below_one boolean;
    not_one boolean;
    stacking boolean;
    ballot bigint;
    fresh boolean;
BEGIN
    SELECT v.id, v.poll_id, v.device_hash, v.revoked_at, v.has_voted INTO card
      FROM poll_voter v WHERE v.tenant_id = p_tenant AND v.token_hash = p_token_hash;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unknown', NULL::boolean, NULL::boolean; RETURN;
    END IF;
    IF card.revoked_at IS NOT NULL OR card.device_hash IS NULL OR NOT card.device_hash = ANY (p_devices) THEN
        RETURN QUERY SELECT 'device', NULL::boolean, NULL::boolean; RETURN;
    END IF;
    -- the poll's lock, shared (no row lock, no MultiXact): a change of what a ballot is
    -- checked against takes it exclusively (voting.models), so it waits for this ballot's
    -- transaction; the poll is read after the lock, in a snapshot of its own, so a ballot
    -- after the change (a close) sees it
    PERFORM pg_advisory_xact_lock_shared(1886350444, card.poll_id);
    SELECT p.status, p.opens_at, p.closes_at, p.method, p.settings, p.anonymous, p.allow_change INTO poll_row
      FROM poll p WHERE p.tenant_id = p_tenant AND p.id = card.poll_id;
    IF poll_row.status <> 'open' OR (poll_row.opens_at IS NOT NULL AND p_now < poll_row.opens_at)
       OR (poll_row.closes_at IS NOT NULL AND p_now >= poll_row.closes_at) THEN
        RETURN QUERY SELECT 'not_open', NULL::boolean, NULL::boolean; RETURN;
    END IF;
    IF poll_row.method <> p_method OR cardinality(p_options) <> cardinality(p_values) THEN
        RETURN QUERY SELECT 'method', NULL::boolean, NULL::boolean; RETURN;
    END IF;
    -- every option once, each an option of this poll that is not withdrawn; every value at
    -- least 1; and the sum, the largest value and whether any is not 1, for the rules below:
    -- one statement over the ballot's marks (0010 made one for each)
    SELECT count(DISTINCT m.option_id), count(o.id), coalesce(bool_or(m.value IS NULL OR m.value < 1), false),
           coalesce(sum(m.value), 0), max(m.value), coalesce(bool_or(m.value <> 1), false)
      INTO distinct_options, known_options, below_one, total, most, not_one
      FROM unnest(p_options, p_values) AS m (option_id, value)
      LEFT JOIN poll_option o ON o.tenant_id = p_tenant AND o.poll_id = card.poll_id AND o.withdrawn_at IS NULL
                             AND o.id = m.option_id;
    IF distinct_options <> cardinality(p_options) OR known_options <> cardinality(p_options) OR below_one THEN
        RETURN QUERY SELECT 'ballot', NULL::boolean, NULL::boolean; RETURN;
    END IF;
    -- the method's rules, read from the poll's settings as PollRules reads them; a setting
    -- of an unexpected shape sends the ballot to the general path ('rules')
    rules := coalesce(poll_row.settings::jsonb, '{}'::jsonb);
    IF p_method = 'dot' THEN
        IF coalesce(jsonb_typeof(rules -> 'dots_per_person'), 'number') <> 'number'
           OR coalesce(jsonb_typeof(rules -> 'max_per_option'), 'null') NOT IN ('null', 'number')
           OR coalesce(jsonb_typeof(rules -> 'stacking'), 'boolean') <> 'boolean' THEN
            RETURN QUERY SELECT 'rules', NULL::boolean, NULL::boolean; RETURN;
        END IF;
        budget := coalesce((rules ->> 'dots_per_person')::numeric, 2);
        stacking := coalesce((rules ->> 'stacking')::boolean, true);
        IF budget < 1 OR (rules ->> 'max_per_option')::numeric < 1 THEN  -- PollRules refuses these
            RETURN QUERY SELECT 'rules', NULL::boolean, NULL::boolean; RETURN;
        END IF;
        IF total > budget
           OR (NOT stacking AND most > 1)
           OR most > (rules ->> 'max_per_option')::numeric THEN
            RETURN QUERY SELECT 'ballot', NULL::boolean, NULL::boolean; RETURN;
        END IF;
    ELSIF p_method = 'approval' THEN
        IF coalesce(jsonb_typeof(rules -> 'max_approvals'), 'null') NOT IN ('null', 'number')
           OR (rules ->> 'max_approvals')::numeric < 1 THEN
            RETURN QUERY SELECT 'rules', NULL::boolean, NULL::boolean; RETURN;
        END IF;
        IF cardinality(p_options) > (rules ->> 'max_approvals')::numeric
           OR not_one THEN
            RETURN QUERY SELECT 'ballot', NULL::boolean, NULL::boolean; RETURN;
        END IF;
    ELSIF p_method = 'single' THEN
        IF cardinality(p_options) <> 1 OR p_values[1] <> 1 THEN
            RETURN QUERY SELECT 'ballot', NULL::boolean, NULL::boolean; RETURN;
        END IF;
    ELSE
        RETURN QUERY SELECT 'method', NULL::boolean, NULL::boolean; RETURN;
    END IF;

    IF poll_row.anonymous THEN
        -- nothing links the ballot to the card: has_voted flips once, and the ids are random
        UPDATE poll_voter SET has_voted = true
         WHERE tenant_id = p_tenant AND poll_id = card.poll_id AND id = card.id AND NOT has_voted;
        IF NOT FOUND THEN
            RETURN QUERY SELECT 'already', poll_row.allow_change, poll_row.anonymous; RETURN;
        END IF;
        INSERT INTO poll_ballot (tenant_id, id, poll_id, voter_id, content, weight, on_paper, entered_by_id)
        VALUES (p_tenant, p_ballot_id, card.poll_id, NULL, p_content, p_weight, false, NULL);
        INSERT INTO poll_mark (tenant_id, id, poll_id, ballot_id, option_id, criterion, value)
        SELECT p_tenant, m.id, card.poll_id, p_ballot_id, m.option_id, '', m.value
          FROM unnest(p_mark_ids, p_options, p_values) AS m (id, option_id, value);
    ELSE
        IF poll_row.allow_change THEN
            INSERT INTO poll_ballot AS b (tenant_id, poll_id, voter_id, content, weight, on_paper, entered_by_id,
                                          cast_at, updated_at)
            VALUES (p_tenant, card.poll_id, card.id, p_content, p_weight, false, NULL, p_now, p_now)
            ON CONFLICT (tenant_id, poll_id, voter_id) DO UPDATE
               SET content = excluded.content, weight = excluded.weight, on_paper = false, entered_by_id = NULL,
                   updated_at = excluded.updated_at
            RETURNING b.id, (b.xmax = 0) INTO ballot, fresh;  -- xmax 0: inserted, not updated
        ELSE
            INSERT INTO poll_ballot (tenant_id, poll_id, voter_id, content, weight, on_paper, entered_by_id,
                                     cast_at, updated_at)
            VALUES (p_tenant, card.poll_id, card.id, p_content, p_weight, false, NULL, p_now, p_now)
            ON CONFLICT (tenant_id, poll_id, voter_id) DO NOTHING
            RETURNING id INTO ballot;
            IF ballot IS NULL THEN
                RETURN QUERY SELECT 'already', poll_row.allow_change, poll_row.anonymous; RETURN;
            END IF;
            fresh := true;
        END IF;
        IF NOT fresh THEN  -- a change of mind: the old marks go; a new ballot has none
            DELETE FROM poll_mark WHERE tenant_id = p_tenant AND poll_id = card.poll_id AND ballot_id = ballot;
        END IF;
        INSERT INTO poll_mark (tenant_id, poll_id, ballot_id, option_id, criterion, value)
        SELECT p_tenant, card.poll_id, ballot, m.option_id, '', m.value
          FROM unnest(p_options, p_values) AS m (option_id, value);
        IF NOT card.has_voted THEN  -- a change of mind leaves the card's row alone
            UPDATE poll_voter SET has_voted = true WHERE tenant_id = p_tenant AND poll_id = card.poll_id AND id = card.id;
        END IF;
    END IF;
    RETURN QUERY SELECT 'stored', poll_row.allow_change, poll_row.anonymous;
END
$$;
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
        "_vote_0010", Path(__file__).with_name("0010_vote_lock_advisory_poll_lock.py"))
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute(previous.FUNCTION)  # 0010's function: a statement per check
