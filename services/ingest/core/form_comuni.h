/*
 * The comuni as the web sign-up form needs them: name, privacy notice,
 * the WhatsApp channel sign-ups go to, the topics one may choose. Loaded
 * into the directory snapshot with the channels (dir_comune_find copies
 * one out); this file only builds and searches the sorted array.
 */
#ifndef BND_FORM_COMUNI_H
#define BND_FORM_COMUNI_H

#include <stddef.h>

#include "db.h"

#define FORM_ID_MAX 64
#define FORM_TOPICS_MAX 16
#define FORM_SLUG_MAX 33

struct form_topic {
	char slug[FORM_SLUG_MAX];
	char name[128];
};

struct form_comune {
	char id[FORM_ID_MAX];
	char name[128];
	char privacy_url[512];
	char privacy_version[64];
	char site_origin[256];              /* the comune's web site (origin.h); "": none */
	long long wa_channel_id;            /* 0: the comune has no WhatsApp channel */
	char wa_sender[FORM_ID_MAX];
	struct form_topic topics[FORM_TOPICS_MAX];
	size_t ntopics;
};

/* Loads every comune, sorted by id, into *out (caller frees). 0, or -1
 * if PostgreSQL failed (logged). */
int form_comuni_load(struct db *db, struct form_comune **out, size_t *n)
    __attribute__((warn_unused_result));
/* Binary search by id; NULL if absent. */
const struct form_comune *form_comuni_find(const struct form_comune *arr, size_t n,
                                           const char *id);

#endif
