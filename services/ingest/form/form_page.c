/* HTML of the web sign-up form, built with open_memstream. */
#include "form/form_page.h"

#include <stdio.h>
#include <stdlib.h>

#include "escape.h"
#include "core/public_style.h"

#define FORM_STYLE                                                                   \
	PUBLIC_STYLE "body{max-width:36rem;margin:1rem auto;"                            \
	"padding:0 1rem;line-height:1.5;font-size:1.1rem}"                               \
	"label,legend{font-weight:600}input[type=tel]{font-size:1.1rem;padding:.4rem;" \
	"width:100%;box-sizing:border-box}fieldset{margin:1rem 0}"                       \
	".err{border:2px solid #a00;padding:.5rem;color:#700}"                           \
	"button{font-size:1.1rem;padding:.5rem 1rem}"

/* Writes s escaped. */
static void put_esc(FILE *f, const char *s)
{
	char *e = esc_text(s, ESC_HTML);
	fputs(e, f);
	free(e);
}

/* Opens a page titled "<title> - <comune name>". */
static FILE *page_open(char **buf, size_t *len, const char *title, const struct form_comune *c)
{
	FILE *f = open_memstream(buf, len);

	if (f == NULL)
		abort();   /* out of memory, as xmalloc would */
	fputs("<!DOCTYPE html>\n<html lang=\"it\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	      "<title>", f);
	fputs(title, f);
	if (c != NULL) {
		fputs(" - ", f);
		put_esc(f, c->name);
	}
	fputs("</title><style>" FORM_STYLE "</style></head><body><main>\n", f);
	return f;
}

/* Closes the page and returns it. */
static char *page_close(FILE *f, char **buf)
{
	fputs("</main></body></html>\n", f);
	if (fclose(f) != 0)
		abort();
	return *buf;
}

/* The topic checkboxes, if the comune has topics. */
static void put_topics(FILE *f, const struct form_comune *c)
{
	if (c->ntopics == 0)
		return;
	fputs("<fieldset><legend>Argomenti</legend>\n<p id=\"temi-aiuto\">Scegli gli "
	      "argomenti che ti interessano. Se non ne scegli nessuno riceverai tutti gli "
	      "avvisi.</p>\n", f);
	for (size_t i = 0; i < c->ntopics; i++) {
		fprintf(f, "<div><input type=\"checkbox\" name=\"topics\" id=\"tema-%zu\" value=\"", i);
		put_esc(f, c->topics[i].slug);
		fprintf(f, "\" aria-describedby=\"temi-aiuto\"> <label for=\"tema-%zu\">", i);
		put_esc(f, c->topics[i].name);
		fputs("</label></div>\n", f);
	}
	fputs("</fieldset>\n", f);
}

/* The privacy checkbox, with the link to the notice if there is one. */
static void put_privacy(FILE *f, const struct form_comune *c)
{
	fputs("<p><input type=\"checkbox\" name=\"privacy\" id=\"privacy\" value=\"1\" required "
	      "aria-required=\"true\"> <label for=\"privacy\">Ho letto l'", f);
	if (c->privacy_url[0] != '\0') {
		fputs("<a href=\"", f);
		put_esc(f, c->privacy_url);
		fputs("\">informativa sulla privacy</a>", f);
	} else {
		fputs("informativa sulla privacy del Comune", f);
	}
	fputs(" e chiedo di ricevere gli avvisi su WhatsApp (obbligatorio).</label></p>\n", f);
}

char *form_page_form(const struct form_comune *c, const char *error)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = page_open(&buf, &len, "Iscrizione agli avvisi", c);

	fputs("<h1>Avvisi del ", f);
	put_esc(f, c->name);
	fputs(" su WhatsApp</h1>\n<p>Ricevi sul tuo cellulare gli avvisi del Comune: "
	      "interruzioni di servizi, strade chiuse, allerte meteo e di protezione civile. "
	      "Dopo l'invio ti arriverà un messaggio WhatsApp: l'iscrizione sarà attiva solo "
	      "quando risponderai CONFERMA.</p>\n", f);
	if (error != NULL) {
		fputs("<p class=\"err\" role=\"alert\">", f);
		put_esc(f, error);
		fputs("</p>\n", f);
	}
	fputs("<form method=\"post\" action=\"/c/", f);
	put_esc(f, c->id);
	fputs("/iscrizione\">\n<p><label for=\"phone\">Numero di cellulare</label><br>"
	      "<input type=\"tel\" name=\"phone\" id=\"phone\" autocomplete=\"tel\" required "
	      "aria-required=\"true\" maxlength=\"40\" aria-describedby=\"phone-aiuto\"><br>"
	      "<span id=\"phone-aiuto\">Per esempio 333 123 4567 oppure +39 333 123 4567.</span>"
	      "</p>\n", f);
	put_topics(f, c);
	put_privacy(f, c);
	fputs("<p><button type=\"submit\">Iscrivimi</button></p>\n</form>\n", f);
	return page_close(f, &buf);
}

char *form_page_sent(const struct form_comune *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = page_open(&buf, &len, "Richiesta ricevuta", c);

	fputs("<h1>Richiesta ricevuta</h1>\n<p role=\"status\">Se il numero può ricevere gli "
	      "avvisi, tra poco ti arriverà un messaggio WhatsApp del ", f);
	put_esc(f, c->name);
	fputs(". Rispondi CONFERMA per attivare l'iscrizione: fino ad allora non riceverai "
	      "avvisi.</p>\n<p>Per non riceverli più, in qualsiasi momento, scrivi "
	      "DISATTIVA.</p>\n", f);
	return page_close(f, &buf);
}

char *form_page_not_found(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = page_open(&buf, &len, "Pagina non trovata", NULL);

	fputs("<h1>Pagina non trovata</h1>\n<p>Questo Comune non offre l'iscrizione agli "
	      "avvisi da questa pagina. Controlla l'indirizzo sul sito del Comune.</p>\n", f);
	return page_close(f, &buf);
}
