-- Version 3: the editorial workflow (submit, approve with four eyes,
-- reject, schedule, cancel, edit), targeting (topics, channels, several
-- comuni from one consortium alert), quiet hours and the public archive.

-- Quiet hours in the comune's time zone: normal notices approved inside
-- them are held until they end; urgent ones are not. quiet_start =
-- quiet_end means no quiet hours. allow_single_urgent lets one person
-- write and approve an urgent notice (four eyes otherwise).
ALTER TABLE comuni
    ADD COLUMN quiet_start         time NOT NULL DEFAULT '21:00',
    ADD COLUMN quiet_end           time NOT NULL DEFAULT '08:00',
    ADD COLUMN time_zone           text NOT NULL DEFAULT 'Europe/Rome',
    ADD COLUMN allow_single_urgent boolean NOT NULL DEFAULT false,
    ADD COLUMN archive_base_url    text NOT NULL DEFAULT '';

-- A consortium key may act for the comuni listed in consortium_comuni
-- (empty = every comune of the installation).
ALTER TABLE api_keys
    ADD COLUMN consortium_comuni text[] NOT NULL DEFAULT '{}';

ALTER TABLE notices DROP CONSTRAINT notices_status_check;
ALTER TABLE notices
    ADD CONSTRAINT notices_status_check
        CHECK (status IN ('draft', 'submitted', 'rejected', 'approved', 'scheduled',
                          'sending', 'sent', 'cancelled'));
ALTER TABLE notices
    ADD COLUMN author_key_id   bigint,
    ADD COLUMN approver_key_id bigint,
    ADD COLUMN category        text NOT NULL DEFAULT 'other'
        CHECK (category IN ('outage', 'roads', 'weather', 'civil_protection', 'waste',
                            'deadline', 'event', 'other')),
    ADD COLUMN link            text NOT NULL DEFAULT '',
    -- Channel kinds to use: 'whatsapp', 'telegram' (bot), 'telegram_channel';
    -- empty = every channel of the comune.
    ADD COLUMN channels        text[] NOT NULL DEFAULT '{}',
    -- Notices created together by one consortium alert share a group id.
    ADD COLUMN group_id        uuid,
    ADD COLUMN scheduled_at    timestamptz,      -- not before (editor's choice)
    ADD COLUMN release_at      timestamptz,      -- held by quiet hours until
    ADD COLUMN reject_reason   text NOT NULL DEFAULT '',
    ADD COLUMN version         integer NOT NULL DEFAULT 1,
    ADD COLUMN submitted_at    timestamptz,
    ADD COLUMN cancelled_at    timestamptz,
    ADD COLUMN updated_at      timestamptz NOT NULL DEFAULT now();
CREATE INDEX notices_archive ON notices (comune_id, sent_at DESC) WHERE status = 'sent';
CREATE INDEX notices_list ON notices (comune_id, created_at DESC);
CREATE INDEX notices_due ON notices (status, scheduled_at, release_at)
    WHERE status IN ('approved', 'scheduled');
CREATE INDEX notices_group ON notices (group_id) WHERE group_id IS NOT NULL;

ALTER TABLE notice_events
    ADD COLUMN actor_key_id bigint,
    ADD COLUMN detail       text NOT NULL DEFAULT '';
