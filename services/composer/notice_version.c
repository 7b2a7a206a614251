/* Versions of a notice's text; see notice_version.h. */
#include "notice_version.h"

#include <stdio.h>

/* The notice as it stands after the statement that wrote version $2. The
 * version is checked so that a create replayed after edits, which finds
 * a later version in notices, records nothing. */
static const char SQL_VERSION[] =
    "INSERT INTO notice_versions (notice_id, version, title, body, link, topics, channels, "
    "category, urgent, edited_by, actor_key_id) "
    "SELECT n.id, n.version, n.title, n.body, n.link, n.topics, n.channels, n.category, "
    "n.urgent, $3, nullif($4, '0')::bigint FROM notices n "
    "WHERE n.id = $1::uuid AND n.version = $2::int "
    "ON CONFLICT (notice_id, version) DO NOTHING";

int nversion_record(struct db *db, const Banditore__V1__NoticeEvent *ev, int version)
{
	char ver[16], key[24];
	const char *params[4] = { ev->notice_id, ver, ev->actor, key };

	snprintf(ver, sizeof(ver), "%d", version);
	snprintf(key, sizeof(key), "%lld", (long long)ev->actor_key_id);
	return db_cmd(db, SQL_VERSION, 4, params);
}
