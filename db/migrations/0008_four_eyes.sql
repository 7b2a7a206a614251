-- Version 8: four eyes for real, and consortium keys with an explicit scope.
-- (0007 is another change's; migrations apply in name order and each is
-- recorded by name, so the gap is harmless.)

-- Every contributor of every version of a notice, by API key: who created
-- it (version 1), who edited it into version N ('edit', version N) and
-- who submitted version N ('submit'). The approver of version N must be
-- none of those who created or edited versions 1..N (their words are in
-- it) nor who submitted N: workflow.c (composer, authoritative) and
-- editor_flow.c (ingest, synchronous 403) read this table. Written by the
-- composer in the transaction that applies the action.
CREATE TABLE notice_contributors (
    notice_id uuid NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    version   integer NOT NULL,
    key_id    bigint NOT NULL,
    action    text NOT NULL CHECK (action IN ('create', 'edit', 'submit')),
    at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notice_id, key_id, version, action)
);

-- Notices written before this migration: every key that created, edited
-- or (successfully) submitted any version counts as a contributor of the
-- current version. That may refuse an approval the finer rule would
-- allow, never the other way round.
INSERT INTO notice_contributors (notice_id, version, key_id, action)
SELECT n.id, n.version, n.author_key_id, 'create'
  FROM notices n WHERE n.author_key_id IS NOT NULL
UNION
SELECT n.id, n.version, e.actor_key_id, e.action
  FROM notice_events e JOIN notices n ON n.id = e.notice_id
 WHERE e.action IN ('create', 'edit', 'submit') AND e.actor_key_id IS NOT NULL
   AND e.detail NOT LIKE 'refused:%'
ON CONFLICT DO NOTHING;

-- A consortium key acts for its own comune plus either the comuni listed
-- in consortium_comuni or, with consortium_all, every comune. Before this
-- migration an empty list meant "every comune"; it now means none beyond
-- its own: existing consortium keys with an empty list keep
-- consortium_all = false and so LOSE the installation-wide scope they had
-- implicitly. That is the safe choice (no key keeps a power nobody chose
-- for it); an operator gives it back explicitly with
-- `banditorectl apikey scope ID --all` (or --comuni a,b).
ALTER TABLE api_keys
    ADD COLUMN consortium_all boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT api_keys_consortium_scope
        CHECK (NOT consortium_all OR (role = 'consortium' AND cardinality(consortium_comuni) = 0));
