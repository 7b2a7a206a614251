#!/usr/bin/env bash
# The public archive: a sent notice whose title and body carry markup
# (<script>, &, quotes) appears escaped on the comune's archive page, on
# its own page and in the Atom feed, which is well-formed XML; drafts and
# other comuni's notices do not appear; unknown comuni and notices are 404.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

ARCH="$INGEST_URL/c/demo/avvisi"
EVIL_TITLE='Avviso <script>alert(1)</script> & "virgolette"'
EVIL_BODY=$'Riga uno <img src=x onerror=alert(2)>\nRiga due & \'apici\' <b>grassetto</b>'
ESC_TITLE='Avviso &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;virgolette&quot;'
PAGE=$(mktemp)
HDRS=$(mktemp)
trap 'rm -f "$PAGE" "$HDRS"' EXIT

# get URL: the status code; the body in $PAGE, the headers in $HDRS.
get() { curl -s -m 10 -D "$HDRS" -o "$PAGE" -w '%{http_code}' "$1"; }

psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = 'demo'" >/dev/null

step "an editor's notice with markup in it is approved and sent"
id=$(api_post /api/v1/notices "$(jq -nc --arg t "$EVIL_TITLE" --arg b "$EVIL_BODY" \
	'{title: $t, body: $b}')" | jq -r .id)
assert_eq "$(api_submit_approve "$id" | jq -r .status)" approved "approved"
wait_eq 30 "notice sent" sent psql_q "SELECT status FROM notices WHERE id = '$id'"
draft=$(api_post /api/v1/notices '{"title":"Bozza segreta 92","body":"Non pubblicare"}' | jq -r .id)
wait_eq 30 "draft stored" draft psql_q "SELECT status FROM notices WHERE id = '$draft'"

step "the archive page lists it, escaped"
assert_eq "$(get "$ARCH")" 200 "archive page: 200"
assert_contains "$(grep -i '^content-type' "$HDRS")" "text/html; charset=utf-8" "HTML in UTF-8"
assert_contains "$(grep -i '^content-security-policy' "$HDRS")" "default-src 'none'" \
	"a CSP that forbids scripts"
html=$(cat "$PAGE")
assert_contains "$html" '<html lang="it">' "an Italian page"
assert_contains "$html" "$ESC_TITLE" "the title, escaped"
assert_contains "$html" "Riga uno &lt;img src=x onerror=alert(2)&gt;" "the body, escaped"
assert_contains "$html" "/c/demo/avvisi/$id\"" "a link to the notice's own page"
assert_eq "$(grep -ci '<script' "$PAGE" || true)" 0 "no <script> anywhere"
assert_eq "$(grep -c '<img' "$PAGE" || true)" 0 "no <img> anywhere"
assert_eq "$(grep -c 'Bozza segreta 92' "$PAGE" || true)" 0 "drafts are not published"

step "the notice's own page has the full text"
assert_eq "$(get "$ARCH/$id")" 200 "notice page: 200"
assert_contains "$(cat "$PAGE")" "<h1>$ESC_TITLE</h1>" "the title as heading"
assert_contains "$(cat "$PAGE")" "Riga due &amp; &#39;apici&#39; &lt;b&gt;grassetto&lt;/b&gt;" \
	"the whole body, escaped"
assert_eq "$(grep -ci '<script' "$PAGE" || true)" 0 "no <script>"
assert_eq "$(get "$ARCH/$draft")" 404 "a draft's page: 404"
assert_eq "$(get "$ARCH/00000000-0000-4000-8000-000000000000")" 404 "an unknown notice: 404"

step "the Atom feed is valid and escaped"
assert_eq "$(get "$ARCH.atom")" 200 "feed: 200"
assert_contains "$(grep -i '^content-type' "$HDRS")" "application/atom+xml" "served as Atom"
assert_contains "$(cat "$PAGE")" "$ESC_TITLE" "the title, XML-escaped"
if command -v xmllint >/dev/null; then
	xmllint --noout "$PAGE" || e2e_fail "xmllint rejects the feed"
	printf '   ok  xmllint accepts the feed\n'
fi
# Parsed back, the entry holds exactly what the editor wrote.
parsed=$(python3 - "$PAGE" "$id" <<'PY'
import sys, json, xml.dom.minidom as m
doc = m.parse(sys.argv[1])
A = "http://www.w3.org/2005/Atom"
feed = doc.documentElement
text = lambda el, tag: "".join(n.data for n in el.getElementsByTagNameNS(A, tag)[0].childNodes)
out = {"root": feed.localName, "ns": feed.namespaceURI, "id": text(feed, "id"),
       "updated": text(feed, "updated"), "title": text(feed, "title")}
for e in feed.getElementsByTagNameNS(A, "entry"):
    if text(e, "id") == "urn:uuid:" + sys.argv[2]:
        out["entry_title"] = text(e, "title")
        out["entry_body"] = text(e, "content")
        out["entry_link"] = e.getElementsByTagNameNS(A, "link")[0].getAttribute("href")
        out["entry_updated"] = text(e, "updated")
print(json.dumps(out))
PY
) || e2e_fail "the feed is not well-formed XML"
printf '   ok  python parses the feed\n'
assert_eq "$(jq -r '.root + " " + .ns' <<<"$parsed")" "feed http://www.w3.org/2005/Atom" "an Atom feed"
assert_eq "$(jq -r .entry_title <<<"$parsed")" "$EVIL_TITLE" "the entry's title, exactly as written"
assert_eq "$(jq -r .entry_body <<<"$parsed")" "$EVIL_BODY" "the entry's content, exactly as written"
assert_contains "$(jq -r .entry_link <<<"$parsed")" "/c/demo/avvisi/$id" "the entry links to its page"
assert_eq "$(jq -r '.updated == .entry_updated' <<<"$parsed")" true "the feed is as new as its newest entry"
assert_eq "$(grep -c 'Bozza segreta 92' "$PAGE" || true)" 0 "no drafts in the feed"

step "pages, methods, unknown comuni"
sent=$(psql_q "SELECT count(*) FROM notices WHERE comune_id = 'demo' AND status = 'sent'")
last=$(((sent + 19) / 20))
[ "$last" -ge 1 ] || last=1
assert_eq "$(get "$ARCH?pagina=$last")" 200 "the last page ($last): 200"
assert_contains "$(cat "$PAGE")" "Pagina $last" "says which page"
assert_eq "$(get "$ARCH?pagina=$((last + 1))")" 404 "past the last page: 404"
assert_eq "$(get "$ARCH?pagina=abc")" 404 "a page that is not a number: 404"
assert_eq "$(get "$INGEST_URL/c/nessuno/avvisi")" 404 "an unknown comune's page: 404"
assert_eq "$(get "$INGEST_URL/c/nessuno/avvisi.atom")" 404 "an unknown comune's feed: 404"
assert_eq "$(http_status -X POST "$ARCH")" 405 "POST: 405"
# HEAD: a link checker's or a cache's question; the headers of GET, no body.
head=$(curl -s -m 10 -I -o - "$ARCH")
assert_contains "$head" "HTTP/1.1 200" "HEAD of the list: 200"
len=$(curl -s -m 10 "$ARCH" | wc -c)
assert_contains "$head" "Content-Length: $len" "with the length GET's body has"
assert_eq "$(curl -s -m 10 -X HEAD --max-time 3 "$ARCH" 2>/dev/null | wc -c)" 0 "and no body"
assert_eq "$(curl -s -m 10 -I -o /dev/null -w '%{http_code}' "$INGEST_URL/c/demo/avvisi.atom")" 200 \
	"HEAD of the feed: 200"
assert_eq "$(curl -s -m 10 -I -o /dev/null -w '%{http_code}' "$INGEST_URL/c/nessuno/avvisi")" 404 \
	"HEAD of an unknown comune: 404"
assert_eq "$(get "$INGEST_URL/c/prova/avvisi")" 200 "another comune's archive"
assert_eq "$(grep -c "$id" "$PAGE" || true)" 0 "does not list demo's notice"

e2e_done
