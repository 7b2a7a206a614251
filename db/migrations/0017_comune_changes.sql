-- Version 17: the comune's settings and topics changed from the editors'
-- console (PATCH /api/v1/comune, /api/v1/topics), one row per field
-- changed: who (the person's or the key's name), when, which field, the
-- value before and after. Settings are the comune's public texts and
-- rules: no subscriber's number or chat id is ever written here.
CREATE TABLE IF NOT EXISTS comune_changes (
    id         bigserial PRIMARY KEY,
    comune_id  text NOT NULL REFERENCES comuni(id),
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text NOT NULL,
    actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'api_key')),
    field      text NOT NULL,   -- a column of comuni, or topic:<slug>
    old_value  text,            -- NULL: it did not exist (a topic added)
    new_value  text             -- NULL: it no longer exists (a topic deleted)
);

CREATE INDEX IF NOT EXISTS comune_changes_recent ON comune_changes (comune_id, at DESC, id DESC);
