/*
 * A fake's process: one libevent loop that SIGTERM and SIGINT end
 * (answers in flight are dropped), one HTTP listener whose every request
 * goes to the fake's router. Used by each fake's main.c between reading
 * its configuration and freeing its state.
 */
#ifndef FK_SERVER_H
#define FK_SERVER_H

struct event_base;
struct evhttp;
struct evhttp_request;

struct fk_server {
	struct event_base *base;
	struct evhttp     *http;
};

/* Bodies of requests to a fake: 1 MiB at most. */
#define FK_SERVER_MAX_BODY (1024 * 1024)

/* Makes the loop and the signal watch. 0, or -1 (logged). */
int fk_server_open(struct fk_server *srv) __attribute__((warn_unused_result));
/*
 * Listens on addr:port and hands every request to route(req, arg).
 * methods: the EVHTTP_REQ_* accepted, 0 for libevent's default. 0, or
 * -1 (logged).
 */
int fk_server_listen(struct fk_server *srv, const char *addr, long port, unsigned methods,
                     void (*route)(struct evhttp_request *, void *), void *arg)
    __attribute__((warn_unused_result));
/* Runs the loop until a signal ends it. */
void fk_server_run(struct fk_server *srv);
/* Frees the listener, the signal watch and the loop (free timers on it first). */
void fk_server_close(struct fk_server *srv);

#endif
