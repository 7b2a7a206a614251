-- Version 5: per-notice delivery statistics, and provider status webhooks
-- (delivered, read, failed) applied to the delivery ledger.

-- Order of a message's provider statuses; a status only ever moves
-- forward: sent -> delivered -> read, or sent -> failed. Webhooks come
-- out of order and more than once (Meta retries for days): an older or
-- repeated status changes nothing.
CREATE FUNCTION delivery_status_forward(cur text, new text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE new
               WHEN 'delivered' THEN cur = 'sent'
               WHEN 'read' THEN cur IN ('sent', 'delivered')
               WHEN 'failed' THEN cur = 'sent'
               ELSE false
           END
$$;

CREATE FUNCTION delivery_status_rank(s text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE s WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'delivered' THEN 3
                  WHEN 'read' THEN 4 ELSE 0 END
$$;

-- Statuses of messages the ledger does not know yet: the provider's
-- webhook can overtake the dispatcher's write of the send. Applied and
-- removed by the trigger below when the row (or its provider message id)
-- arrives. Normally empty.
CREATE TABLE delivery_status_early (
    provider_message_id text NOT NULL,
    status              text NOT NULL CHECK (status IN ('delivered', 'read', 'failed')),
    error_code          integer,
    error_detail        text,
    at                  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider_message_id, status)
);

CREATE FUNCTION deliveries_apply_early() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    e record;
BEGIN
    IF NEW.provider_message_id IS NULL OR NOT EXISTS
       (SELECT 1 FROM delivery_status_early WHERE provider_message_id = NEW.provider_message_id)
    THEN
        RETURN NEW;
    END IF;
    FOR e IN SELECT * FROM delivery_status_early
              WHERE provider_message_id = NEW.provider_message_id
              ORDER BY delivery_status_rank(status)
    LOOP
        IF delivery_status_forward(NEW.status, e.status) THEN
            NEW.status := e.status;
            IF e.status = 'failed' THEN
                NEW.error_code := e.error_code;
                NEW.error_detail := e.error_detail;
            END IF;
        END IF;
    END LOOP;
    DELETE FROM delivery_status_early WHERE provider_message_id = NEW.provider_message_id;
    RETURN NEW;
END $$;
CREATE TRIGGER deliveries_early_status BEFORE INSERT OR UPDATE OF provider_message_id
    ON deliveries FOR EACH ROW EXECUTE FUNCTION deliveries_apply_early();

-- Applies a batch of provider statuses (parallel arrays) to the ledger by
-- provider message id, forward only; keeps those of unknown messages for
-- later. Returns how many ledger rows changed.
CREATE FUNCTION delivery_status_apply(p_ids text[], p_status text[], p_codes integer[],
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
      FROM s
     WHERE d.provider_message_id = s.id AND delivery_status_forward(d.status, s.status);
    GET DIAGNOSTICS n = ROW_COUNT;

    INSERT INTO delivery_status_early (provider_message_id, status, error_code, error_detail)
    SELECT u.id, u.status, u.code, u.detail
      FROM unnest(p_ids, p_status, p_codes, p_details) AS u(id, status, code, detail)
     WHERE u.status IN ('delivered', 'read', 'failed') AND u.id <> ''
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.provider_message_id = u.id)
    ON CONFLICT DO NOTHING;
    RETURN n;
END $$;

-- Per notice: jobs produced (recipients), and what became of them as the
-- dispatcher and the providers' webhooks reported it. Counts are
-- cumulative: a read message was also delivered and sent. failed covers
-- permanent failures and jobs given up after retries (dead), by reason
-- (the dispatcher's error class or the provider's error title). held:
-- jobs the dispatcher holds back (the WhatsApp messaging limit,
-- migration 0004), held_until the latest time it will try them again.
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
       count(d.job_id) FILTER (WHERE d.status = 'skipped') AS skipped
  FROM notices n
  LEFT JOIN deliveries d ON d.notice_id = n.id AND d.purpose = 'notice'
 GROUP BY n.id;
