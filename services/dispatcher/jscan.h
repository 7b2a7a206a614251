/*
 * A JSON scanner that finds one string in a provider's answer without
 * building a tree: jansson takes about 28,000 instructions to parse a
 * WhatsApp "accepted" answer (measured with callgrind), more than
 * anything else the dispatcher does for a job. The scan takes only the
 * plain shape it looks for; for anything else (an escape in the string,
 * deep nesting, a shape it does not expect, a syntax it does not take)
 * it answers false and the caller parses the answer in full, so what it
 * accepts it reads as jansson would.
 */
#ifndef DSP_JSCAN_H
#define DSP_JSCAN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * true if body (len bytes) is one JSON object without a top-level member
 * named absent, whose member arr (once) is an array whose first element
 * is an object with a member key holding a non-empty ASCII string without
 * escapes, shorter than outsz: that string is then in out.
 */
bool jscan_first_str(const char *body, size_t len, const char *absent, const char *arr,
                     const char *key, char *out, size_t outsz);

#endif
