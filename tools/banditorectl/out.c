/*
 * How a listing is printed: the -o json|text (and --json) option, taken
 * out of the command line in one place for every listing command, and a
 * query's rows as tab-separated lines under a header or as a JSON array
 * of objects (common/jsonw.h).
 */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "jsonw.h"

enum ctl_format ctl_format = CTL_FORMAT_TEXT;

/* The format a value names ("json", "text"); -1 if none. */
static int out_format_named(const char *v)
{
	if (strcmp(v, "json") == 0)
		return CTL_FORMAT_JSON;
	if (strcmp(v, "text") == 0)
		return CTL_FORMAT_TEXT;
	return -1;
}

/* The value of argv[i] if it is -o/--output (taking argv[i + 1] when the
 * value is not joined: *used 2), else NULL (*used 0). */
static const char *out_option(int argc, char **argv, int i, int *used)
{
	const char *a = argv[i];

	*used = 0;
	if (strcmp(a, "-o") != 0 && strcmp(a, "--output") != 0) {
		if (strncmp(a, "--output=", 9) == 0 || (strncmp(a, "-o", 2) == 0 && a[2] != '-')) {
			*used = 1;
			return a[1] == '-' ? a + 9 : a + 2 + (a[2] == '=');
		}
		return NULL;
	}
	*used = 2;
	return i + 1 < argc ? argv[i + 1] : "";
}

int ctl_opt_format(int *argc, char **argv, enum ctl_format *fmt)
{
	int i = 1, used, f;

	*fmt = CTL_FORMAT_TEXT;
	while (i < *argc && strcmp(argv[i], "--") != 0) {
		const char *v = out_option(*argc, argv, i, &used);
		if (strcmp(argv[i], "--json") == 0) {
			f = CTL_FORMAT_JSON;
			used = 1;
		} else if (v == NULL) {
			i++;
			continue;
		} else if ((f = out_format_named(v)) < 0) {
			return ctl_usage("-o wants json or text");
		}
		*fmt = (enum ctl_format)f;
		memmove(argv + i, argv + i + used, (size_t)(*argc - i - used + 1) * sizeof(*argv));
		*argc -= used;
	}
	return CTL_OK;
}

/* Appends row r's column c to w as a JSON value of its PostgreSQL type. */
static void out_json_value(struct jsonw *w, PGresult *res, int r, int c)
{
	const char *v = PQgetvalue(res, r, c);

	if (PQgetisnull(res, r, c)) {
		jw_raw(w, "null");
		return;
	}
	switch (PQftype(res, c)) {
	case 16:   /* bool */
		jw_raw(w, v[0] == 't' ? "true" : "false");
		return;
	case 20: case 21: case 23:   /* int8, int2, int4 */
		jw_raw(w, v);
		return;
	default:
		jw_str(w, v);
	}
}

/* Row r's column c as text: a boolean as yes or no, the rest as PostgreSQL writes it. */
static const char *out_text_value(PGresult *res, int r, int c)
{
	const char *v = PQgetvalue(res, r, c);

	if (PQftype(res, c) != 16 || PQgetisnull(res, r, c))
		return v;
	return v[0] == 't' ? "yes" : "no";
}

/* The rows as a JSON array of objects keyed by cols; NULL if a text was not UTF-8. */
static char *out_json(PGresult *res, const char *const *cols)
{
	struct jsonw w = { 0 };
	int nf = PQnfields(res);

	jw_raw(&w, "[");
	for (int r = 0; r < PQntuples(res); r++) {
		jw_raw(&w, r > 0 ? ",\n  {" : "\n  {");
		for (int c = 0; c < nf; c++) {
			if (c > 0)
				jw_raw(&w, ", ");
			jw_str(&w, cols[c]);
			jw_raw(&w, ": ");
			out_json_value(&w, res, r, c);
		}
		jw_raw(&w, "}");
	}
	jw_raw(&w, PQntuples(res) > 0 ? "\n]\n" : "]\n");
	return jw_finish(&w);
}

int ctl_rows_print(PGresult *res, const char *const *cols)
{
	int nf = PQnfields(res);
	char *json;

	if (ctl_format == CTL_FORMAT_JSON) {
		json = out_json(res, cols);
		if (json == NULL)
			return ctl_fail("a value is not UTF-8 text: no JSON written");
		fputs(json, ctl_out);
		free(json);
		return CTL_OK;
	}
	for (int c = 0; c < nf; c++)
		fprintf(ctl_out, "%s%c", cols[c], c == nf - 1 ? '\n' : '\t');
	for (int r = 0; r < PQntuples(res); r++)
		for (int c = 0; c < nf; c++)
			fprintf(ctl_out, "%s%c", out_text_value(res, r, c), c == nf - 1 ? '\n' : '\t');
	return CTL_OK;
}
