/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Voicemail waiting: the body of a SIP NOTIFY with Event: message-summary
 * (RFC 3842), which the provider sends toward the ATA:
 *
 *     Messages-Waiting: yes
 *     Message-Account: sip:alice@vmail.example.com
 *     Voice-Message: 2/8 (0/2)
 *
 * "new/old (urgent new/urgent old)"; the urgent part is optional. Other
 * message classes (fax, text...) are not voicemail and are ignored. The
 * body is hostile: it is read in place, line by line, within its length;
 * counts above SIPCID_MESSAGE_SUMMARY_COUNT_MAX or not made of digits are
 * treated as absent. No allocation: this runs on the packet path. */
#ifndef SIPCID_MESSAGE_SUMMARY_H
#define SIPCID_MESSAGE_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SIPCID_MESSAGE_SUMMARY_COUNT_MAX = 99999 };

struct sipcid_message_summary {
	bool waiting;                   /* Messages-Waiting: yes */
	int new_messages, old_messages; /* -1: not sent */
	int urgent_new, urgent_old;     /* -1: not sent */
	uint64_t account_hash;          /* of Message-Account, 0 when absent: tells mailboxes apart */
};

/* Reads a message-summary body. False when it is not one: RFC 3842 makes
 * Messages-Waiting mandatory. */
bool sipcid_message_summary_parse(const char *body, size_t len,
                                  struct sipcid_message_summary *out);

/* True when msg (a whole SIP request) is a NOTIFY whose Event header names
 * the message-summary package. */
bool sipcid_message_summary_is_notify(const char *msg, size_t len);

#endif
