/*
 * Event envelopes: protobuf-c messages from proto/banditore.proto with
 * their common header, and job ids.
 */
#ifndef BND_EVENTS_H
#define BND_EVENTS_H

#include "banditore.pb-c.h"
#include "channel_kind.h"   /* channel_kind_name(), for the events' kind */
#include "crypto.h"

#define EVENT_SCHEMA_VERSION 1

/* Fills meta with a fresh id, the time and the schema version. Strings in
 * meta point into storage: id_buf must outlive meta. */
void event_meta_fill(Banditore__V1__EventMeta *meta,
                     char id_buf[UUID_STR_LEN + 1], const char *comune_id);
/* Packs any message; caller frees the returned buffer. */
void *event_pack(const ProtobufCMessage *msg, size_t *len);
/*
 * Deterministic job id: "<purpose>:<scope>:<channel_id>:<subscriber_id>"
 * where scope is the notice id (notices) or the provider message id that
 * caused the reply (welcome/goodbye). Caller frees.
 */
char *job_id_make(const char *purpose, const char *scope, long long channel_id,
                  long long subscriber_id);

#endif
