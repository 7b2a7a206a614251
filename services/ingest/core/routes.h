/* Every route of ingest's public listener, in one table (routes.c). */
#ifndef BND_INGEST_ROUTES_H
#define BND_INGEST_ROUTES_H

#include <stddef.h>

#include "core/route.h"

/* The rows in the order the router tries them. */
extern const struct route routes[];
extern const size_t routes_count;
/* Registers the metrics of every area routed here. Call once at start-up. */
void routes_metrics_register(void);

#endif
