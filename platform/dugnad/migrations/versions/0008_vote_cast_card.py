"""vote: a voting card's ballot in one round trip (PostgreSQL function dugnad_cast_card)

Revision ID: 0008_vote
Revises: 0007_login_sessions
Create Date: 2026-12-04

``dugnad_cast_card`` does in the database what ``voting.service.cast`` does in 8 round
trips, for a card's ballot of a core method (dot, approval, single choice): it finds the
card by its code's hash, checks that this device holds it and that it is not withdrawn,
holds the poll row FOR SHARE (closing waits for it) and checks the poll is open and of
that method, checks the ballot against the poll's options and rules, upserts the ballot
and replaces its marks. It answers ``stored`` or why not; on anything but ``stored`` it
has written nothing, and the app falls back to the general path, which gives the
message (``voting.fastcast``).

SECURITY INVOKER (the default): row-level security applies to every statement in it,
with the tenant the transaction set (``SET LOCAL app.tenant_id``). Every statement
names ``tenant_id = p_tenant`` as well, so on Citus (``tenant_id`` the distribution
column) each statement is routed to the municipality's one shard; the function could
also be pushed down to that node with ``create_distributed_function(…, 'p_tenant')``.
SQLite (the embedded demo) runs the same steps as a short transaction in Python.
"""
from alembic import op


revision = '0008_vote'
down_revision = '0007_login_sessions'
branch_labels = None
depends_on = None

SIGNATURE = ("dugnad_cast_card(integer, text, text[], text, integer[], integer[], json, integer, timestamp, "
             "bigint, bigint[])")

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
    stacking boolean;
    ballot bigint;
BEGIN
    SELECT v.id, v.poll_id, v.device_hash, v.revoked_at INTO card
      FROM poll_voter v WHERE v.tenant_id = p_tenant AND v.token_hash = p_token_hash;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'unknown', NULL::boolean, NULL::boolean; RETURN;
    END IF;
    IF card.revoked_at IS NOT NULL OR card.device_hash IS NULL OR NOT card.device_hash = ANY (p_devices) THEN
        RETURN QUERY SELECT 'device', NULL::boolean, NULL::boolean; RETURN;
    END IF;
    -- FOR SHARE: closing (an UPDATE of this row) waits for this ballot, and a ballot after the close sees it closed
    SELECT p.status, p.opens_at, p.closes_at, p.method, p.settings, p.anonymous, p.allow_change INTO poll_row
      FROM poll p WHERE p.tenant_id = p_tenant AND p.id = card.poll_id FOR SHARE;
    IF poll_row.status <> 'open' OR (poll_row.opens_at IS NOT NULL AND p_now < poll_row.opens_at)
       OR (poll_row.closes_at IS NOT NULL AND p_now >= poll_row.closes_at) THEN
        RETURN QUERY SELECT 'not_open', NULL::boolean, NULL::boolean; RETURN;
    END IF;
    IF poll_row.method <> p_method OR cardinality(p_options) <> cardinality(p_values) THEN
        RETURN QUERY SELECT 'method', NULL::boolean, NULL::boolean; RETURN;
    END IF;
    -- every option once, each an option of this poll that is not withdrawn; every value at least 1
    IF (SELECT count(DISTINCT o) FROM unnest(p_options) o) <> cardinality(p_options)
       OR (SELECT count(*) FROM poll_option o WHERE o.tenant_id = p_tenant AND o.poll_id = card.poll_id
             AND o.withdrawn_at IS NULL AND o.id = ANY (p_options)) <> cardinality(p_options)
       OR EXISTS (SELECT 1 FROM unnest(p_values) v WHERE v IS NULL OR v < 1) THEN
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
        most := (SELECT max(v) FROM unnest(p_values) v);
        IF coalesce((SELECT sum(v) FROM unnest(p_values) v), 0) > budget
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
           OR EXISTS (SELECT 1 FROM unnest(p_values) v WHERE v <> 1) THEN
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
            RETURNING b.id INTO ballot;
        ELSE
            INSERT INTO poll_ballot (tenant_id, poll_id, voter_id, content, weight, on_paper, entered_by_id,
                                     cast_at, updated_at)
            VALUES (p_tenant, card.poll_id, card.id, p_content, p_weight, false, NULL, p_now, p_now)
            ON CONFLICT (tenant_id, poll_id, voter_id) DO NOTHING
            RETURNING id INTO ballot;
            IF ballot IS NULL THEN
                RETURN QUERY SELECT 'already', poll_row.allow_change, poll_row.anonymous; RETURN;
            END IF;
        END IF;
        DELETE FROM poll_mark WHERE tenant_id = p_tenant AND poll_id = card.poll_id AND ballot_id = ballot;
        INSERT INTO poll_mark (tenant_id, poll_id, ballot_id, option_id, criterion, value)
        SELECT p_tenant, card.poll_id, ballot, m.option_id, '', m.value
          FROM unnest(p_options, p_values) AS m (option_id, value);
        UPDATE poll_voter SET has_voted = true WHERE tenant_id = p_tenant AND poll_id = card.poll_id AND id = card.id;
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
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
