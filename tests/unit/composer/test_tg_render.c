/* Telegram rendering: the message shape, escaped (common/escape.c, tested there),
 * clipping to 4096 characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* The text Telegram shows for our HTML: tags dropped, our four entities decoded. */
static char *shown(const char *html)
{
	char *out = malloc(strlen(html) + 1), *w = out;
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
	};

	for (const char *p = html; *p != '\0';) {
		size_t i;
		if (strncmp(p, "<b>", 3) == 0 || strncmp(p, "</b>", 4) == 0) {
			p += p[1] == '/' ? 4 : 3;
			continue;
		}
		assert_true(*p != '<' && *p != '>' && *p != '"');   /* all escaped */
		for (i = 0; i < 4; i++)
			if (strncmp(p, ents[i].ent, strlen(ents[i].ent)) == 0)
				break;
		if (i < 4) {
			*w++ = ents[i].c;
			p += strlen(ents[i].ent);
		} else {
			assert_true(*p != '&');   /* a bare & would be text to Telegram, but we never emit one */
			*w++ = *p++;
		}
	}
	*w = '\0';
	return out;
}

static void test_notice_shape(void **state)
{
	char *s = render_tg_notice("Acqua <sospesa>", "Via Roma & via Po,\ndalle 8 alle \"14\".");
	char *t;
	(void)state;

	assert_string_equal(s, "<b>Acqua &lt;sospesa&gt;</b>\n\nVia Roma &amp; via Po,\n"
	                       "dalle 8 alle &quot;14&quot;.");
	t = shown(s);
	assert_string_equal(t, "Acqua <sospesa>\n\nVia Roma & via Po,\ndalle 8 alle \"14\".");
	free(t);
	free(s);
	s = render_tg_notice("Solo titolo", "");
	assert_string_equal(s, "<b>Solo titolo</b>");
	free(s);
}

/* A body far beyond 4096 characters, full of what must be escaped and of
 * multi-byte characters: what Telegram shows stays within 4096 units. */
static void test_clipped_to_limit(void **state)
{
	size_t n = 3 * RENDER_TG_TEXT_MAX;
	char *body = malloc(n * 4 + 1), *w = body, *s, *t;
	(void)state;

	for (size_t i = 0; i < n; i++) {
		static const char *const pieces[] = { "&", "<", "\xC3\xA8", "\xF0\x9F\x9A\xA7", "a" };
		const char *p = pieces[i % 5];
		memcpy(w, p, strlen(p));
		w += strlen(p);
	}
	*w = '\0';
	s = render_tg_notice("Lavori", body);
	t = shown(s);
	assert_true(render_units(t) <= RENDER_TG_TEXT_MAX);
	assert_true(render_units(t) >= RENDER_TG_TEXT_MAX - 2);   /* not clipped needlessly */
	/* Ends with the ellipsis, after a whole character. */
	assert_memory_equal(t + strlen(t) - 3, "\xE2\x80\xA6", 3);
	assert_true(strncmp(t, "Lavori\n\n&<\xC3\xA8", 11) == 0);
	free(t);
	free(s);
	free(body);
}

static void test_clip_units(void **state)
{
	char *s;
	(void)state;

	s = render_clip_units("abcdef", 6);
	assert_string_equal(s, "abcdef");
	free(s);
	s = render_clip_units("abcdefg", 6);
	assert_string_equal(s, "abcde\xE2\x80\xA6");
	free(s);
	/* An emoji is two units and is never cut in half. */
	s = render_clip_units("ab\xF0\x9F\x9A\xA7" "cd", 4);
	assert_string_equal(s, "ab\xE2\x80\xA6");
	free(s);
	s = render_clip_units("\xC3\xA8\xC3\xA8\xC3\xA8", 2);
	assert_string_equal(s, "\xC3\xA8\xE2\x80\xA6");
	free(s);
	assert_int_equal(render_units("a\xC3\xA8\xE2\x80\xA6\xF0\x9F\x9A\xA7"), 5);
}

/* Right at the limit nothing is clipped. */
static void test_exact_limit(void **state)
{
	size_t room = RENDER_TG_TEXT_MAX - strlen("Titolo") - 2;
	char *body = malloc(room + 2), *s, *t;
	(void)state;

	memset(body, 'x', room);
	body[room] = '\0';
	s = render_tg_notice("Titolo", body);
	t = shown(s);
	assert_int_equal(render_units(t), RENDER_TG_TEXT_MAX);
	assert_null(strstr(t, "\xE2\x80\xA6"));
	free(t);
	free(s);
	body[room] = 'x';
	body[room + 1] = '\0';
	s = render_tg_notice("Titolo", body);
	t = shown(s);
	assert_int_equal(render_units(t), RENDER_TG_TEXT_MAX);
	assert_non_null(strstr(t, "\xE2\x80\xA6"));
	free(t);
	free(s);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notice_shape),
		cmocka_unit_test(test_clipped_to_limit),
		cmocka_unit_test(test_clip_units),
		cmocka_unit_test(test_exact_limit),
	};
	return cmocka_run_group_tests_name("tg_render", tests, NULL, NULL);
}
