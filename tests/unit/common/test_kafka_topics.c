/* Topic specs: Banditore's retention and compaction policy, config overrides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kafka.h"

/* The value of config name in spec, or NULL. */
static const char *spec_config(const struct kq_topic_spec *spec, const char *name)
{
	for (int i = 0; spec->configs[i] != NULL; i += 2)
		if (strcmp(spec->configs[i], name) == 0)
			return spec->configs[i + 1];
	return NULL;
}

static void test_defaults(void **state)
{
	struct kq_topic_spec s;
	(void)state;

	kq_topic_defaults(TOPIC_CONSENT_CHANGES, 12, 3, &s);
	assert_string_equal(s.name, TOPIC_CONSENT_CHANGES);
	assert_int_equal(s.partitions, 12);
	assert_int_equal(s.replication_factor, 3);
	assert_string_equal(spec_config(&s, "cleanup.policy"), "compact");
	assert_null(spec_config(&s, "retention.ms"));

	kq_topic_defaults(TOPIC_DELIVERY_DEAD, 4, -1, &s);
	assert_string_equal(spec_config(&s, "retention.ms"), KQ_RETENTION_LONG_MS);
	kq_topic_defaults(TOPIC_QUARANTINE, 4, -1, &s);
	assert_string_equal(spec_config(&s, "retention.ms"), KQ_RETENTION_LONG_MS);

	kq_topic_defaults(TOPIC_DELIVERY_JOBS, 4, -1, &s);
	assert_null(s.configs[0]);
}

static void test_config_override(void **state)
{
	struct kq_topic_spec s;
	char name[KQ_TOPIC_MAX_CONFIGS][16];
	(void)state;

	kq_topic_defaults(TOPIC_DELIVERY_DEAD, 4, -1, &s);
	assert_int_equal(kq_topic_config(&s, "retention.ms", "-1"), 0);
	assert_string_equal(spec_config(&s, "retention.ms"), "-1");
	assert_int_equal(kq_topic_config(&s, "min.insync.replicas", "2"), 0);
	assert_string_equal(spec_config(&s, "min.insync.replicas"), "2");
	assert_null(s.configs[4]);

	/* Room for KQ_TOPIC_MAX_CONFIGS, then a refusal. */
	for (int i = 2; i < KQ_TOPIC_MAX_CONFIGS; i++) {
		snprintf(name[i], sizeof(name[i]), "x.%d", i);
		assert_int_equal(kq_topic_config(&s, name[i], "1"), 0);
	}
	assert_int_equal(kq_topic_config(&s, "one.too.many", "1"), -1);
	assert_int_equal(kq_topic_config(&s, "retention.ms", "5"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_config_override),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
