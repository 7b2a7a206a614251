-- Version 16: every version of a notice's text, for the console's
-- history and its diff between versions (GET /api/v1/notices/{id}/versions).
--
-- notices keeps only the current version (notices.version counts the
-- edits); this table keeps a copy of each one as it was written. The
-- composer inserts a row in the transaction that applies a create or an
-- edit (services/composer/notice_version.c); a replayed event finds its
-- row already there (ON CONFLICT DO NOTHING). edited_by is the actor's
-- name as the event carried it, actor_key_id its key (NULL: unknown).
CREATE TABLE notice_versions (
    notice_id    uuid NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    version      integer NOT NULL CHECK (version >= 1),
    title        text NOT NULL,
    body         text NOT NULL,
    link         text NOT NULL DEFAULT '',
    topics       text[] NOT NULL DEFAULT '{}',
    channels     text[] NOT NULL DEFAULT '{}',
    category     text NOT NULL DEFAULT 'other',
    urgent       boolean NOT NULL DEFAULT false,
    edited_by    text NOT NULL DEFAULT '',
    actor_key_id bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notice_id, version)
);

-- Notices written before this migration: their earlier versions are
-- lost, the current one is copied, credited to whoever last created or
-- (successfully) edited it according to notice_events, else its author.
INSERT INTO notice_versions (notice_id, version, title, body, link, topics, channels,
                             category, urgent, edited_by, actor_key_id, created_at)
SELECT n.id, n.version, n.title, n.body, n.link, n.topics, n.channels, n.category,
       n.urgent, coalesce(e.actor, n.author), coalesce(e.actor_key_id, n.author_key_id),
       coalesce(e.at, n.created_at)
  FROM notices n
  LEFT JOIN LATERAL (SELECT ev.actor, ev.actor_key_id, ev.at FROM notice_events ev
                      WHERE ev.notice_id = n.id AND ev.action IN ('create', 'edit')
                        AND ev.detail NOT LIKE 'refused:%'
                      ORDER BY ev.at DESC, ev.id DESC LIMIT 1) e ON true
ON CONFLICT DO NOTHING;
