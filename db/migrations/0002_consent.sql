-- Version 2: many comuni with their own keywords, texts and topics;
-- Telegram channels; web-form sign-up with confirmation (pending);
-- topic choice; provider revocation; GDPR erasure.

-- What a comune says and understands. Keyword lists are folded (upper
-- case, no accents); an empty list means the built-in Italian defaults.
ALTER TABLE comuni
    ADD COLUMN contact_text    text NOT NULL DEFAULT '',   -- where to write instead
    ADD COLUMN privacy_url     text NOT NULL DEFAULT '',
    ADD COLUMN join_keywords   text[] NOT NULL DEFAULT '{}',
    ADD COLUMN leave_keywords  text[] NOT NULL DEFAULT '{}',
    ADD COLUMN topics_keywords text[] NOT NULL DEFAULT '{}',
    ADD COLUMN help_keywords   text[] NOT NULL DEFAULT '{}',
    ADD COLUMN auto_reply_every_s integer NOT NULL DEFAULT 86400
        CHECK (auto_reply_every_s >= 0);

-- Topics a citizen may choose; no choice = every topic.
CREATE TABLE topics (
    comune_id  text NOT NULL REFERENCES comuni(id),
    slug       text NOT NULL CHECK (slug ~ '^[a-z0-9_-]{1,32}$'),
    name       text NOT NULL,
    keyword    text NOT NULL CHECK (keyword ~ '^[A-Z0-9]{2,32}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comune_id, slug),
    UNIQUE (comune_id, keyword)
);

-- Telegram: sender_account is the bot id, token_ref its token,
-- app_secret_ref the webhook secret token. tg_public_channel ("@name" or
-- "-100…") is where notices are also posted once (channel mode);
-- tg_bot_mode false = channel only, no per-subscriber messages.
ALTER TABLE channels
    ADD COLUMN tg_public_channel   text NOT NULL DEFAULT '',
    ADD COLUMN tg_bot_mode         boolean NOT NULL DEFAULT true,
    ADD COLUMN wa_confirm_template text NOT NULL DEFAULT 'conferma_iscrizione';

ALTER TABLE subscribers DROP CONSTRAINT subscribers_status_check;
ALTER TABLE subscribers
    ADD CONSTRAINT subscribers_status_check
        CHECK (status IN ('pending', 'active', 'revoked', 'erased'));

ALTER TABLE consent_events DROP CONSTRAINT consent_events_action_check;
ALTER TABLE consent_events
    ADD CONSTRAINT consent_events_action_check
        CHECK (action IN ('request', 'subscribe', 'confirm', 'topics',
                          'unsubscribe', 'revoke', 'erase')),
    ADD COLUMN topics text[],
    ADD COLUMN prev_status text;    -- status before the action (NULL: no row yet)

-- Erasures (GDPR Art. 17): how many, when, on whose request; nothing that
-- identifies the person, not even a hash of the number.
CREATE TABLE erasures (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    subscribers  integer NOT NULL,
    requested_by text NOT NULL
);

DROP FUNCTION consent_apply(bigint, text, text, text, text);

-- Apply one consent action idempotently: one result per evidence (the
-- message or request that expressed it), whatever action a replay asks. Actions: request (web form: pending until confirmed),
-- subscribe, confirm (pending -> active), topics (change the choice),
-- unsubscribe (citizen), revoke (provider: blocked, deactivated).
-- p_topics: the chosen topic slugs (NULL = leave as they are).
-- changed: the status or the topics changed; prev_status / status: the
-- status before and after (a replay returns what the first call saw).
CREATE FUNCTION consent_apply(
    p_channel_id bigint, p_address text, p_action text, p_source text,
    p_evidence text, p_topics text[] DEFAULT NULL,
    OUT subscriber_id bigint, OUT changed boolean, OUT replayed boolean,
    OUT prev_status text, OUT status text)
LANGUAGE plpgsql AS $$
DECLARE
    v_status  text;
    v_topics  text[];
    v_new     text;
    v_privacy text;
BEGIN
    SELECT ce.subscriber_id, ce.changed, ce.prev_status, s.status
      INTO subscriber_id, changed, prev_status, status
      FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
     WHERE ce.channel_id = p_channel_id AND ce.evidence = p_evidence
     LIMIT 1;
    IF FOUND THEN
        replayed := true;
        RETURN;
    END IF;
    replayed := false;

    SELECT s.id, s.status, s.topics INTO subscriber_id, v_status, v_topics
      FROM subscribers s
     WHERE s.channel_id = p_channel_id AND s.address = p_address
       FOR UPDATE;
    prev_status := v_status;

    v_new := CASE p_action
                 WHEN 'subscribe' THEN 'active'
                 WHEN 'confirm' THEN 'active'
                 WHEN 'request' THEN
                     CASE WHEN v_status = 'active' THEN 'active' ELSE 'pending' END
                 WHEN 'topics' THEN v_status
                 ELSE 'revoked' END;

    IF subscriber_id IS NULL THEN
        IF p_action NOT IN ('subscribe', 'confirm', 'request') THEN
            -- Leaving, or choosing topics, without ever joining.
            changed := false;
            RETURN;
        END IF;
        INSERT INTO subscribers (channel_id, address, status, topics)
        VALUES (p_channel_id, p_address, v_new, coalesce(p_topics, '{}'))
        RETURNING id INTO subscriber_id;
        changed := true;
    ELSE
        changed := v_status IS DISTINCT FROM v_new
                   OR (p_topics IS NOT NULL AND v_topics IS DISTINCT FROM p_topics);
        IF changed THEN
            UPDATE subscribers
               SET status = v_new, topics = coalesce(p_topics, topics),
                   updated_at = now()
             WHERE id = subscriber_id;
        END IF;
    END IF;
    status := v_new;

    SELECT c.privacy_version INTO v_privacy
      FROM channels ch JOIN comuni c ON c.id = ch.comune_id
     WHERE ch.id = p_channel_id;
    INSERT INTO consent_events (subscriber_id, channel_id, action, source,
                                evidence, privacy_version, changed, topics,
                                prev_status)
    VALUES (subscriber_id, p_channel_id, p_action, p_source, p_evidence,
            v_privacy, changed, p_topics, v_status);
END $$;
