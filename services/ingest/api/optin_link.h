/*
 * The links that sign a citizen up, as a poster or the console shows
 * them: WhatsApp's click-to-chat link with the comune's join keyword
 * typed in (https://wa.me/<number>?text=<keyword>), Telegram's deep link
 * that starts the comune's bot (https://t.me/<bot>?start=<payload>, which
 * the bot receives as "/start <payload>"), and the sign-up form's
 * address. Pure: every string is new (caller frees).
 */
#ifndef BND_OPTIN_LINK_H
#define BND_OPTIN_LINK_H

/* What a deep link's /start carries: TUTTI joins with every topic. */
#define OPTIN_TG_PAYLOAD "tutti"
/* The join keyword when the comune has none of its own (subscriptions'
 * Italian default). */
#define OPTIN_WA_KEYWORD "ATTIVA"

/* s percent-encoded for a query value: all but A-Z a-z 0-9 - . _ ~. */
char *optin_url_encode(const char *s);
/* https://wa.me/<number>?text=<keyword, encoded>; number: digits only. */
char *optin_wa_link(const char *number, const char *keyword);
/* https://t.me/<bot>?start=<payload>. */
char *optin_tg_link(const char *bot, const char *payload);
/* The sign-up form of comune under base (no trailing '/' kept; "" = a
 * path on this server). */
char *optin_form_url(const char *base, const char *comune);

#endif
