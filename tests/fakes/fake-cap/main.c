/*
 * fake-cap: a CAP feed server for the tests (banditore-feeds polls it).
 * Serves the files of a folder, FAKE_CAP_DIR or the one argument, with
 * ETags and 304s, and can hang on a file; see serve.h.
 */
#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fk_server.h"
#include "log.h"
#include "serve.h"

static struct {
	char *log_level, *addr, *dir;
	long port;
} cfg;

static const struct cfg_item items[] = {
	{ "FAKE_CAP_LOG_LEVEL", CFG_STR, "info", 0, 0, "debug, info, warn or error", &cfg.log_level },
	{ "FAKE_CAP_ADDR", CFG_STR, "127.0.0.1", 0, 0, "listen address", &cfg.addr },
	{ "FAKE_CAP_PORT", CFG_INT, NULL, 1, 65535, "listen port", &cfg.port },
	{ "FAKE_CAP_DIR", CFG_STR, ".", 0, 0, "the folder served (the argument, if given, wins)",
	  &cfg.dir },
	CFG_END,
};

int main(int argc, char **argv)
{
	struct fk_server srv = { 0 };
	struct serve s = { 0 };
	bool folder = argc == 2 && strncmp(argv[1], "--", 2) != 0;
	int rc = 1;

	cfg_main(folder ? 1 : argc, argv, "fake-cap", items);
	log_init("fake-cap", cfg.log_level);
	s.dir = folder ? argv[1] : cfg.dir;
	if (fk_server_open(&srv) == 0 &&
	    fk_server_listen(&srv, cfg.addr, cfg.port, EVHTTP_REQ_GET, serve_handle, &s) == 0) {
		log_info("fake.started", "serving %s on %s:%ld", s.dir, cfg.addr, cfg.port);
		fk_server_run(&srv);
		log_info("fake.stopped", "requests %ld, served %ld, 304 %ld, hung %ld", s.requests,
		         s.served, s.not_modified, s.hung);
		rc = 0;
	}
	fk_server_close(&srv);
	return rc;
}
