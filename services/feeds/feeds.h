/*
 * banditore-feeds: polls CAP 1.2 feeds of civil-protection warnings and
 * drafts urgent notices for the comuni they concern, through notice.events
 * as an editor would (the composer applies them; nothing goes out until an
 * approver approves). The state shared by its parts.
 */
#ifndef BND_FEEDS_H
#define BND_FEEDS_H

#include "cap.h"
#include "config.h"
#include "db.h"
#include "health.h"
#include "instance.h"
#include "kafka.h"

struct feeds {
	struct common_cfg cfg;
	struct kq_producer *kp;
	struct db *db;
	struct health health;
	struct instance *inst;
	struct cap_schema *schema;
	char *schema_path;
	char *author;            /* the notices' author: the events' actor name */
	char *review_url;        /* staff alerts' link, {id} = the notice's id; "" = the alert's */
	char *instance_name;
	long lease_ms;
	long tick_ms;
	long fetch_timeout_ms;
	long max_bytes;          /* a larger document is refused */
};

/* One feed as claimed for a poll. Strings owned by the poll. */
struct feed {
	long long id;
	char *url, *etag, *last_modified;
	char *comuni;            /* text[] literal */
	char *min_severity;
	char *event_types;       /* newline-separated, "" = all */
};

#endif
