/*
 * librdkafka properties from the environment, so that any cluster can be
 * reached (TLS, SASL, managed services) without a setting of our own for
 * each property. Every variable
 *
 *     BND_KAFKA_PROP_<NAME>=<value>
 *
 * sets the librdkafka property whose name is <NAME> lower-cased, with
 * "__" standing for "_" and every other "_" for ".":
 *
 *     BND_KAFKA_PROP_SECURITY_PROTOCOL=SASL_SSL   security.protocol
 *     BND_KAFKA_PROP_sasl_mechanism=SCRAM-SHA-512 sasl.mechanism
 *     BND_KAFKA_PROP_ssl.ca.location=/etc/ca.pem  ssl.ca.location (dots kept)
 *     BND_KAFKA_PROP_LOG__LEVEL=7                 log_level
 *
 * A value "file:/path" or "env:NAME" is a secret reference (secret.h):
 * the property gets the file's content (one trailing newline trimmed) or
 * that variable's value, and the value is never logged.
 *
 * The properties Banditore's guarantees rest on cannot be set this way
 * (enable.idempotence, acks, enable.auto.commit, enable.auto.offset.store,
 * group.id, bootstrap.servers: use BND_KAFKA_BROKERS): naming one is an
 * error, so a process refuses to start rather than run unsafely.
 */
#ifndef BND_KAFKA_PROPS_H
#define BND_KAFKA_PROPS_H

#include <librdkafka/rdkafka.h>
#include <stddef.h>

#define KQ_PROP_ENV_PREFIX "BND_KAFKA_PROP_"

/*
 * The property name for the part of a variable's name after the prefix,
 * written into out. 0, or -1 if it is empty, too long, or holds a
 * character other than letters, digits, '_', '.' and '-'.
 */
int kq_prop_name(const char *suffix, char *out, size_t outlen)
    __attribute__((warn_unused_result));

/*
 * Sets on conf every property that envp (NULL-terminated "NAME=value"
 * strings, e.g. environ) names. 0, or -1 with err set (the variable's
 * name, never its value).
 */
int kq_props_apply(rd_kafka_conf_t *conf, char *const *envp, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/*
 * A new configuration with bootstrap.servers = brokers and the
 * environment's properties, for clients built outside kafka.c (admin
 * tools, scans). NULL with err set on failure; the caller owns the
 * result (rd_kafka_new takes it, or rd_kafka_conf_destroy).
 */
rd_kafka_conf_t *kq_conf_base(const char *brokers, char *err, size_t errlen);

#endif
