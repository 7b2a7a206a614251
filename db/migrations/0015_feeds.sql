-- Civil-protection alerts (CAP 1.2) polled from official feeds and drafted
-- as urgent notices (services/feeds, docs/architecture.md "CAP feeds").
-- 0012 and 0013 are reserved by other branches.

-- Where a comune is, for matching an alert's <area>: the geocode values
-- that cover it (an ISTAT code, an EMMA_ID, a region's alert zone; written
-- "VALUE" to match any valueName or "valueName=VALUE" for one) and its
-- centroid, tested against <polygon> and <circle> (x = longitude,
-- y = latitude).
ALTER TABLE comuni
    ADD COLUMN cap_geocodes text[] NOT NULL DEFAULT '{}',
    ADD COLUMN centroid     point;

-- A CAP source: one alert document or an Atom feed of alerts. Polled every
-- interval_s by one feeds instance at a time: claimed_by names the instance
-- (service_instances, 0007) that holds it; a claim whose instance is no
-- longer live is taken over.
CREATE TABLE feeds (
    id             bigserial PRIMARY KEY,
    url            text NOT NULL UNIQUE CHECK (url ~ '^https?://'),
    interval_s     integer NOT NULL DEFAULT 60 CHECK (interval_s BETWEEN 1 AND 86400),
    comuni         text[] NOT NULL CHECK (cardinality(comuni) > 0),
    -- Minor < Moderate < Severe < Extreme: alerts below are not drafted.
    min_severity   text NOT NULL DEFAULT 'Moderate'
        CHECK (min_severity IN ('Minor', 'Moderate', 'Severe', 'Extreme')),
    -- <event> values (case-insensitive substrings) wanted; empty: all.
    event_types    text[] NOT NULL DEFAULT '{}',
    etag           text NOT NULL DEFAULT '',
    last_modified  text NOT NULL DEFAULT '',
    next_poll_at   timestamptz NOT NULL DEFAULT now(),
    claimed_by     uuid,
    last_status    text NOT NULL DEFAULT '',   -- ok, not_modified, http 503, timeout, invalid ...
    last_polled_at timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Every CAP alert seen, once per (identifier, sender, sent) as the
-- standard defines an alert's identity: inserted (ON CONFLICT DO NOTHING)
-- in the transaction that drafts its notices, so a replica or a restart
-- that sees it again does nothing.
CREATE TABLE cap_alerts (
    id          bigserial PRIMARY KEY,
    identifier  text NOT NULL,
    sender      text NOT NULL,
    sent        text NOT NULL,                -- as written in the alert
    feed_id     bigint REFERENCES feeds(id) ON DELETE SET NULL,
    msg_type    text NOT NULL,                -- Alert, Update, Cancel, Ack, Error
    status      text NOT NULL,                -- Actual, Exercise, System, Test, Draft
    event       text NOT NULL DEFAULT '',
    severity    text NOT NULL DEFAULT '',
    expires_at  timestamptz,
    refs        text NOT NULL DEFAULT '',     -- <references>, as written
    -- The first alert of the chain its references lead back to (itself
    -- for an Alert): an Update or a Cancel finds the notices it concerns.
    thread_id   bigint,
    digest      text NOT NULL,                -- SHA-256 of the document
    raw_xml     text NOT NULL,
    outcome     text NOT NULL DEFAULT '',     -- drafted, not_actual, below_threshold, no_comune ...
    seen_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (identifier, sender, sent)
);

-- The notices drafted from alerts: one per (alert, comune, kind). kind:
-- 'alert' (a warning or its revision), 'followup' (an update of a warning
-- already sent), 'closing' (allerta cessata: a Cancel, or the expiry of a
-- sent warning); thread_id as in cap_alerts. Notice ids are derived from
-- the alert's identity, so drafting the same alert twice (a crash between
-- producing the events and committing) creates nothing twice.
CREATE TABLE cap_drafts (
    notice_id   uuid PRIMARY KEY,
    alert_id    bigint NOT NULL REFERENCES cap_alerts(id),
    thread_id   bigint NOT NULL REFERENCES cap_alerts(id),
    comune_id   text NOT NULL REFERENCES comuni(id),
    kind        text NOT NULL CHECK (kind IN ('alert', 'followup', 'closing')),
    expires_at  timestamptz,
    closed      boolean NOT NULL DEFAULT false,  -- a closing was drafted or it was withdrawn
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cap_drafts_thread ON cap_drafts (thread_id, comune_id);
CREATE INDEX cap_drafts_open ON cap_drafts (expires_at) WHERE NOT closed AND kind <> 'closing';

-- The comune's staff to alert when a draft from a CAP alert waits for
-- approval: a WhatsApp number (E.164) or a Telegram chat id, reached from
-- the comune's own channel of that kind (banditorectl staff add).
CREATE TABLE staff_contacts (
    id          bigserial PRIMARY KEY,
    comune_id   text NOT NULL REFERENCES comuni(id),
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('whatsapp', 'telegram')),
    address     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (comune_id, kind, address)
);
