/*
 * The comune's opt-in links for posters and the console:
 *   GET /api/v1/optin/links[?comune=ID]  the WhatsApp and Telegram links
 *       and the sign-up form's address, as JSON;
 *   GET /api/v1/optin/qr?channel=whatsapp|telegram[&comune=ID]  the
 *       channel's link as an SVG QR code (qr_svg.h); 404 not_configured
 *       when the comune's channel has no public number / bot username.
 * The links are built by optin_link.h from what channels hold
 * (wa_display_number, tg_bot_username: migration 0013). docs/api.md.
 */
#ifndef BND_OPTIN_H
#define BND_OPTIN_H

#include "core/route.h"

struct ingest;
struct evhttp_request;

void optin_handle_links(struct ingest *ing, struct evhttp_request *req,
                        const struct route_args *ra);
void optin_handle_qr(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);

#endif
