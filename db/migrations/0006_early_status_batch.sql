-- Version 6: statuses that overtook the ledger write (delivery_status_early,
-- migration 0005) are applied once per statement instead of once per row.
-- The dispatcher writes thousands of ledger rows a second in batches; a
-- row trigger ran a PL/pgSQL lookup for each, almost always to find the
-- table empty. Now one check per statement, and when there is something
-- to apply, one join over the statement's rows. As for webhooks
-- (delivery_status_apply), the furthest status wins and only moves forward.

DROP TRIGGER deliveries_early_status ON deliveries;
DROP FUNCTION deliveries_apply_early();

CREATE FUNCTION deliveries_apply_early_batch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Statement triggers fire for no rows too, and the UPDATE below fires
    -- this one again: it stops where the statement's rows have no early
    -- status (at once, normally: the table is empty).
    IF NOT EXISTS (SELECT 1 FROM delivery_status_early) OR NOT EXISTS
       (SELECT 1 FROM delivery_status_early e JOIN changed c USING (provider_message_id))
    THEN
        RETURN NULL;
    END IF;
    WITH taken AS (
        DELETE FROM delivery_status_early e
         USING changed c
         WHERE e.provider_message_id = c.provider_message_id
        RETURNING e.provider_message_id, e.status, e.error_code, e.error_detail),
    best AS (
        SELECT DISTINCT ON (provider_message_id) *
          FROM taken
         ORDER BY provider_message_id, delivery_status_rank(status) DESC)
    UPDATE deliveries d
       SET status = b.status,
           error_code = CASE WHEN b.status = 'failed' THEN b.error_code ELSE d.error_code END,
           error_detail = CASE WHEN b.status = 'failed' THEN b.error_detail
                               ELSE d.error_detail END,
           updated_at = now()
      FROM best b
     WHERE d.provider_message_id = b.provider_message_id
       AND delivery_status_forward(d.status, b.status);
    RETURN NULL;
END $$;

-- INSERT ... ON CONFLICT DO UPDATE fires both: inserted rows in one, updated in the other.
CREATE TRIGGER deliveries_early_status_ins AFTER INSERT ON deliveries
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION deliveries_apply_early_batch();
CREATE TRIGGER deliveries_early_status_upd AFTER UPDATE ON deliveries
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION deliveries_apply_early_batch();
