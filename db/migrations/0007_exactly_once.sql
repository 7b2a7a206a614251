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
-- Room on each page for the update that follows every claim.
ALTER TABLE deliveries SET (fillfactor = 85);

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
    UPDATE deliveries d
       SET status = s.status, provider_message_id = s.id,
           error_code = CASE WHEN s.status = 'failed' THEN s.code ELSE d.error_code END,
           error_detail = CASE WHEN s.status = 'failed' THEN s.detail ELSE d.error_detail END,
           updated_at = now()
      FROM s
     WHERE d.job_id = s.job AND d.status = 'claimed';
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
