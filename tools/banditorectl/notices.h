/* `notice list|show|stats`: notices, their history and delivery statistics. */
#ifndef BND_CTL_NOTICES_H
#define BND_CTL_NOTICES_H

int ctl_notice_list(int argc, char **argv);
int ctl_notice_show(int argc, char **argv);
int ctl_notice_stats(int argc, char **argv);

#endif
