/*
 * Telegram's parse_mode "HTML", as the Bot API parses it: the supported
 * tags (b strong i em u ins s strike del a code pre span tg-spoiler
 * tg-emoji blockquote), the named entities &lt; &gt; &amp; &quot; and
 * numeric ones. The error texts are Telegram's, as they follow "Bad
 * Request: can't parse entities: ". Only the text matters to the fake:
 * entities (bold, links...) are checked, not kept.
 */
#ifndef FAKE_TG_HTML_H
#define FAKE_TG_HTML_H

#include <stddef.h>

/*
 * Parses text (NUL-terminated). Returns the plain text, tags removed and
 * entities decoded (caller frees), or NULL with Telegram's reason in err.
 */
char *html_parse(const char *text, char *err, size_t errlen);
/* Length as Telegram counts it (UTF-16 code units); -1 if s is not UTF-8. */
long html_text_length(const char *s);

#endif
