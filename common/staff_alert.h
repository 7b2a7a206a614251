/*
 * A message to one of a comune's staff on their own WhatsApp or Telegram:
 * the alert of a notice waiting for approval (services/feeds for CAP
 * drafts, services/composer for every submitted notice) and the editors'
 * "Invia una prova a me" (services/ingest). One DeliveryJob, for
 * delivery.jobs.urgent (keyed by the sender account), sent from the
 * comune's own channel of the person's kind. WhatsApp: the channel's
 * notice template with the three parameters citizens get (staff are
 * outside the 24-hour window, as citizens are); Telegram: the citizens'
 * HTML text. Purpose REPLY, no consent check (staff, not subscribers).
 * The caller chooses the job id: the dispatcher's ledger sends each once.
 */
#ifndef BND_STAFF_ALERT_H
#define BND_STAFF_ALERT_H

#include <stddef.h>

#include "db.h"
#include "kafka.h"

/* Who receives it and from which channel. */
struct sa_target {
	const char *kind;            /* "whatsapp" or "telegram" */
	const char *address;         /* E.164 number or Telegram chat id: never logged */
	long long channel_id;
	const char *sender_account;  /* the channel's; the Kafka key */
	const char *wa_template, *wa_lang;
};

/* What it says: rendered as citizens' notices are (common/render.c). */
struct sa_message {
	const char *job_id, *comune_id;
	const char *title, *body, *link;
	const char *archive;         /* the notice's archive page, or "" */
	const char *fallback;        /* the comune's name: WhatsApp wants no empty {{3}} */
};

/*
 * The columns sa_target_row reads, from "staff" rows aliased s (kind and
 * address given as expressions) joined LATERAL with the comune's first
 * enabled channel of that kind, aliased ch (NULL id: none).
 */
#define SA_CHANNEL_JOIN(kind, comune)                                                         \
	"LEFT JOIN LATERAL (SELECT id, sender_account, wa_template, wa_template_lang FROM "     \
	"channels WHERE comune_id = " comune " AND kind = " kind " AND NOT disabled ORDER BY "  \
	"id LIMIT 1) ch ON true "
#define SA_TARGET_COLS(kind, address)                                                         \
	kind ", " address ", ch.id, ch.sender_account, ch.wa_template, ch.wa_template_lang"
#define SA_TARGET_NCOLS 6

/* t from columns col..col+5 of row r (valid while res is). 0, or 1 if the
 * comune has no channel of the kind. */
int sa_target_row(struct sa_target *t, const PGresult *res, int r, int col);
/* The packed DeliveryJob of m to t (caller frees; *len its size). */
void *sa_job_pack(const struct sa_target *t, const struct sa_message *m, size_t *len);
/* Packs m to t into b, on delivery.jobs.urgent keyed by t's sender. 0 or -1. */
int sa_produce(struct kq_producer *kp, struct kq_batch *b, const struct sa_target *t,
               const struct sa_message *m) __attribute__((warn_unused_result));

#endif
