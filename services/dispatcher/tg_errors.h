/*
 * What a Telegram Bot API answer means for a job (PROVIDERS.md,
 * "Errors"), in the dispatcher's verdict (wa_errors.h). The Bot API has
 * no stable error codes beyond the HTTP status, so the few permanent
 * cases that matter are told apart by their description:
 *   ok                             -> sent, id "<chat id>:<message id>"
 *   429 (parameters.retry_after)   -> transient, not before retry_after
 *   5xx, transport                 -> transient
 *   parameters.migrate_to_chat_id  -> failed ("migrated: ..."; not followed yet)
 *   403 bot was blocked by the user, 403 user is deactivated,
 *   400 chat not found             -> failed, revoke consent
 *   other 400 / 403 / 4xx          -> failed
 *   401 (and 404: no such bot)     -> the sender is unusable: halt
 */
#ifndef DSP_TG_ERRORS_H
#define DSP_TG_ERRORS_H

#include <stdbool.h>
#include <stddef.h>

#include "wa_errors.h"

/*
 * Classifies one exchange. transport: 0 or a CURLcode (then http_status
 * and body are ignored); transport_msg describes it (may be NULL). body:
 * the response (len bytes, may be NULL). chat: the job's address, for the
 * message id when the answer does not name its chat.
 */
void tg_classify(int transport, const char *transport_msg, long http_status,
                 const char *body, size_t len, const char *chat, struct wa_verdict *v);
/* true if (error code, description) says the user cannot or will not
 * receive from the bot any more (also used on a detail read back from the
 * ledger, which holds the description). */
bool tg_revokes(int code, const char *description);

#endif
