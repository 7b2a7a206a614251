/*
 * citizen.messages: what a citizen wrote, a Telegram block, or a web-form
 * sign-up -> the consent ledger -> replies and consent changes.
 * Every decision is taken from consent_apply()'s result, which a replay
 * of the same evidence reproduces, so a replay produces the same jobs.
 */
#include "citizen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoreply.h"
#include "clock.h"
#include "consent.h"
#include "keywords.h"
#include "log.h"
#include "metrics.h"
#include "outbox.h"
#include "phone.h"
#include "replies.h"
#include "xmalloc.h"

static struct metric m_joined = METRIC_COUNTER("bnd_subscriptions_joined_total", "citizens who subscribed or confirmed");
static struct metric m_left = METRIC_COUNTER("bnd_subscriptions_left_total", "citizens who unsubscribed or were revoked");
static struct metric m_requests = METRIC_COUNTER("bnd_subscriptions_form_requests_total", "web-form sign-ups");
static struct metric m_replies = METRIC_COUNTER("bnd_subscriptions_auto_replies_total", "automatic replies sent");

void citizen_metrics_register(void)
{
	metrics_register(&m_joined);
	metrics_register(&m_left);
	metrics_register(&m_requests);
	metrics_register(&m_replies);
}

/* The ledger's source for a message on ob's channel. */
static const char *source_of(const struct outbox *ob, const Banditore__V1__CitizenMessage *cm)
{
	if (cm->source != NULL && strcmp(cm->source, "form") == 0)
		return "form";
	return ob->st->cmds->source;
}

/* Logs a consent decision without the number in clear. */
static void log_applied(const struct outbox *ob, const char *action,
                        const struct consent_result *r)
{
	char red[PHONE_MAX + 4];
	struct log_fields f = LOG_FIELDS_INIT;

	lf_str(&f, "comune", ob->st->comune_id);
	lf_int(&f, "channel", ob->st->channel_id);
	lf_int(&f, "subscriber_id", r->subscriber_id);
	log_info_f("consent.applied", &f,
	         "channel %lld %s %s: subscriber %lld %s -> changed=%d replayed=%d",
	         ob->st->channel_id, phone_redact(ob->address, red), action, r->subscriber_id,
	         *r->prev_status ? r->prev_status : "(new)", r->changed, r->replayed);
}

/* ATTIVA [topics], CONFERMA, /start, or a choice of topics. */
static int on_join(struct outbox *ob, const char *source, const struct kw_command *cmd)
{
	struct consent_result r;
	char status[12];
	bool set = cmd->ntopics > 0 || cmd->all_topics;
	const char *action = "subscribe";

	if (consent_status(ob->sub->svc.db, ob->st->channel_id, ob->address, status) != 0)
		return -1;
	if (strcmp(status, "pending") == 0)
		action = "confirm";
	else if (strcmp(status, "active") == 0 && cmd->action == KW_CHOOSE)
		action = "topics";
	if (consent_record(ob->sub->svc.db, ob->st->channel_id, ob->address, action, source,
	                   ob->evidence, set, (char **)cmd->topics, cmd->ntopics, &r) != 0)
		return -1;
	log_applied(ob, action, &r);
	if (strcmp(r.prev_status, "active") != 0) {
		metric_add(&m_joined, 1);
		outbox_text(ob, "welcome", r.subscriber_id,
		            reply_welcome(ob->st, (char **)cmd->topics, cmd->ntopics), true);
		outbox_change(ob, r.subscriber_id, true, action);
	} else if (r.changed) {
		outbox_text(ob, "topics", r.subscriber_id,
		            reply_topics_set(ob->st, (char **)cmd->topics, cmd->ntopics), true);
	} else {
		outbox_text(ob, "already", r.subscriber_id, reply_already(ob->st), false);
	}
	return 0;
}

/* DISATTIVA, /stop. */
static int on_leave(struct outbox *ob, const char *source)
{
	struct consent_result r;

	if (consent_record(ob->sub->svc.db, ob->st->channel_id, ob->address, "unsubscribe", source,
	                   ob->evidence, false, NULL, 0, &r) != 0)
		return -1;
	log_applied(ob, "unsubscribe", &r);
	if (r.changed) {
		metric_add(&m_left, 1);
		/* A goodbye goes to someone who just revoked: no consent check. */
		outbox_text(ob, "goodbye", r.subscriber_id, xstrdup(ob->st->goodbye), false);
		outbox_change(ob, r.subscriber_id, false, "unsubscribe");
	} else {
		outbox_text(ob, "notsub", r.subscriber_id, reply_not_subscribed(ob->st), false);
	}
	return 0;
}

/* The provider says the citizen blocked us or is gone. */
int citizen_revoke(struct outbox *ob)
{
	struct consent_result r;

	if (consent_record(ob->sub->svc.db, ob->st->channel_id, ob->address, "revoke", "provider",
	                   ob->evidence, false, NULL, 0, &r) != 0)
		return -1;
	log_applied(ob, "revoke", &r);
	if (r.changed) {
		metric_add(&m_left, 1);
		outbox_change(ob, r.subscriber_id, false, "revoke");
	}
	return 0;
}

/* The web form: pending until the citizen confirms on WhatsApp. */
static int on_form(struct outbox *ob, const Banditore__V1__CitizenMessage *cm)
{
	struct consent_result r;
	char status[12];

	metric_add(&m_requests, 1);
	if (consent_status(ob->sub->svc.db, ob->st->channel_id, ob->address, status) != 0)
		return -1;
	/* A form must not change an active subscriber's choices: anyone can
	 * type anyone's number. Record the request, send nothing. */
	bool active = strcmp(status, "active") == 0;
	if (consent_record(ob->sub->svc.db, ob->st->channel_id, ob->address, "request", "form",
	                   ob->evidence, !active && cm->n_topics > 0, cm->topics, cm->n_topics,
	                   &r) != 0)
		return -1;
	log_applied(ob, "request", &r);
	if (strcmp(r.prev_status, "active") != 0)
		outbox_confirm(ob, r.subscriber_id);
	return 0;
}

/* Anything that is no command: one automatic reply per interval. */
static void on_other(struct outbox *ob)
{
	if (!autoreply_allow(ob->sub->autoreply, ob->st->channel_id, ob->address, clock_mono_ms(),
	                     ob->st->auto_reply_every_s))
		return;
	metric_add(&m_replies, 1);
	outbox_text(ob, "autoreply", 0, reply_auto(ob->st), false);
}

/* A text (or a button's text): a command or not. */
static int on_text(struct outbox *ob, const Banditore__V1__CitizenMessage *cm)
{
	struct kw_command cmd;

	kw_parse(cm->text, &ob->st->lists, ob->st->kw_topics_table, ob->st->ntopics, &cmd);
	switch (cmd.action) {
	case KW_JOIN:
	case KW_CHOOSE:
		return on_join(ob, source_of(ob, cm), &cmd);
	case KW_LEAVE:
		return on_leave(ob, source_of(ob, cm));
	case KW_TOPICS:
		outbox_text(ob, "topics-list", 0, reply_topics_list(ob->st), false);
		return 0;
	case KW_HELP:
		outbox_text(ob, "help", 0, reply_help(ob->st), false);
		return 0;
	case KW_NONE:
		break;
	}
	on_other(ob);
	return 0;
}

/* Routes a decoded message by its type. */
static int citizen_route(struct outbox *ob, const Banditore__V1__CitizenMessage *cm)
{
	const char *type = cm->message_type ? cm->message_type : "";

	if (strcmp(type, "form_signup") == 0)
		return on_form(ob, cm);
	if (strcmp(type, "blocked") == 0)
		return citizen_revoke(ob);
	if (strcmp(type, "unblocked") == 0)
		return 0;   /* they must /start again to consent */
	if (cm->text != NULL && *cm->text != '\0')
		return on_text(ob, cm);
	on_other(ob);
	return 0;
}

enum work_result citizen_handle(const rd_kafka_message_t *msg, void *arg,
                                struct work_fault *fault)
{
	struct subscriptions *sub = arg;
	Banditore__V1__CitizenMessage *cm;
	const struct settings *st;
	struct outbox ob;
	enum work_result r = WORK_DONE;
	int rc;

	cm = banditore__v1__citizen_message__unpack(NULL, msg->len, msg->payload);
	if (cm == NULL || cm->address == NULL || *cm->address == '\0' ||
	    cm->provider_message_id == NULL || *cm->provider_message_id == '\0') {
		if (cm != NULL)
			banditore__v1__citizen_message__free_unpacked(cm, NULL);
		return work_reject(fault, "not a valid CitizenMessage (undecodable, or without an "
		                          "address or message id)");
	}
	rc = settings_get(&sub->settings, sub->svc.db, cm->channel_id, &st);
	if (rc < 0) {
		r = work_db(fault, sub->svc.db);
	} else if (rc == SETTINGS_NO_CHANNEL) {
		r = work_reject(fault, "channel %lld does not exist", (long long)cm->channel_id);
	} else if (rc == SETTINGS_UNKNOWN_KIND) {
		r = work_reject(fault, "channel %lld is of a kind subscriptions does not know",
		                (long long)cm->channel_id);
	} else {
		outbox_init(&ob, sub, st, cm->address, cm->provider_message_id);
		rc = citizen_route(&ob, cm);
		r = outbox_end(&ob, rc, fault);
	}
	banditore__v1__citizen_message__free_unpacked(cm, NULL);
	return r;
}
