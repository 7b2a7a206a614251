-- Version 14: channels an operator switched off.
--
-- `banditorectl channel disable ID` sets it, `channel enable ID` clears it:
-- the composer fans no notice out on a disabled channel (jobs already on
-- the delivery topics still go out; subscriptions and replies carry on).
ALTER TABLE channels ADD COLUMN IF NOT EXISTS disabled boolean NOT NULL DEFAULT false;
