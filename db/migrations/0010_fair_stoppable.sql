-- Version 10: fair and stoppable delivery.
-- (0009 is another change's; migrations apply in name order.)

-- Jobs a sender cannot send soon wait here, not in a dispatcher's memory
-- and not in front of other senders' jobs in Kafka: beyond what its rate
-- sends in the next seconds, a sender's jobs are *deferred* (written here,
-- their Kafka offsets committed), and read back in order as its queue
-- drains; so are jobs not due yet (a retry's backoff, a held job's
-- messaging limit, a halted sender's). The dispatcher that owns the
-- sender's Kafka partition (src_partition, the same number in every job
-- topic: jobs are keyed by sender) serves them; the ledger's claims keep
-- two owners from both sending one.
CREATE TABLE delivery_backlog (
    job_id         text PRIMARY KEY,
    channel_id     bigint NOT NULL,
    src_partition  integer NOT NULL,
    notice_id      uuid,
    subscriber_id  bigint,
    purpose        text NOT NULL,
    urgent         boolean NOT NULL DEFAULT false,
    -- the order a sender sends them in: urgent first, then by when the job
    -- was first taken from Kafka, then as deferred
    first_seen_ms  bigint NOT NULL,
    seq            bigserial,
    not_before     timestamptz NOT NULL DEFAULT now(),
    job            bytea NOT NULL,           -- the DeliveryJob, packed
    deferred_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivery_backlog_order
    ON delivery_backlog (channel_id, urgent DESC, first_seen_ms, seq);
CREATE INDEX delivery_backlog_part ON delivery_backlog (src_partition, channel_id);
CREATE INDEX delivery_backlog_notice ON delivery_backlog (notice_id) WHERE notice_id IS NOT NULL;

-- A job stopped before it was sent (its notice cancelled): 'cancelled'.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries
    ADD CONSTRAINT deliveries_status_check
        CHECK (status IN ('claimed', 'sent', 'delivered', 'read', 'failed', 'skipped',
                          'dead', 'held', 'cancelled'));

-- A notice stays 'sending' until its last job is settled (sent to the
-- provider, failed, skipped or stopped), 'sent' only then; fanout_done_at
-- says its jobs are all in Kafka. 'paused' (from sending): nothing of it
-- is sent until resumed. Cancel is accepted up to 'sent' and stops the
-- jobs not yet sent.
ALTER TABLE notices DROP CONSTRAINT notices_status_check;
ALTER TABLE notices
    ADD CONSTRAINT notices_status_check
        CHECK (status IN ('draft', 'submitted', 'rejected', 'approved', 'scheduled',
                          'sending', 'paused', 'sent', 'cancelled'));
ALTER TABLE notices
    ADD COLUMN fanout_done_at timestamptz,
    ADD COLUMN paused_at      timestamptz;
-- The dispatchers look for stopped notices several times a second.
CREATE INDEX notices_stopped ON notices (updated_at) WHERE status IN ('paused', 'cancelled');
-- The public archive lists notices once fanned out (sent_at), sending or sent.
CREATE INDEX notices_published ON notices (comune_id, sent_at DESC)
    WHERE sent_at IS NOT NULL AND status IN ('sending', 'sent');
-- The composer looks for notices whose fan-out is over and whose jobs may be settled.
CREATE INDEX notices_settling ON notices (id) WHERE status = 'sending' AND fanout_done_at IS NOT NULL;

-- Recipients per notice and channel, counted by the fan-out's fenced
-- checkpoints as notices.recipients is.
CREATE TABLE notice_channel_counts (
    notice_id  uuid NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    channel_id bigint NOT NULL,
    recipients integer NOT NULL DEFAULT 0,
    PRIMARY KEY (notice_id, channel_id)
);
INSERT INTO notice_channel_counts (notice_id, channel_id, recipients)
SELECT notice_id, channel_id, count(*) FROM deliveries
 WHERE notice_id IS NOT NULL AND purpose = 'notice' GROUP BY 1, 2;

-- What each sender is doing, as the dispatcher that owns it says every few
-- seconds: its current rate (after throttling), jobs queued in memory and
-- deferred, halted or not. Estimated completion times are read from here.
CREATE TABLE sender_state (
    channel_id  bigint PRIMARY KEY,
    instance_id uuid NOT NULL,
    rate        double precision NOT NULL,
    queued      integer NOT NULL,
    deferred    integer NOT NULL,
    halted      boolean NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Per notice and channel: what became of its jobs. Counts are cumulative
-- (a read message was also delivered and sent). stopped: jobs not sent
-- because the notice was cancelled. pending: recipients not yet settled
-- (held ones apart). eta_s: pending over the sender's current rate (its
-- dispatcher's word if recent, else the configured rate).
CREATE VIEW notice_channel_stats AS
SELECT cc.notice_id, cc.channel_id, ch.kind, cc.recipients,
       count(d.job_id) FILTER (WHERE d.status IN ('sent', 'delivered', 'read')) AS sent,
       count(d.job_id) FILTER (WHERE d.status IN ('delivered', 'read')) AS delivered,
       count(d.job_id) FILTER (WHERE d.status = 'read') AS read,
       count(d.job_id) FILTER (WHERE d.status IN ('failed', 'dead')) AS failed,
       coalesce((SELECT jsonb_object_agg(r.reason, r.n)
                   FROM (SELECT coalesce(nullif(split_part(f.error_detail, ':', 1), ''),
                                         'code ' || f.error_code, 'unknown') AS reason,
                                count(*) AS n
                           FROM deliveries f
                          WHERE f.notice_id = cc.notice_id AND f.channel_id = cc.channel_id
                            AND f.purpose = 'notice' AND f.status IN ('failed', 'dead')
                          GROUP BY 1) r), '{}'::jsonb) AS failed_by_reason,
       count(d.job_id) FILTER (WHERE d.status = 'held') AS held,
       max(d.held_until) FILTER (WHERE d.status = 'held') AS held_until,
       count(d.job_id) FILTER (WHERE d.status = 'skipped'
                               AND d.error_detail IS DISTINCT FROM 'notice_cancelled') AS skipped,
       count(d.job_id) FILTER (WHERE d.status = 'cancelled'
                               OR (d.status = 'skipped' AND d.error_detail = 'notice_cancelled'))
           AS stopped,
       greatest(cc.recipients - count(d.job_id) FILTER (WHERE d.status IN
                    ('sent', 'delivered', 'read', 'failed', 'dead', 'skipped', 'cancelled',
                     'held')), 0) AS pending,
       CASE WHEN ss.updated_at > now() - interval '30 seconds' AND ss.halted THEN NULL
            ELSE coalesce(CASE WHEN ss.updated_at > now() - interval '30 seconds'
                               THEN ss.rate END,
                          ch.rate_per_sec::double precision,
                          CASE ch.kind WHEN 'telegram' THEN 30 ELSE 80 END) END AS rate
  FROM notice_channel_counts cc
  JOIN channels ch ON ch.id = cc.channel_id
  LEFT JOIN sender_state ss ON ss.channel_id = cc.channel_id
  LEFT JOIN deliveries d ON d.notice_id = cc.notice_id AND d.channel_id = cc.channel_id
                        AND d.purpose = 'notice'
 GROUP BY cc.notice_id, cc.channel_id, ch.kind, cc.recipients, ss.updated_at, ss.halted,
          ss.rate, ch.rate_per_sec;

-- The per-notice statistics (migration 0005), with stopped and pending.
DROP VIEW notice_stats;
CREATE VIEW notice_stats AS
SELECT n.id AS notice_id,
       n.recipients,
       count(d.job_id) FILTER (WHERE d.status IN ('sent', 'delivered', 'read')) AS sent,
       count(d.job_id) FILTER (WHERE d.status IN ('delivered', 'read')) AS delivered,
       count(d.job_id) FILTER (WHERE d.status = 'read') AS read,
       count(d.job_id) FILTER (WHERE d.status IN ('failed', 'dead')) AS failed,
       coalesce((SELECT jsonb_object_agg(r.reason, r.n)
                   FROM (SELECT coalesce(nullif(split_part(f.error_detail, ':', 1), ''),
                                         'code ' || f.error_code, 'unknown') AS reason,
                                count(*) AS n
                           FROM deliveries f
                          WHERE f.notice_id = n.id AND f.purpose = 'notice'
                            AND f.status IN ('failed', 'dead')
                          GROUP BY 1) r), '{}'::jsonb) AS failed_by_reason,
       count(d.job_id) FILTER (WHERE d.status = 'held') AS held,
       max(d.held_until) FILTER (WHERE d.status = 'held') AS held_until,
       count(d.job_id) FILTER (WHERE d.status = 'skipped'
                               AND d.error_detail IS DISTINCT FROM 'notice_cancelled') AS skipped,
       count(d.job_id) FILTER (WHERE d.status = 'cancelled'
                               OR (d.status = 'skipped' AND d.error_detail = 'notice_cancelled'))
           AS stopped,
       greatest(n.recipients - count(d.job_id) FILTER (WHERE d.status IN
                    ('sent', 'delivered', 'read', 'failed', 'dead', 'skipped', 'cancelled',
                     'held')), 0) AS pending
  FROM notices n
  LEFT JOIN deliveries d ON d.notice_id = n.id AND d.purpose = 'notice'
 GROUP BY n.id;

-- A notice's statistics as the editors' API and banditorectl show them:
-- the totals, and per channel with the sender's rate and the estimated
-- time to finish (eta_s: pending over the current rate; null while the
-- sender is halted); the notice's eta_s is its slowest channel's.
CREATE FUNCTION notice_stats_json(p_id uuid) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', n.id, 'status', n.status, 'recipients', s.recipients,
        'sent', s.sent, 'delivered', s.delivered, 'read', s.read, 'failed', s.failed,
        'failed_by_reason', s.failed_by_reason, 'held', s.held,
        'held_until', to_char(s.held_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'skipped', s.skipped, 'stopped', s.stopped, 'pending', s.pending,
        'eta_s', (SELECT max(CASE WHEN cs.rate > 0 THEN ceil(cs.pending / cs.rate)::bigint END)
                    FROM notice_channel_stats cs WHERE cs.notice_id = n.id),
        'channels', coalesce((SELECT json_agg(json_build_object(
                'channel_id', cs.channel_id, 'kind', cs.kind, 'recipients', cs.recipients,
                'sent', cs.sent, 'delivered', cs.delivered, 'read', cs.read,
                'failed', cs.failed, 'failed_by_reason', cs.failed_by_reason,
                'held', cs.held,
                'held_until', to_char(cs.held_until AT TIME ZONE 'UTC',
                                      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'skipped', cs.skipped, 'stopped', cs.stopped, 'pending', cs.pending,
                'rate', round(cs.rate::numeric, 1),
                'eta_s', CASE WHEN cs.rate > 0 THEN ceil(cs.pending / cs.rate)::bigint END)
                ORDER BY cs.channel_id)
              FROM notice_channel_stats cs WHERE cs.notice_id = n.id), '[]'::json))
      FROM notices n JOIN notice_stats s ON s.notice_id = n.id
     WHERE n.id = p_id
$$;
