-- Version 9: the sign-up form's abuse limits shared by every ingest
-- replica, and the comune's own web site as an origin the form accepts.

-- The origin (https://www.comune.example.it) of the comune's web site,
-- whose pages may embed or link a form that POSTs to the sign-up form.
-- Empty: only the ingest's own origin. `banditorectl comune set
-- --site-origin URL`.
ALTER TABLE comuni ADD COLUMN site_origin text NOT NULL DEFAULT '';

-- One counting window per key: "<rule>:<subject>", the subject a client
-- address (IPv4, or an IPv6 /64) or a keyed hash of a phone number (never
-- the number: ingest's BND_KEY_HASH_SECRET). A window opens at the key's
-- first counted request and lasts its rule's length; rows whose window
-- has ended are swept by ingest.
CREATE TABLE form_limits (
    key        text PRIMARY KEY,
    started_at timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    count      integer NOT NULL
);
CREATE INDEX form_limits_ends ON form_limits (ends_at);

-- Counts one request under every key of a group at once (a client
-- address's minute and day windows): if any of them is full, nothing is
-- counted and the result is how many milliseconds until it has room;
-- else each is counted (a window that had ended starts again) and the
-- result is 0. The rows are locked in key order, so replicas counting the
-- same keys take turns and never deadlock. PostgreSQL's clock, not the
-- replicas'.
CREATE FUNCTION form_limit_hit(p_keys text[], p_window_ms bigint[], p_limits integer[])
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    wait_ms bigint := 0;
    r record;
BEGIN
    INSERT INTO form_limits (key, started_at, ends_at, count)
    SELECT k, now(), now(), 0 FROM unnest(p_keys) AS k
    ON CONFLICT (key) DO NOTHING;
    FOR r IN
        SELECT l.count, l.ends_at, u.lim
          FROM form_limits l
          JOIN unnest(p_keys, p_limits) AS u(k, lim) ON u.k = l.key
         ORDER BY l.key
           FOR UPDATE OF l
    LOOP
        IF r.count >= r.lim AND r.ends_at > now() THEN
            wait_ms := greatest(wait_ms,
                ceil(extract(epoch FROM r.ends_at - now()) * 1000)::bigint);
        END IF;
    END LOOP;
    IF wait_ms > 0 THEN
        RETURN wait_ms;
    END IF;
    UPDATE form_limits l
       SET started_at = CASE WHEN l.ends_at > now() AND l.count > 0 THEN l.started_at ELSE now() END,
           ends_at = CASE WHEN l.ends_at > now() AND l.count > 0 THEN l.ends_at
                          ELSE now() + u.w * interval '1 millisecond' END,
           count = CASE WHEN l.ends_at > now() AND l.count > 0 THEN l.count + 1 ELSE 1 END
      FROM unnest(p_keys, p_window_ms) AS u(k, w)
     WHERE l.key = u.k;
    RETURN 0;
END
$$;
