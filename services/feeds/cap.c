/* CAP 1.2 documents: schema validation and reading; see cap.h. */
#include "cap.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/* libxml2 made its errors const in 2.12. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error;
#else
typedef xmlErrorPtr xml_error;
#endif

struct cap_schema {
	xmlSchemaPtr schema;
};

/* The schema's own complaints: cap_schema_load logs one line instead. */
static void quiet_error(void *arg, xml_error e)
{
}

struct cap_schema *cap_schema_load(const char *path)
{
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
	struct cap_schema *s;
	xmlSchemaPtr schema;

	if (pc == NULL)
		return NULL;
	xmlSchemaSetParserStructuredErrors(pc, quiet_error, NULL);
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (schema == NULL) {
		log_error("feeds.schema", "cannot load the CAP schema %s", path);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->schema = schema;
	return s;
}

void cap_schema_free(struct cap_schema *s)
{
	if (s == NULL)
		return;
	xmlSchemaFree(s->schema);
	free(s);
}

/* Keeps the schema's first complaint (structured errors: no stderr). */
struct why {
	char *buf;
	size_t len;
};

static void why_error(void *arg, xml_error e)
{
	struct why *w = arg;

	if (w->buf[0] == '\0' && e != NULL && e->message != NULL) {
		snprintf(w->buf, w->len, "line %d: %s", e->line, e->message);
		w->buf[strcspn(w->buf, "\n")] = '\0';
	}
}

static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* An element of the CAP namespace named name? */
static bool is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	       strcmp((const char *)n->ns->href, CAP_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

/* The element's text, trimmed, as a new string. */
static char *text_of(const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	const char *s = c != NULL ? (const char *)c : "";
	size_t len;
	char *out;

	s += strspn(s, " \t\r\n");
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		len--;
	out = xstrndup(s, len);
	xmlFree(c);
	return out;
}

/* *field = the text of child name of parent (the first), "" if none. */
static char *child_text(const xmlNode *parent, const char *name)
{
	for (const xmlNode *c = parent->children; c != NULL; c = c->next)
		if (is(c, name))
			return text_of(c);
	return xstrdup("");
}

/* valueName/value of a geocode. */
static void read_geocode(const xmlNode *n, struct cap_geocode *g)
{
	g->name = child_text(n, "valueName");
	g->value = child_text(n, "value");
}

static int read_area(const xmlNode *n, struct cap_area *ar, char *why, size_t whylen)
{
	ar->desc = child_text(n, "areaDesc");
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		char *t;
		int rc = 0;

		if (is(c, "polygon")) {
			struct cap_polygon *p;
			ar->polygons = xrealloc(ar->polygons, (ar->npolygons + 1) * sizeof(*p));
			p = &ar->polygons[ar->npolygons];
			t = text_of(c);
			rc = geo_parse_polygon(t, &p->pts, &p->n);
			if (rc == 0)
				ar->npolygons++;
		} else if (is(c, "circle")) {
			struct cap_circle *k;
			ar->circles = xrealloc(ar->circles, (ar->ncircles + 1) * sizeof(*k));
			k = &ar->circles[ar->ncircles];
			t = text_of(c);
			rc = geo_parse_circle(t, &k->centre, &k->radius_km);
			if (rc == 0)
				ar->ncircles++;
		} else if (is(c, "geocode")) {
			ar->geocodes = xrealloc(ar->geocodes, (ar->ngeocodes + 1) * sizeof(*ar->geocodes));
			read_geocode(c, &ar->geocodes[ar->ngeocodes++]);
			continue;
		} else {
			continue;
		}
		if (rc != 0)
			fail(why, whylen, "area \"%.60s\": bad %s \"%.40s\"", ar->desc,
			     (const char *)c->name, t);
		free(t);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int read_info(const xmlNode *n, struct cap_info *in, char *why, size_t whylen)
{
	in->language = child_text(n, "language");
	in->event = child_text(n, "event");
	in->urgency = child_text(n, "urgency");
	in->severity = child_text(n, "severity");
	in->certainty = child_text(n, "certainty");
	in->onset = child_text(n, "onset");
	in->effective = child_text(n, "effective");
	in->expires = child_text(n, "expires");
	in->sender_name = child_text(n, "senderName");
	in->headline = child_text(n, "headline");
	in->description = child_text(n, "description");
	in->instruction = child_text(n, "instruction");
	in->web = child_text(n, "web");
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (is(c, "parameter") && in->awareness == NULL) {
			char *name = child_text(c, "valueName");
			if (strcmp(name, "awareness_level") == 0)
				in->awareness = child_text(c, "value");
			free(name);
		}
		if (!is(c, "area"))
			continue;
		in->areas = xrealloc(in->areas, (in->nareas + 1) * sizeof(*in->areas));
		memset(&in->areas[in->nareas], 0, sizeof(*in->areas));
		if (read_area(c, &in->areas[in->nareas++], why, whylen) != 0)
			return -1;
	}
	if (in->awareness == NULL)
		in->awareness = xstrdup("");
	return 0;
}

static int read_alert(const xmlNode *root, struct cap_alert *a, char *why, size_t whylen)
{
	a->identifier = child_text(root, "identifier");
	a->sender = child_text(root, "sender");
	a->sent = child_text(root, "sent");
	a->status = child_text(root, "status");
	a->msg_type = child_text(root, "msgType");
	a->scope = child_text(root, "scope");
	a->references = child_text(root, "references");
	for (const xmlNode *c = root->children; c != NULL; c = c->next) {
		if (!is(c, "info"))
			continue;
		a->infos = xrealloc(a->infos, (a->ninfos + 1) * sizeof(*a->infos));
		memset(&a->infos[a->ninfos], 0, sizeof(*a->infos));
		if (read_info(c, &a->infos[a->ninfos++], why, whylen) != 0)
			return -1;
	}
	return 0;
}

int cap_parse(const struct cap_schema *schema, const char *xml, size_t len,
              struct cap_alert *a, char *why, size_t whylen)
{
	struct why w = { why, whylen };
	xmlSchemaValidCtxtPtr vc;
	xmlDocPtr doc;
	int rc;

	memset(a, 0, sizeof(*a));
	why[0] = '\0';
	if (len > (size_t)INT32_MAX)
		return fail(why, whylen, "document too large");
	/* No network, no entities, no DTDs: the document is all there is. */
	doc = xmlReadMemory(xml, (int)len, "cap.xml", NULL,
	                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *e = xmlGetLastError();
		fail(why, whylen, "not well-formed XML%s%.200s", e != NULL ? ": " : "",
		     e != NULL && e->message != NULL ? e->message : "");
		why[strcspn(why, "\n")] = '\0';
		return -1;
	}
	if (xmlDocGetRootElement(doc) == NULL || !is(xmlDocGetRootElement(doc), "alert")) {
		xmlFreeDoc(doc);
		return fail(why, whylen, "not a CAP 1.2 alert (root element)");
	}
	vc = xmlSchemaNewValidCtxt(schema->schema);
	xmlSchemaSetValidStructuredErrors(vc, why_error, &w);
	rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	if (rc != 0) {
		xmlFreeDoc(doc);
		if (why[0] == '\0')
			fail(why, whylen, "not valid CAP 1.2");
		return -1;
	}
	rc = read_alert(xmlDocGetRootElement(doc), a, why, whylen);
	xmlFreeDoc(doc);
	if (rc != 0)
		cap_alert_free(a);
	return rc;
}

#define ATOM_NS "http://www.w3.org/2005/Atom"

static bool is_atom(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	       strcmp((const char *)n->ns->href, ATOM_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

/* The entry's CAP link: type application/cap+xml, else the first. */
static char *entry_link(const xmlNode *entry)
{
	xmlChar *first = NULL;
	char *out = NULL;

	for (const xmlNode *c = entry->children; c != NULL && out == NULL; c = c->next) {
		xmlChar *href, *type;
		if (!is_atom(c, "link"))
			continue;
		href = xmlGetProp(c, (const xmlChar *)"href");
		type = xmlGetProp(c, (const xmlChar *)"type");
		if (href != NULL && type != NULL && strcmp((char *)type, "application/cap+xml") == 0)
			out = xstrdup((char *)href);
		else if (href != NULL && first == NULL)
			first = xmlStrdup(href);
		xmlFree(href);
		xmlFree(type);
	}
	if (out == NULL && first != NULL)
		out = xstrdup((char *)first);
	xmlFree(first);
	return out;
}

int cap_atom_links(const char *xml, size_t len, char ***links)
{
	xmlDocPtr doc;
	xmlNode *root;
	int n = 0;

	*links = NULL;
	if (len > (size_t)INT32_MAX)
		return -1;
	doc = xmlReadMemory(xml, (int)len, "feed.xml", NULL,
	                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_atom(root, "feed")) {
		xmlFreeDoc(doc);
		return -1;
	}
	for (const xmlNode *c = root->children; c != NULL; c = c->next) {
		char *href = is_atom(c, "entry") ? entry_link(c) : NULL;
		if (href == NULL)
			continue;
		*links = xrealloc(*links, (size_t)(n + 1) * sizeof(**links));
		(*links)[n++] = href;
	}
	xmlFreeDoc(doc);
	return n;
}

static void area_free(struct cap_area *ar)
{
	free(ar->desc);
	for (size_t i = 0; i < ar->npolygons; i++)
		free(ar->polygons[i].pts);
	free(ar->polygons);
	free(ar->circles);
	for (size_t i = 0; i < ar->ngeocodes; i++) {
		free(ar->geocodes[i].name);
		free(ar->geocodes[i].value);
	}
	free(ar->geocodes);
}

static void info_free(struct cap_info *in)
{
	char **s[] = { &in->language, &in->event, &in->urgency, &in->severity, &in->certainty,
		       &in->onset, &in->effective, &in->expires, &in->sender_name,
		       &in->headline, &in->description, &in->instruction, &in->web, &in->awareness };

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		free(*s[i]);
	for (size_t i = 0; i < in->nareas; i++)
		area_free(&in->areas[i]);
	free(in->areas);
}

void cap_alert_free(struct cap_alert *a)
{
	free(a->identifier);
	free(a->sender);
	free(a->sent);
	free(a->status);
	free(a->msg_type);
	free(a->scope);
	free(a->references);
	for (size_t i = 0; i < a->ninfos; i++)
		info_free(&a->infos[i]);
	free(a->infos);
	memset(a, 0, sizeof(*a));
}

const struct cap_info *cap_info_pick(const struct cap_alert *a)
{
	for (size_t i = 0; i < a->ninfos; i++) {
		const char *l = a->infos[i].language;
		if ((l[0] == 'i' || l[0] == 'I') && (l[1] == 't' || l[1] == 'T') &&
		    (l[2] == '\0' || l[2] == '-' || l[2] == '_'))
			return &a->infos[i];
	}
	return a->ninfos > 0 ? &a->infos[0] : NULL;
}

int cap_severity_rank(const char *severity)
{
	static const char *const names[] = { "Minor", "Moderate", "Severe", "Extreme" };

	for (int i = 0; i < 4; i++)
		if (strcmp(severity, names[i]) == 0)
			return i + 1;
	return 0;
}

time_t cap_time(const char *s)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, sec, oh, om, n = 0;
	char sign;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &sign,
	           &oh, &om, &n) != 9 || s[n] != '\0' || (sign != '+' && sign != '-'))
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return timegm(&tm) - (sign == '+' ? 1 : -1) * (time_t)(oh * 3600 + om * 60);
}

int cap_reference_next(const char *refs, size_t *pos, char *sender, char *identifier,
                       char *sent, size_t size)
{
	char *out[3] = { sender, identifier, sent };
	const char *p = refs + *pos;
	size_t n;

	p += strspn(p, " \t\r\n");
	if (*p == '\0')
		return 0;
	n = strcspn(p, " \t\r\n");
	*pos = (size_t)(p - refs) + n;
	for (int f = 0; f < 3; f++) {
		size_t k = f < 2 ? strcspn(p, ", \t\r\n") : strcspn(p, " \t\r\n");
		snprintf(out[f], size, "%.*s", (int)k, p);
		p += k;
		if (f < 2 && *p == ',')
			p++;
	}
	return 1;
}
