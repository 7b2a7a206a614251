/* Event envelopes and job ids. */
#include "events.h"

#include <stdio.h>

#include "clock.h"
#include "xmalloc.h"

void event_meta_fill(Banditore__V1__EventMeta *meta,
                     char id_buf[UUID_STR_LEN + 1], const char *comune_id)
{
	banditore__v1__event_meta__init(meta);
	uuid_v4(id_buf);
	meta->id = id_buf;
	meta->comune_id = (char *)comune_id;
	meta->ts_ms = clock_wall_ms();
	meta->schema_version = EVENT_SCHEMA_VERSION;
}

void *event_pack(const ProtobufCMessage *msg, size_t *len)
{
	size_t n = protobuf_c_message_get_packed_size(msg);
	void *buf = xmalloc(n);
	*len = protobuf_c_message_pack(msg, buf);
	return buf;
}

char *job_id_make(const char *purpose, const char *scope, long long channel_id,
                  long long subscriber_id)
{
	return xasprintf("%s:%s:%lld:%lld", purpose, scope, channel_id, subscriber_id);
}
