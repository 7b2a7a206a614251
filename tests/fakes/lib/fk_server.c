/* A fake's loop and listener; see fk_server.h. */
#include "fk_server.h"

#include <event2/event.h>
#include <event2/http.h>

#include "http.h"
#include "log.h"
#include "shutdown.h"

/* SIGTERM/SIGINT: leave the loop. */
static void fk_server_on_shutdown(void *arg)
{
	event_base_loopexit(arg, NULL);
}

int fk_server_open(struct fk_server *srv)
{
	srv->http = NULL;
	srv->base = event_base_new();
	if (srv->base == NULL || shutdown_watch(srv->base, fk_server_on_shutdown, srv->base) != 0) {
		log_error("fake.start_failed", "cannot set up the event loop");
		return -1;
	}
	return 0;
}

int fk_server_listen(struct fk_server *srv, const char *addr, long port, unsigned methods,
                     void (*route)(struct evhttp_request *, void *), void *arg)
{
	char err[256];

	srv->http = http_listen(srv->base, addr, (int)port, FK_SERVER_MAX_BODY, err, sizeof(err));
	if (srv->http == NULL) {
		log_error("fake.start_failed", "%s", err);
		return -1;
	}
	if (methods != 0)
		evhttp_set_allowed_methods(srv->http, methods);
	evhttp_set_gencb(srv->http, route, arg);
	return 0;
}

void fk_server_run(struct fk_server *srv)
{
	event_base_dispatch(srv->base);
}

void fk_server_close(struct fk_server *srv)
{
	if (srv->http != NULL)
		evhttp_free(srv->http);
	shutdown_unwatch();
	if (srv->base != NULL)
		event_base_free(srv->base);
	srv->http = NULL;
	srv->base = NULL;
}
