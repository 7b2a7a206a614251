/* The body of PATCH /api/v1/comune, checked (comune_patch.h). */
#include "api/comune_patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comune_rules.h"
#include "utf8.h"
#include "xmalloc.h"

#define KW(col)                                                      \
	{                                                            \
#col, CK_KEYWORDS, "array_to_string(" #col ", ',')", \
		    "string_to_array($2, ',')::text[]"               \
	}

const struct comune_field comune_fields[COMUNE_NFIELDS] = {
	{ "quiet_start", CK_TIME, "to_char(quiet_start, 'HH24:MI')", "$2::time" },
	{ "quiet_end", CK_TIME, "to_char(quiet_end, 'HH24:MI')", "$2::time" },
	{ "time_zone", CK_TZ, "time_zone", "$2" },
	{ "contact_text", CK_TEXT, "contact_text", "$2" },
	{ "privacy_url", CK_URL, "privacy_url", "$2" },
	KW(join_keywords),
	KW(leave_keywords),
	KW(topics_keywords),
	KW(help_keywords),
	{ "auto_reply_every_s", CK_SECONDS, "auto_reply_every_s::text", "$2::integer" },
	{ "wa_price_eur", CK_PRICE, "to_char(wa_price_eur, 'FM0.0000')", "$2::numeric" },
	{ "name", CK_READONLY, "name", NULL },
	{ "allow_single_urgent", CK_READONLY, "allow_single_urgent::text", NULL },
	{ "comune", CK_READONLY, "id", NULL },
};

#define CONTACT_MAX_CHARS 1000
#define YEAR_S (365L * 86400)

int comune_field_find(const char *name)
{
	for (int i = 0; i < COMUNE_NFIELDS; i++)
		if (strcmp(comune_fields[i].name, name) == 0)
			return i;
	return -1;
}

/* A keyword list, as a string or an array of strings, folded into out. */
static int patch_keywords(const char *name, json_t *v, char **out, struct editor_error *err)
{
	char csv[CRULE_KW_LIST_MAX * 2] = "", folded[CRULE_KW_LIST_MAX], bad[64];
	size_t n = 0, i;
	json_t *item;

	if (json_is_string(v)) {
		snprintf(csv, sizeof(csv), "%s", json_string_value(v));
		n = strlen(csv);
	} else if (json_is_array(v)) {
		json_array_foreach (v, i, item) {
			if (!json_is_string(item) || strchr(json_string_value(item), ',') != NULL)
				return editor_invalid(err, name, "a list of single words");
			n += (size_t)snprintf(csv + n, sizeof(csv) - n, "%s%s", i > 0 ? "," : "",
			                      json_string_value(item));
			if (n >= sizeof(csv))
				return editor_invalid(err, name, "too many keywords");
		}
	} else {
		return editor_invalid(err, name, "words separated by commas");
	}
	if (n >= sizeof(csv) - 1 || crule_keywords_csv(csv, folded, bad) != 0)
		return editor_invalid(
		    err, name, "\"%s\" is not a keyword: one word of 1-32 letters or digits", bad);
	*out = xstrdup(folded);
	return 0;
}

/* EUR per message: a string or a number, with 4 decimals into out. */
static int patch_price(const char *name, json_t *v, char **out, struct editor_error *err)
{
	char buf[32] = "";

	if (json_is_number(v))
		snprintf(buf, sizeof(buf), "%.4f", json_number_value(v));
	else if (json_is_string(v))
		snprintf(buf, sizeof(buf), "%s", json_string_value(v));
	if (!crule_price_ok(buf))
		return editor_invalid(err, name,
		                      "euros per message, from 0 to 9.9999 (e.g. 0.0300)");
	if (strchr(buf, '.') == NULL)
		strcat(buf, ".");
	while (strlen(strchr(buf, '.')) < 5)
		strcat(buf, "0");
	*out = xstrdup(buf);
	return 0;
}

/* A string field's value, checked by its kind. */
static int patch_string(const struct comune_field *f, const char *s, char **out,
                        struct editor_error *err)
{
	switch (f->kind) {
	case CK_TEXT:
		if (utf8_chars(s) > CONTACT_MAX_CHARS)
			return editor_invalid(err, f->name, "at most %d characters",
			                      CONTACT_MAX_CHARS);
		break;
	case CK_URL:
		if (!crule_url_ok(s, true))
			return editor_invalid(err, f->name,
			                      "an http:// or https:// address, or empty");
		break;
	case CK_TIME:
		if (!crule_time_ok(s))
			return editor_invalid(err, f->name, "a time of day, HH:MM (24 hours)");
		break;
	default: /* CK_TZ */
		if (s[0] == '\0' || strlen(s) > 63 ||
		    strspn(s,
		           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") !=
		        strlen(s))
			return editor_invalid(err, f->name, "a time zone such as Europe/Rome");
		break;
	}
	*out = xstrdup(s);
	return 0;
}

/* One field's value into *out. */
static int patch_field(const struct comune_field *f, json_t *v, char **out,
                       struct editor_error *err)
{
	char buf[24];

	switch (f->kind) {
	case CK_READONLY: return editor_invalid(err, f->name, "cannot be changed here");
	case CK_KEYWORDS: return patch_keywords(f->name, v, out, err);
	case CK_PRICE: return patch_price(f->name, v, out, err);
	case CK_SECONDS:
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > YEAR_S)
			return editor_invalid(err, f->name, "whole seconds, from 0 to one year");
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		*out = xstrdup(buf);
		return 0;
	default:
		if (!json_is_string(v))
			return editor_invalid(err, f->name, "a string");
		return patch_string(f, json_string_value(v), out, err);
	}
}

int comune_patch_parse(json_t *root, struct comune_patch *p, struct editor_error *err)
{
	const char *name;
	json_t *v;
	int i, given = 0;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(root))
		return editor_invalid(err, "", "the body must be a JSON object");
	json_object_foreach (root, name, v) {
		if ((i = comune_field_find(name)) < 0) {
			comune_patch_free(p);
			return editor_invalid(err, name, "no such setting");
		}
		free(p->values[i]);
		p->values[i] = NULL;
		if (patch_field(&comune_fields[i], v, &p->values[i], err) != 0) {
			comune_patch_free(p);
			return -1;
		}
		given++;
	}
	if (given == 0)
		return editor_invalid(err, "", "nothing to change: give at least one setting");
	return 0;
}

void comune_patch_free(struct comune_patch *p)
{
	for (int i = 0; i < COMUNE_NFIELDS; i++) {
		free(p->values[i]);
		p->values[i] = NULL;
	}
}
