/*
 * Copies of each version of a notice's text (migration 0016), written by
 * the composer inside the transaction that creates or edits the notice.
 */
#ifndef BND_NOTICE_VERSION_H
#define BND_NOTICE_VERSION_H

#include "db.h"
#include "events.h"

/*
 * Records the notice's current row as its version `version`, edited by
 * the event's actor. A version already recorded (a replay) is left as
 * it is; nothing happens if the notice does not exist. 0 or -1.
 */
int nversion_record(struct db *db, const Banditore__V1__NoticeEvent *ev, int version)
    __attribute__((warn_unused_result));

#endif
