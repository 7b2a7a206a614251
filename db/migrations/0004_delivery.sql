-- Version 4: the delivery engine. WhatsApp's messaging limit: unique
-- citizens reached outside an open 24-hour window, per business portfolio
-- (shared by all its phone numbers), per moving 24 hours; tiers 250,
-- 2,000, 10,000, 100,000 or unlimited. What is over the tier is held by
-- the dispatcher and released as the window moves; the ledger says so.

-- A Meta business portfolio and its current messaging-limit tier
-- (NULL: unlimited).
CREATE TABLE wa_portfolios (
    id         text PRIMARY KEY,
    tier       integer CHECK (tier IS NULL OR tier IN (250, 2000, 10000, 100000)),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- WhatsApp channels belong to a portfolio (NULL: no limit is applied).
ALTER TABLE channels ADD COLUMN portfolio_id text REFERENCES wa_portfolios(id);

-- Citizens reached (or about to be: the dispatcher reserves before it
-- sends) outside an open window, per portfolio. Rows older than 24 hours
-- no longer count and are removed by the dispatcher as it goes.
CREATE TABLE wa_reached (
    portfolio_id text NOT NULL REFERENCES wa_portfolios(id),
    address      text NOT NULL,
    reached_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (portfolio_id, address)
);
CREATE INDEX wa_reached_age ON wa_reached (portfolio_id, reached_at);

-- A delivery held back by the messaging limit: status 'held' until
-- held_until, when the dispatcher tries it again.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries
    ADD CONSTRAINT deliveries_status_check
        CHECK (status IN ('sent', 'delivered', 'read', 'failed', 'skipped', 'dead', 'held'));
ALTER TABLE deliveries ADD COLUMN held_until timestamptz;
