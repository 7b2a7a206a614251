/* The public listener's connection limits and request deadlines
 * (conn_guard.c), on a real evhttp over loopback: clients are plain
 * non-blocking sockets, the loop runs between their steps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <event2/http.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "http.h"
#include "core/conn_guard.h"

static struct event_base *base;
static struct evhttp *http;
static struct connguard *guard;
static struct sockaddr_in server;
static int answered;

/* The router: tells the guard, answers 200. */
static void on_request(struct evhttp_request *req, void *arg)
{
	(void)arg;
	cg_request_started(guard, req);
	answered++;
	http_reply_text(req, 200, "text/plain", "ok");
}

/* A listener on a free loopback port, guarded with cfg. */
static void start(const struct cg_cfg *cfg, int idle_s)
{
	struct evhttp_bound_socket *bs;
	socklen_t slen = sizeof(server);

	answered = 0;
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_timeout(http, idle_s);
	evhttp_set_gencb(http, on_request, NULL);
	bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	assert_non_null(bs);
	assert_int_equal(getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&server,
	                             &slen), 0);
	guard = cg_new(base, http, cfg);
}

static void stop(void)
{
	evhttp_free(http);
	cg_free(guard);
	event_base_free(base);
}

/* Runs the server's loop for ms. */
static void run(int ms)
{
	struct timeval tv = clock_timeval(ms);

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

/* A non-blocking client connected from source address src ("127.0.0.x"). */
static int client_from(const char *src)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in from = { .sin_family = AF_INET };

	assert_true(fd >= 0);
	if (src != NULL) {
		assert_int_equal(inet_pton(AF_INET, src, &from.sin_addr), 1);
		assert_int_equal(bind(fd, (struct sockaddr *)&from, sizeof(from)), 0);
	}
	assert_int_equal(connect(fd, (struct sockaddr *)&server, sizeof(server)), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static int client(void)
{
	return client_from(NULL);
}

static void say(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

/* What the server did to fd: 0 closed (after any answer), 1 still open
 * with nothing more to read, 2 an answer waiting and still open. Reads
 * what is there into got (if not NULL). */
static int peek_state(int fd, char *got, size_t cap)
{
	char buf[1024];
	size_t used = 0;
	int state = 1;

	if (got != NULL)
		got[0] = '\0';
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			return 0;
		if (n < 0)
			return state;
		state = 2;
		if (got != NULL && used + (size_t)n < cap) {
			memcpy(got + used, buf, (size_t)n);
			used += (size_t)n;
			got[used] = '\0';
		}
	}
}

/* Beyond the limit: 503 and closed at once; closing frees slots again. */
static void test_limit(void **state)
{
	const struct cg_cfg cfg = { 3, 0, 5000, 5000 };
	int fds[5], admitted = -1, refused = 0;
	char got[512];
	(void)state;

	start(&cfg, 30);
	for (int i = 0; i < 5; i++)
		fds[i] = client();
	run(100);
	assert_int_equal(cg_open(guard), 3);
	/* Which two are refused is the loop's choice. */
	for (int i = 0; i < 5; i++) {
		if (peek_state(fds[i], got, sizeof(got)) == 1) {
			admitted = fds[i];
			continue;
		}
		assert_non_null(strstr(got, "503"));
		refused++;
	}
	assert_int_equal(refused, 2);
	/* The admitted ones are served. */
	say(admitted, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
	run(100);
	assert_int_equal(answered, 1);
	assert_int_equal(peek_state(admitted, got, sizeof(got)), 2);
	assert_non_null(strstr(got, "200 OK"));
	/* Clients leaving give their slots back (evhttp's close callback). */
	for (int i = 0; i < 5; i++)
		close(fds[i]);
	run(100);
	assert_int_equal(cg_open(guard), 0);
	fds[0] = client();
	run(50);
	assert_int_equal(cg_open(guard), 1);
	close(fds[0]);
	run(50);
	assert_int_equal(cg_open(guard), 0);
	stop();
}

/* One address may hold its share, not more; another still gets in. */
static void test_per_peer(void **state)
{
	const struct cg_cfg cfg = { 10, 2, 5000, 5000 };
	int a[3], b, refused = -1;
	(void)state;

	start(&cfg, 30);
	for (int i = 0; i < 3; i++)
		a[i] = client_from("127.0.0.1");
	b = client_from("127.0.0.2");
	run(100);
	assert_int_equal(cg_open(guard), 3);
	/* Which of the three is refused is the loop's choice. */
	for (int i = 0; i < 3; i++) {
		if (peek_state(a[i], NULL, 0) != 0)
			continue;
		assert_int_equal(refused, -1);
		refused = i;
	}
	assert_true(refused >= 0);
	assert_int_equal(peek_state(b, NULL, 0), 1);
	/* One of the address's connections goes: there is room for another. */
	close(a[(refused + 1) % 3]);
	run(50);
	a[(refused + 1) % 3] = client_from("127.0.0.1");
	run(50);
	assert_int_equal(peek_state(a[(refused + 1) % 3], NULL, 0), 1);
	assert_int_equal(cg_open(guard), 3);
	for (int i = 0; i < 3; i++)
		close(a[i]);
	close(b);
	run(50);
	assert_int_equal(cg_open(guard), 0);
	stop();
}

/* A byte now and then keeps evhttp's idle timeout away, not the deadline. */
static void test_header_trickle(void **state)
{
	const struct cg_cfg cfg = { 10, 0, 400, 2000 };
	const char *req = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";
	int fd, silent, cut_at = -1;
	(void)state;

	start(&cfg, 30);
	fd = client();
	silent = client();   /* sends nothing at all: its first request is due from the accept */
	for (int i = 0; i < 12 && cut_at < 0; i++) {
		char c[2] = { req[i], '\0' };
		say(fd, c);
		run(100);
		if (peek_state(fd, NULL, 0) == 0)
			cut_at = i;
	}
	assert_true(cut_at >= 3 && cut_at <= 5);   /* about 400 ms */
	assert_int_equal(peek_state(silent, NULL, 0), 0);
	assert_int_equal(answered, 0);
	assert_int_equal(cg_open(guard), 0);
	close(fd);
	close(silent);
	stop();
}

/* Headers in time, then a body trickling past the whole-request deadline. */
static void test_body_trickle(void **state)
{
	const struct cg_cfg cfg = { 10, 0, 300, 700 };
	int fd, cut_at = -1;
	(void)state;

	start(&cfg, 30);
	fd = client();
	say(fd, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n");
	for (int i = 0; i < 15 && cut_at < 0; i++) {
		say(fd, "a");
		run(100);
		if (peek_state(fd, NULL, 0) == 0)
			cut_at = i;
	}
	assert_true(cut_at >= 5 && cut_at <= 8);   /* past 300 ms, at about 700 */
	assert_int_equal(answered, 0);
	close(fd);
	stop();
}

/* Keep-alive: the deadline runs from each request's first byte, not from
 * the accept; an answer being awaited is never cut. */
static void test_keepalive(void **state)
{
	const struct cg_cfg cfg = { 10, 0, 300, 300 };
	char got[1024];
	int fd;
	(void)state;

	start(&cfg, 30);
	fd = client();
	say(fd, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
	run(100);
	assert_int_equal(peek_state(fd, got, sizeof(got)), 2);
	run(500);   /* idle between requests, longer than the deadline */
	assert_int_equal(peek_state(fd, NULL, 0), 1);
	say(fd, "GET /2 HTTP/1.1\r\nHo");
	run(100);
	say(fd, "st: x\r\n\r\n");
	run(100);
	assert_int_equal(peek_state(fd, got, sizeof(got)), 2);
	assert_int_equal(answered, 2);
	/* Two requests in one write (pipelined). */
	say(fd, "GET /3 HTTP/1.1\r\nHost: x\r\n\r\nGET /4 HTTP/1.1\r\nHost: x\r\n\r\n");
	run(100);
	assert_int_equal(answered, 4);
	assert_int_equal(peek_state(fd, NULL, 0), 2);
	assert_int_equal(cg_open(guard), 1);
	close(fd);
	run(50);
	assert_int_equal(cg_open(guard), 0);
	stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_per_peer),
		cmocka_unit_test(test_header_trickle),
		cmocka_unit_test(test_body_trickle),
		cmocka_unit_test(test_keepalive),
	};
	return cmocka_run_group_tests_name("conn_guard", tests, NULL, NULL);
}
