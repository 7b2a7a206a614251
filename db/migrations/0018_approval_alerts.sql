-- Version 18: approvers alerted on their own WhatsApp or Telegram when a
-- notice waits for them (services/composer/approval.c, docs/architecture.md
-- "Approval alerts"), and the editors' test sends.
--
-- approval_alerted_version: the version of the notice whose approvers
-- were alerted (NULL: none yet). The composer sets it after producing the
-- alerts, so each version is alerted once across replicas and restarts
-- (the jobs' ids make the dispatcher's ledger drop any duplicate made
-- between producing and recording). Notices already waiting when this
-- migration runs count as alerted: an upgrade sends no burst of old news.
ALTER TABLE notices ADD COLUMN approval_alerted_version integer;
UPDATE notices SET approval_alerted_version = version WHERE status = 'submitted';
CREATE INDEX notices_awaiting ON notices (submitted_at) WHERE status = 'submitted';

-- "Invia una prova a me" is recorded in the notice's history (action
-- 'test_send', by whom, never where to); the per-person rate limit counts
-- those rows.
CREATE INDEX notice_events_test_send ON notice_events (actor_key_id, at)
    WHERE action = 'test_send';
