/* Handles one citizen message: keyword -> consent -> reply job + change. */
#ifndef BND_CITIZEN_H
#define BND_CITIZEN_H

#include "service.h"
#include "worker.h"

/* work_handler for citizen.messages; arg is the struct service. */
enum work_result citizen_handle(const rd_kafka_message_t *msg, void *arg);

#endif
