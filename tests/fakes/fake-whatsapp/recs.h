/*
 * Compact storage of accepted messages. A record keeps the recipient and
 * the time inline and points at shared ("interned") values for what many
 * messages have in common: the sender, the text body or the template
 * name, language and parameter list. A set of (recipient, content)
 * pairs finds duplicates.
 */
#ifndef FAKE_WA_RECS_H
#define FAKE_WA_RECS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct recs;

struct recs *recs_new(void);
void recs_free(struct recs *rs);

/*
 * Appends the accepted message msg (a valid send body) from pnid with
 * message id `seq` (the wamid's number) at ts_ms. Returns true if the
 * same recipient already got the same content.
 */
bool recs_add(struct recs *rs, const char *pnid, const json_t *msg, unsigned long seq,
              int64_t ts_ms);
size_t recs_count(const struct recs *rs);
/*
 * Appends the records (all, or those to `to` and/or from pnid: NULL for
 * any) to out as JSON objects;
 * wamid_prefix + seq as 12 upper-case hex digits make the wamid.
 */
void recs_dump(const struct recs *rs, const char *to, const char *pnid, const char *wamid_prefix,
               json_t *out);
/* Forgets everything. */
void recs_clear(struct recs *rs);

#endif
