/*
 * Comma-separated lists and coordinates given on the command line, for
 * the CAP settings (feed.c, comune_set.c). Pure, unit-tested.
 */
#ifndef BND_CTL_CSV_H
#define BND_CTL_CSV_H

#include <stdbool.h>

/*
 * "a, b,c" as a PostgreSQL text[] literal ("{}" for ""), each item
 * trimmed, 1-64 bytes, without control characters, and without blanks
 * unless spaces is set. NULL (message printed, naming option) otherwise.
 * Caller frees.
 */
char *ctl_csv_array(const char *csv, const char *option, bool spaces);
/* "LAT,LON" (degrees) as a PostgreSQL point "(LON,LAT)" (x is the
 * longitude). NULL (message printed) if out of range. Caller frees. */
char *ctl_latlon_point(const char *arg);

#endif
