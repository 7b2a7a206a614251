/*
 * Who a notice reaches: the one targeting rule, as SQL fragments, shared
 * by the composer's fan-out (which selects the recipients) and ingest's
 * audience count (GET /api/v1/audience, which counts them before a
 * notice exists), so the two can never disagree.
 *
 *  - a channel is fanned out on to its subscribers unless an operator
 *    disabled it (migration 0014) or it is a Telegram channel in channel
 *    mode only (tg_bot_mode false: one public post, no per-subscriber
 *    messages); the notice's channel targets pick among these by kind
 *    (none named = every kind: the composer's notice_targets() in C,
 *    ingest's "kind = ANY (targets)" in SQL);
 *  - a subscriber of such a channel is reached if their consent is active
 *    and either the notice has no topics, or they chose none (= all), or
 *    their topics overlap the notice's.
 *
 * The fragments name columns unqualified: use them where the innermost
 * FROM is channels (AUDIENCE_CHANNEL) or subscribers (AUDIENCE_SUBSCRIBER).
 */
#ifndef BND_AUDIENCE_H
#define BND_AUDIENCE_H

/* A channel whose subscribers receive notices (FROM channels). */
#define AUDIENCE_CHANNEL "(NOT disabled AND tg_bot_mode)"

/* A subscriber a notice with topics p (a text[] parameter, e.g. "$4";
 * '{}' = no topics) reaches (FROM subscribers). */
#define AUDIENCE_SUBSCRIBER(p)                                                     \
	"(status = 'active' AND (" p "::text[] = '{}' OR cardinality(topics) = 0 " \
	"OR topics && " p "::text[]))"

#endif
