-- Banditore schema, version 1. Applied once by `banditorectl migrate`,
-- inside one transaction, and recorded in schema_migrations.

CREATE TABLE comuni (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name            text NOT NULL,
    privacy_version text NOT NULL DEFAULT 'v1',
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- A sender account of a comune on one provider.
CREATE TABLE channels (
    id               bigserial PRIMARY KEY,
    comune_id        text NOT NULL REFERENCES comuni(id),
    kind             text NOT NULL CHECK (kind IN ('whatsapp', 'telegram')),
    sender_account   text NOT NULL,          -- WhatsApp phone-number id / bot id
    token_ref        text NOT NULL,          -- env:NAME or file:/path (access token)
    app_secret_ref   text NOT NULL DEFAULT '',  -- env:/file: (webhook HMAC key)
    rate_per_sec     integer NOT NULL DEFAULT 80 CHECK (rate_per_sec > 0),
    welcome_text     text NOT NULL,
    goodbye_text     text NOT NULL,
    wa_template      text NOT NULL DEFAULT 'avviso_comune',
    wa_template_lang text NOT NULL DEFAULT 'it',
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, sender_account)
);

-- Editors' API keys: only the SHA-256 of the key is stored.
CREATE TABLE api_keys (
    id         bigserial PRIMARY KEY,
    comune_id  text NOT NULL REFERENCES comuni(id),
    name       text NOT NULL,
    role       text NOT NULL DEFAULT 'editor'
               CHECK (role IN ('editor', 'approver', 'consortium')),
    key_sha256 text NOT NULL UNIQUE,         -- lowercase hex
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE TABLE subscribers (
    id         bigserial PRIMARY KEY,
    channel_id bigint NOT NULL REFERENCES channels(id),
    address    text NOT NULL,                -- E.164 or chat id
    status     text NOT NULL CHECK (status IN ('pending', 'active', 'revoked')),
    topics     text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel_id, address)
);
CREATE INDEX subscribers_audience ON subscribers (channel_id, id) WHERE status = 'active';

-- Append-only consent ledger (GDPR Art. 7(1)): who, when, how, what wording.
CREATE TABLE consent_events (
    id              bigserial PRIMARY KEY,
    subscriber_id   bigint NOT NULL REFERENCES subscribers(id),
    channel_id      bigint NOT NULL REFERENCES channels(id),
    action          text NOT NULL
                    CHECK (action IN ('subscribe', 'unsubscribe', 'confirm',
                                      'topics', 'revoke', 'erase')),
    source          text NOT NULL,           -- keyword, telegram, form, operator, provider
    evidence        text NOT NULL,           -- wamid / update_id / form request id
    privacy_version text NOT NULL,
    changed         boolean NOT NULL,        -- did it change the subscriber's status?
    at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel_id, evidence, action)
);

CREATE OR REPLACE FUNCTION consent_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'consent_events is append-only';
END $$;
CREATE TRIGGER consent_events_no_update BEFORE UPDATE OR DELETE ON consent_events
    FOR EACH ROW EXECUTE FUNCTION consent_events_append_only();

-- Apply one consent action idempotently. A replay of the same evidence
-- returns the first result (replayed = true) and changes nothing.
CREATE OR REPLACE FUNCTION consent_apply(
    p_channel_id bigint, p_address text, p_action text, p_source text,
    p_evidence text,
    OUT subscriber_id bigint, OUT changed boolean, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
    v_status  text;
    v_new     text;
    v_privacy text;
BEGIN
    SELECT ce.subscriber_id, ce.changed INTO subscriber_id, changed
      FROM consent_events ce
     WHERE ce.channel_id = p_channel_id AND ce.evidence = p_evidence
       AND ce.action = p_action;
    IF FOUND THEN
        replayed := true;
        RETURN;
    END IF;
    replayed := false;
    v_new := CASE p_action WHEN 'subscribe' THEN 'active'
                           WHEN 'confirm' THEN 'active'
                           ELSE 'revoked' END;

    SELECT s.id, s.status INTO subscriber_id, v_status
      FROM subscribers s
     WHERE s.channel_id = p_channel_id AND s.address = p_address
       FOR UPDATE;
    IF NOT FOUND THEN
        IF v_new <> 'active' THEN
            -- Leaving without ever joining: nothing to record.
            subscriber_id := NULL;
            changed := false;
            RETURN;
        END IF;
        INSERT INTO subscribers (channel_id, address, status)
        VALUES (p_channel_id, p_address, v_new)
        RETURNING id INTO subscriber_id;
        changed := true;
    ELSE
        changed := v_status IS DISTINCT FROM v_new;
        IF changed THEN
            UPDATE subscribers SET status = v_new, updated_at = now()
             WHERE id = subscriber_id;
        END IF;
    END IF;

    SELECT c.privacy_version INTO v_privacy
      FROM channels ch JOIN comuni c ON c.id = ch.comune_id
     WHERE ch.id = p_channel_id;
    INSERT INTO consent_events (subscriber_id, channel_id, action, source,
                                evidence, privacy_version, changed)
    VALUES (subscriber_id, p_channel_id, p_action, p_source, p_evidence,
            v_privacy, changed);
END $$;

CREATE TABLE notices (
    id           uuid PRIMARY KEY,
    comune_id    text NOT NULL REFERENCES comuni(id),
    author       text NOT NULL,
    approver     text,
    title        text NOT NULL,
    body         text NOT NULL,
    urgent       boolean NOT NULL DEFAULT false,
    topics       text[] NOT NULL DEFAULT '{}',
    status       text NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'approved', 'sending', 'sent',
                                   'cancelled')),
    -- Fan-out checkpoint: jobs for subscribers up to this id on the channel
    -- are acknowledged by Kafka. Lets a restarted composer resume.
    fanout_channel_id    bigint NOT NULL DEFAULT 0,
    fanout_subscriber_id bigint NOT NULL DEFAULT 0,
    recipients   integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    approved_at  timestamptz,
    sent_at      timestamptz
);

-- Every state change of a notice, with who and when.
CREATE TABLE notice_events (
    id        bigserial PRIMARY KEY,
    notice_id uuid NOT NULL REFERENCES notices(id),
    event_id  text NOT NULL UNIQUE,          -- EventMeta.id: replay-safe
    action    text NOT NULL,
    actor     text NOT NULL,
    at        timestamptz NOT NULL DEFAULT now()
);

-- One row per job: the delivery ledger and idempotency record.
CREATE TABLE deliveries (
    job_id              text PRIMARY KEY,
    notice_id           uuid,
    subscriber_id       bigint,
    channel_id          bigint NOT NULL,
    purpose             text NOT NULL,
    status              text NOT NULL
                        CHECK (status IN ('sent', 'delivered', 'read', 'failed',
                                          'skipped', 'dead')),
    provider_message_id text,
    error_code          integer,
    error_detail        text,
    attempts            integer NOT NULL DEFAULT 0,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_notice ON deliveries (notice_id) WHERE notice_id IS NOT NULL;
CREATE INDEX deliveries_provider_msg ON deliveries (provider_message_id);
