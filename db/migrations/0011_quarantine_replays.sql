-- Version 11: what `banditorectl quarantine replay` put back.
--
-- A quarantined record (common/quarantine.h) is known by its place in the
-- stack's quarantine topic: topic (its full name, prefix included, so
-- stacks with different prefixes may share a database), partition and
-- offset. A row here says it was produced back to its source topic and
-- acknowledged by Kafka; `quarantine replay --all` replays only records
-- without a row, `quarantine list` shows the rows. Nothing personal is
-- kept: no key, no value, no operator's name.
CREATE TABLE quarantine_replays (
    topic         text NOT NULL,
    q_partition   integer NOT NULL CHECK (q_partition >= 0),
    q_offset      bigint NOT NULL CHECK (q_offset >= 0),
    -- where it went back to (full name)
    source_topic  text NOT NULL,
    -- the last replay, and how many there were (--id may replay a record again)
    replayed_at   timestamptz NOT NULL DEFAULT now(),
    replays       integer NOT NULL DEFAULT 1,
    -- what replayed it: 'quarantine replay --id' or 'quarantine replay --all'
    replayed_by   text NOT NULL,
    PRIMARY KEY (topic, q_partition, q_offset)
);
