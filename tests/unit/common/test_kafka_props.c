/* librdkafka properties from BND_KAFKA_PROP_* variables: names, secrets, guards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kafka_props.h"

/* The property's value in conf, into a static buffer. */
static const char *conf_value(rd_kafka_conf_t *conf, const char *name)
{
	static char buf[256];
	size_t len = sizeof(buf);

	if (rd_kafka_conf_get(conf, name, buf, &len) != RD_KAFKA_CONF_OK)
		return "(unknown)";
	return buf;
}

static void test_names(void **state)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "SECURITY_PROTOCOL", "security.protocol" },
		{ "sasl_mechanism", "sasl.mechanism" },
		{ "ssl.ca.location", "ssl.ca.location" },
		{ "LOG__LEVEL", "log_level" },
		{ "SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "ssl.endpoint.identification.algorithm" },
		{ "Socket_Keepalive_Enable", "socket.keepalive.enable" },
	};
	char out[128];
	(void)state;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(kq_prop_name(ok[i].in, out, sizeof(out)), 0);
		assert_string_equal(out, ok[i].out);
	}
	assert_int_equal(kq_prop_name("", out, sizeof(out)), -1);
	assert_int_equal(kq_prop_name("ssl ca", out, sizeof(out)), -1);
	assert_int_equal(kq_prop_name("a/b", out, sizeof(out)), -1);
	assert_int_equal(kq_prop_name("SECURITY_PROTOCOL", out, 8), -1);
}

static void test_apply_plain(void **state)
{
	char *envp[] = { "PATH=/bin", "BND_KAFKA_PROP_SECURITY_PROTOCOL=ssl",
	                 "BND_KAFKA_PROP_socket_timeout_ms=12345", "BND_KAFKA_BROKERS=x:1", NULL };
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[256];
	(void)state;

	assert_int_equal(kq_props_apply(conf, envp, err, sizeof(err)), 0);
	assert_string_equal(conf_value(conf, "security.protocol"), "ssl");
	assert_string_equal(conf_value(conf, "socket.timeout.ms"), "12345");
	rd_kafka_conf_destroy(conf);
}

static void test_apply_secrets(void **state)
{
	char path[] = "/tmp/test_kafka_props_XXXXXX";
	int fd = mkstemp(path);
	char file_ref[128], *envp[3];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[256];
	(void)state;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "operator\n", 9), 9);
	close(fd);
	snprintf(file_ref, sizeof(file_ref), "BND_KAFKA_PROP_SASL_USERNAME=file:%s", path);
	envp[0] = file_ref;
	envp[1] = "BND_KAFKA_PROP_CLIENT_ID=env:T_KAFKA_CLIENT";
	envp[2] = NULL;
	setenv("T_KAFKA_CLIENT", "banditore-test", 1);
	assert_int_equal(kq_props_apply(conf, envp, err, sizeof(err)), 0);
	assert_string_equal(conf_value(conf, "sasl.username"), "operator");
	assert_string_equal(conf_value(conf, "client.id"), "banditore-test");
	unlink(path);

	/* A reference that cannot be resolved names the variable, not a value. */
	unsetenv("T_KAFKA_CLIENT");
	assert_int_equal(kq_props_apply(conf, envp + 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "BND_KAFKA_PROP_CLIENT_ID"));
	rd_kafka_conf_destroy(conf);
}

static void test_refused(void **state)
{
	char *guarded[] = { "BND_KAFKA_PROP_ENABLE_IDEMPOTENCE=false", NULL };
	char *autocommit[] = { "BND_KAFKA_PROP_enable.auto.commit=true", NULL };
	char *unknown[] = { "BND_KAFKA_PROP_NO_SUCH_THING=hunter2", NULL };
	char *bad_value[] = { "BND_KAFKA_PROP_SECURITY_PROTOCOL=hunter2", NULL };
	char *bad_name[] = { "BND_KAFKA_PROP_=x", NULL };
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[256];
	(void)state;

	assert_int_equal(kq_props_apply(conf, guarded, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "enable.idempotence"));
	assert_int_equal(kq_props_apply(conf, autocommit, err, sizeof(err)), -1);
	assert_int_equal(kq_props_apply(conf, unknown, err, sizeof(err)), -1);
	assert_null(strstr(err, "hunter2"));
	assert_int_equal(kq_props_apply(conf, bad_value, err, sizeof(err)), -1);
	assert_null(strstr(err, "hunter2"));
	assert_non_null(strstr(err, "security.protocol"));
	assert_int_equal(kq_props_apply(conf, bad_name, err, sizeof(err)), -1);
	rd_kafka_conf_destroy(conf);
}

static void test_conf_base(void **state)
{
	char err[256];
	rd_kafka_conf_t *conf;
	(void)state;

	setenv("BND_KAFKA_PROP_CLIENT_ID", "from-environ", 1);
	conf = kq_conf_base("127.0.0.1:1", err, sizeof(err));
	assert_non_null(conf);
	assert_string_equal(conf_value(conf, "bootstrap.servers"), "127.0.0.1:1");
	assert_string_equal(conf_value(conf, "client.id"), "from-environ");
	rd_kafka_conf_destroy(conf);
	setenv("BND_KAFKA_PROP_GROUP_ID", "x", 1);
	assert_null(kq_conf_base("127.0.0.1:1", err, sizeof(err)));
	unsetenv("BND_KAFKA_PROP_GROUP_ID");
	unsetenv("BND_KAFKA_PROP_CLIENT_ID");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_apply_plain),
		cmocka_unit_test(test_apply_secrets),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_conf_base),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
