/* `notice list|show|stats|cancel`: notices, their history and delivery statistics. */
#ifndef BND_CTL_NOTICES_H
#define BND_CTL_NOTICES_H

int ctl_notice_list(int argc, char **argv);
int ctl_notice_show(int argc, char **argv);
int ctl_notice_stats(int argc, char **argv);
/* notice_cancel.c: `notice cancel ID [--reason TEXT]`, the operator's kill switch. */
int ctl_notice_cancel(int argc, char **argv);

#endif
