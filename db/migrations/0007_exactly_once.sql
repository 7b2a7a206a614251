-- Version 7: exactly once under scaling and faults.
--
-- Any number of composers and dispatchers may run at once, join and leave.
-- Work that must be done by one of them at a time is claimed in
-- PostgreSQL by an *instance* (one running process), and a claim counts
-- only while its instance is alive: it beats every second or two, and a
-- claim whose instance has not beaten for its lease may be taken over.
-- PostgreSQL's clock decides (now()), so hosts' clocks never matter.

CREATE TABLE service_instances (
    id           uuid PRIMARY KEY,
    service      text NOT NULL,           -- composer, dispatcher
    name         text NOT NULL,           -- host:port, the same across restarts of one pod
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    lease_ms     integer NOT NULL CHECK (lease_ms > 0),
    stopped_at   timestamptz              -- a clean stop: its claims are free at once
);
CREATE INDEX service_instances_name ON service_instances (service, name)
    WHERE stopped_at IS NULL;

-- true while the instance holds its claims: not stopped, and beaten
-- within its lease.
CREATE FUNCTION instance_live(p uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM service_instances i
                    WHERE i.id = p AND i.stopped_at IS NULL
                      AND i.heartbeat_at + make_interval(secs => i.lease_ms / 1000.0) > now())
$$;

-- The delivery ledger claims a job before its request goes out: status
-- 'claimed', by which instance (claimed_by) and which of its claims
-- (claim_gen, unique within the instance). Another dispatcher never sends
-- a job whose claim is live; a dead instance's claim is taken over
-- (claim_takeover records that the dead one may have sent it). A claim
-- released without a send (a retry, a revoked partition) has claimed_by
-- NULL and may be taken by anyone.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries
    ADD CONSTRAINT deliveries_status_check
        CHECK (status IN ('claimed', 'sent', 'delivered', 'read', 'failed', 'skipped',
                          'dead', 'held'));
ALTER TABLE deliveries
    ADD COLUMN claimed_by     uuid,
    ADD COLUMN claim_gen      bigint,
    ADD COLUMN claimed_at     timestamptz,
    ADD COLUMN claim_takeover boolean NOT NULL DEFAULT false;
-- Every claim is followed by the update that records the outcome. That
-- update is made cheap (HOT: no index touched, the new version on the same
-- page) by indexing no column it changes -- the provider's message id,
-- looked up by status webhooks, gets a table of its own, written once
-- when the message is sent -- and by leaving room on each page for the
-- new versions of its rows: half of it (measured on 40,000 claims: 80 %
-- of the updates HOT at fillfactor 50, 14 % at 85, and the recording a
-- third cheaper). The price is space: a page holds half as many rows.
ALTER TABLE deliveries SET (fillfactor = 50);

CREATE TABLE delivery_wamids (
    provider_message_id text PRIMARY KEY,
    job_id              text NOT NULL
);
INSERT INTO delivery_wamids (provider_message_id, job_id)
SELECT provider_message_id, job_id FROM deliveries WHERE provider_message_id IS NOT NULL
ON CONFLICT DO NOTHING;
DROP INDEX deliveries_provider_msg;

-- Statuses that overtook the ledger (delivery_status_early, migration 0005)
-- are applied when the message id is written, i.e. to delivery_wamids,
-- once per statement (as migration 0006 did on deliveries).
DROP TRIGGER deliveries_early_status_ins ON deliveries;
DROP TRIGGER deliveries_early_status_upd ON deliveries;
DROP FUNCTION deliveries_apply_early_batch();

CREATE FUNCTION delivery_wamids_apply_early() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM delivery_status_early) OR NOT EXISTS
       (SELECT 1 FROM delivery_status_early e JOIN added a USING (provider_message_id))
    THEN
        RETURN NULL;
    END IF;
    WITH taken AS (
        DELETE FROM delivery_status_early e
         USING added a
         WHERE e.provider_message_id = a.provider_message_id
        RETURNING a.job_id, e.status, e.error_code, e.error_detail),
    best AS (
        SELECT DISTINCT ON (job_id) *
          FROM taken
         ORDER BY job_id, delivery_status_rank(status) DESC)
    UPDATE deliveries d
       SET status = b.status,
           error_code = CASE WHEN b.status = 'failed' THEN b.error_code ELSE d.error_code END,
           error_detail = CASE WHEN b.status = 'failed' THEN b.error_detail
                               ELSE d.error_detail END,
           updated_at = now()
      FROM best b
     WHERE d.job_id = b.job_id AND delivery_status_forward(d.status, b.status);
    RETURN NULL;
END $$;
CREATE TRIGGER delivery_wamids_early_status AFTER INSERT ON delivery_wamids
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION delivery_wamids_apply_early();

-- Webhook statuses find their ledger row through delivery_wamids.
CREATE OR REPLACE FUNCTION delivery_status_apply(p_ids text[], p_status text[], p_codes integer[],
                                                 p_details text[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    WITH s AS (
        SELECT DISTINCT ON (u.id) u.id, u.status, u.code, u.detail
          FROM unnest(p_ids, p_status, p_codes, p_details) AS u(id, status, code, detail)
         WHERE u.status IN ('delivered', 'read', 'failed') AND u.id <> ''
         ORDER BY u.id, delivery_status_rank(u.status) DESC)
    UPDATE deliveries d
       SET status = s.status,
           error_code = CASE WHEN s.status = 'failed' THEN s.code ELSE d.error_code END,
           error_detail = CASE WHEN s.status = 'failed' THEN s.detail ELSE d.error_detail END,
           updated_at = now()
      FROM s JOIN delivery_wamids w ON w.provider_message_id = s.id
     WHERE d.job_id = w.job_id AND delivery_status_forward(d.status, s.status);
    GET DIAGNOSTICS n = ROW_COUNT;

    INSERT INTO delivery_status_early (provider_message_id, status, error_code, error_detail)
    SELECT u.id, u.status, u.code, u.detail
      FROM unnest(p_ids, p_status, p_codes, p_details) AS u(id, status, code, detail)
     WHERE u.status IN ('delivered', 'read', 'failed') AND u.id <> ''
       AND NOT EXISTS (SELECT 1 FROM delivery_wamids w WHERE w.provider_message_id = u.id)
    ON CONFLICT DO NOTHING;
    RETURN n;
END $$;

-- A notice is fanned out by one composer at a time: fanout_owner (its
-- instance) and fanout_epoch (raised by every claim). Every checkpoint
-- names both, so a composer that lost its claim (paused, partitioned,
-- killed) cannot move the checkpoint or count recipients again.
ALTER TABLE notices
    ADD COLUMN fanout_owner uuid,
    ADD COLUMN fanout_epoch bigint NOT NULL DEFAULT 0;

-- Provider statuses that name our job (WhatsApp's biz_opaque_callback_data)
-- also settle a claimed row: the provider accepted that request, so a
-- dispatcher taking a dead one's claim over finds it sent and does not
-- send it again. Otherwise as delivery_status_apply (migration 0005).
CREATE FUNCTION delivery_status_apply_jobs(p_ids text[], p_status text[], p_codes integer[],
                                           p_details text[], p_jobs text[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
    m integer;
BEGIN
    WITH s AS (
        SELECT DISTINCT ON (u.job) u.job, u.id, u.status, u.code, u.detail
          FROM unnest(p_ids, p_status, p_codes, p_details, p_jobs)
               AS u(id, status, code, detail, job)
         WHERE u.status IN ('sent', 'delivered', 'read', 'failed') AND u.id <> ''
           AND coalesce(u.job, '') <> ''
         ORDER BY u.job, delivery_status_rank(u.status) DESC)
    , settled AS (
    UPDATE deliveries d
       SET status = s.status, provider_message_id = s.id,
           error_code = CASE WHEN s.status = 'failed' THEN s.code ELSE d.error_code END,
           error_detail = CASE WHEN s.status = 'failed' THEN s.detail ELSE d.error_detail END,
           updated_at = now()
      FROM s
     WHERE d.job_id = s.job AND d.status = 'claimed'
    RETURNING d.job_id, s.id)
    INSERT INTO delivery_wamids (provider_message_id, job_id)
    SELECT id, job_id FROM settled ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS m = ROW_COUNT;
    n := delivery_status_apply(p_ids, p_status, p_codes, p_details);
    RETURN n + m;
END $$;

-- A sender's rate is the channel's own when set: a WhatsApp number's
-- (80/s by default, up to 1,000), or a Telegram bot's that may go faster
-- than the usual 30/s (paid broadcasts). NULL: the provider's default
-- (the dispatcher's BND_TG_RATE for a bot). Bots had 80 stored, unused.
ALTER TABLE channels ALTER COLUMN rate_per_sec DROP NOT NULL;
ALTER TABLE channels ALTER COLUMN rate_per_sec DROP DEFAULT;
UPDATE channels SET rate_per_sec = NULL WHERE kind = 'telegram';
UPDATE channels SET rate_per_sec = 80 WHERE kind = 'whatsapp' AND rate_per_sec IS NULL;
