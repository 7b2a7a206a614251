-- Version 13: what the editors' console shows before a notice exists.
--
-- wa_price_eur: what the comune pays Meta per delivered WhatsApp
-- utility-template message, for the console's cost estimate (GET
-- /api/v1/audience). The default is an approximation of Meta's list price
-- for Italian numbers (docs/api.md, "Audience and cost"); set the comune's
-- own with `banditorectl comune set ID --wa-price EUR`.
ALTER TABLE comuni
    ADD COLUMN IF NOT EXISTS wa_price_eur numeric(10, 4) NOT NULL DEFAULT 0.0300
        CHECK (wa_price_eur >= 0 AND wa_price_eur < 10);

-- What a citizen needs to reach a channel, for the opt-in links and QR
-- codes (GET /api/v1/optin/links): a WhatsApp channel's public number
-- (digits with the country code, as wa.me wants it; sender_account is
-- Meta's phone-number id, not the number) and a Telegram bot's username
-- (without "@"; sender_account is the bot's numeric id). Empty: unknown,
-- set with `banditorectl channel set ID --display-number N` or
-- `--bot-username NAME`.
ALTER TABLE channels
    ADD COLUMN IF NOT EXISTS wa_display_number text NOT NULL DEFAULT ''
        CHECK (wa_display_number ~ '^([1-9][0-9]{6,14})?$'),
    ADD COLUMN IF NOT EXISTS tg_bot_username text NOT NULL DEFAULT ''
        CHECK (tg_bot_username ~ '^([A-Za-z][A-Za-z0-9_]{4,31})?$');
