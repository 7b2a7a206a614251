/* The dispatcher's histograms; see latency.h. */
#include "latency.h"

#include <stdio.h>
#include <stdlib.h>

#include "histo.h"
#include "hmap.h"
#include "xmalloc.h"

static struct histo h_provider;
static struct histo h_first_send;

/* The notices already seen sent: a ring of owned ids, indexed by a map
 * (main thread only). */
static struct {
	char       *ring[LAT_NOTICES];
	size_t      next;
	struct hmap seen;
} lat;

void lat_register(void)
{
	histo_init(&h_provider, "bnd_dispatcher_provider_request_seconds",
	           "provider HTTP exchanges (answered or not), by channel kind", HISTO_LATENCY);
	histo_init(&h_first_send, "bnd_dispatcher_approval_to_first_send_seconds",
	           "from a notice's release (approval, or its schedule) to its first job "
	           "accepted by a provider, as this dispatcher saw it", HISTO_PIPELINE);
}

void lat_provider(channel_kind kind, double seconds)
{
	char labels[48];

	snprintf(labels, sizeof(labels), "kind=\"%s\"", channel_kind_name(kind));
	histo_observe(&h_provider, labels, seconds);
}

/* true the first time notice_id is seen (remembered from then on). */
static bool lat_first(const char *notice_id)
{
	char **slot = &lat.ring[lat.next];

	if (hmap_get(&lat.seen, notice_id) != NULL)
		return false;
	if (*slot != NULL) {
		hmap_del(&lat.seen, *slot);
		free(*slot);
	}
	*slot = xstrdup(notice_id);
	hmap_put(&lat.seen, *slot, *slot);
	lat.next = (lat.next + 1) % LAT_NOTICES;
	return true;
}

void lat_sent(const char *notice_id, int64_t approved_ms, int64_t now_ms)
{
	if (approved_ms <= 0 || notice_id == NULL || notice_id[0] == '\0')
		return;
	if (lat_first(notice_id))
		histo_observe(&h_first_send, "", (double)(now_ms - approved_ms) / 1000.0);
}
