/* librdkafka properties from BND_KAFKA_PROP_* variables; see kafka_props.h. */
#include "kafka_props.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "xmalloc.h"

extern char **environ;

#define KQ_PROP_NAME_MAX 128

int kq_prop_name(const char *suffix, char *out, size_t outlen)
{
	size_t n = 0;

	if (suffix == NULL || *suffix == '\0' || outlen == 0)
		return -1;
	for (const char *s = suffix; *s != '\0'; s++) {
		char c = *s;
		if (n + 1 >= outlen)
			return -1;
		if (c == '_' && s[1] == '_') {
			out[n++] = '_';
			s++;
		} else if (c == '_') {
			out[n++] = '.';
		} else if (c >= 'A' && c <= 'Z') {
			out[n++] = (char)(c - 'A' + 'a');
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
			out[n++] = c;
		} else {
			return -1;
		}
	}
	out[n] = '\0';
	return 0;
}

/* 1 if the property may not be set from the environment, else 0. */
static int kq_prop_guarded(const char *prop)
{
	static const char *const guarded[] = {
		"enable.idempotence", "acks", "request.required.acks",
		"enable.auto.commit", "enable.auto.offset.store", "group.id",
		"bootstrap.servers", "metadata.broker.list", NULL,
	};

	for (int i = 0; guarded[i] != NULL; i++)
		if (strcmp(prop, guarded[i]) == 0)
			return 1;
	return 0;
}

/* The value to set: a secret reference resolved, else a copy. NULL with err. */
static char *prop_value(const char *value, const char *var, char *err, size_t errlen)
{
	char why[256];
	char *v;

	if (strncmp(value, "file:", 5) != 0 && strncmp(value, "env:", 4) != 0)
		return xstrdup(value);
	v = secret_resolve(value, why, sizeof(why));
	if (v == NULL)
		snprintf(err, errlen, "%s: %s", var, why);
	return v;
}

/* Sets one NAME=value pair if NAME has our prefix; 0 or -1 (err set). */
static int prop_apply_one(rd_kafka_conf_t *conf, const char *kv, char *err, size_t errlen)
{
	size_t plen = strlen(KQ_PROP_ENV_PREFIX);
	const char *eq = strchr(kv, '=');
	char var[KQ_PROP_NAME_MAX + 32], prop[KQ_PROP_NAME_MAX], why[512];
	char *value;
	rd_kafka_conf_res_t res;

	if (eq == NULL || strncmp(kv, KQ_PROP_ENV_PREFIX, plen) != 0)
		return 0;
	snprintf(var, sizeof(var), "%.*s", (int)(eq - kv), kv);
	if ((size_t)(eq - kv) >= sizeof(var) || kq_prop_name(var + plen, prop, sizeof(prop)) != 0) {
		snprintf(err, errlen, "%s: not a librdkafka property name", var);
		return -1;
	}
	if (kq_prop_guarded(prop)) {
		snprintf(err, errlen, "%s: %s cannot be set from the environment", var, prop);
		return -1;
	}
	value = prop_value(eq + 1, var, err, errlen);
	if (value == NULL)
		return -1;
	res = rd_kafka_conf_set(conf, prop, value, why, sizeof(why));
	explicit_bzero(value, strlen(value));
	free(value);
	if (res != RD_KAFKA_CONF_OK) {
		/* librdkafka's reason may quote the value: say only what failed. */
		snprintf(err, errlen, "%s: librdkafka refused %s (%s)", var, prop,
		         res == RD_KAFKA_CONF_UNKNOWN ? "unknown property" : "invalid value");
		return -1;
	}
	return 0;
}

int kq_props_apply(rd_kafka_conf_t *conf, char *const *envp, char *err, size_t errlen)
{
	for (char *const *e = envp; e != NULL && *e != NULL; e++)
		if (prop_apply_one(conf, *e, err, errlen) != 0)
			return -1;
	return 0;
}

rd_kafka_conf_t *kq_conf_base(const char *brokers, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();

	if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, errlen) != RD_KAFKA_CONF_OK ||
	    kq_props_apply(conf, environ, err, errlen) != 0) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	return conf;
}
