/*
 * Time zones without the C library's global state: the IANA zone files
 * (TZif, RFC 8536) read into a value of our own, so any thread may ask
 * for local time in any zone at once. localtime_r() and mktime() can
 * only use the zone named by the process-wide TZ variable, and switching
 * it with setenv()/tzset() while other threads run is not safe with
 * glibc (libpq and librdkafka read the environment too). PostgreSQL
 * reads the same files for AT TIME ZONE.
 *
 * A zone is its transitions (UTC offsets and when they changed) and,
 * past the last one, the zone's rule as a POSIX TZ string (the file's
 * footer, e.g. "CET-1CEST,M3.5.0,M10.5.0/3"). Files come from $TZDIR,
 * else /usr/share/zoneinfo (Debian's tzdata). A loaded zone is
 * immutable: share it between threads freely.
 */
#ifndef BND_TZONE_H
#define BND_TZONE_H

#include <stddef.h>
#include <stdint.h>

struct tzone;

/*
 * Loads the zone called name ("Europe/Rome"). NULL if the name is not a
 * zone name (empty, absolute, with "..") or its file is missing or
 * malformed. Free with tzone_free.
 */
struct tzone *tzone_load(const char *name);
/* UTC as a zone (no transitions). Free with tzone_free. */
struct tzone *tzone_utc(void);
/*
 * Parses a zone from the bytes of a TZif file (for tests and tools).
 * NULL if malformed.
 */
struct tzone *tzone_parse(const unsigned char *data, size_t len);
void tzone_free(struct tzone *z);

/* The UTC offset (seconds east) in force at Unix time t. */
long tzone_offset(const struct tzone *z, int64_t t);
/*
 * The Unix times at which local wall-clock time is local (seconds since
 * 1970-01-01T00:00 of local time, as if it were UTC). Returns how many:
 * 1 usually; 2 when clocks were put back over it (at[0] < at[1]); 0 when
 * it was skipped (clocks put forward): at[0] is then the time the offset
 * before the change gives, i.e. local moved on by the gap.
 */
int tzone_instants(const struct tzone *z, int64_t local, int64_t at[2]);

#endif
