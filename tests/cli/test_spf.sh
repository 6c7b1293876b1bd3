#!/usr/bin/env bash
# tests/cli/test_spf.sh -- golden output of `dmarcguard spf`, offline
# (--zone tests/data/zones/cli-spf.zone): text and JSON for every SPF
# result, the exp= explanation, the HELO scope, the null sender, IPv6,
# --trace, --check-helo, --batch (good and bad lines), usage errors, and
# the --dns-record round trip.
#
# Each case's stdout, stderr and exit status are compared with
# tests/data/golden/spf/CASE.out.  DG_UPDATE_GOLDEN=1 rewrites them
# (review the diff before committing).
set -u
: "${DG_BIN:?DG_BIN must name the dmarcguard binary}"
cd "$(dirname "$0")/.." || exit 1	# tests/: relative paths in output
GOLDEN=data/golden/spf
Z=data/zones/cli-spf.zone
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-clispf.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export NO_COLOR=	# colour is for TTYs only; stdout is a file here
NOW=1700000000
PASS=0
FAIL=0

# run CASE ARGS...: dmarcguard ARGS, its output against the golden file.
run() {
	local name=$1 got
	shift
	"$DG_BIN" "$@" >"$WORK/stdout" 2>"$WORK/stderr" <"${STDIN:-/dev/null}"
	local rc=$?
	got=$(cat "$WORK/stdout"; echo "--- stderr"; cat "$WORK/stderr";
	    echo "--- exit $rc")
	got=${got//$WORK/WORK}
	if [ "${DG_UPDATE_GOLDEN:-}" = 1 ]; then
		printf '%s\n' "$got" >"$GOLDEN/$name.out"
	fi
	if [ -f "$GOLDEN/$name.out" ] &&
	    [ "$got" = "$(cat "$GOLDEN/$name.out")" ]; then
		PASS=$((PASS + 1))
		echo "ok   $name"
	else
		FAIL=$((FAIL + 1))
		echo "FAIL $name"
		diff -u "$GOLDEN/$name.out" <(printf '%s\n' "$got") | sed 's/^/     /'
	fi
}

# check NAME GOT WANT
check() {
	if [ "$2" = "$3" ]; then
		PASS=$((PASS + 1))
		echo "ok   $1"
	else
		FAIL=$((FAIL + 1))
		printf 'FAIL %s\n     got:  %s\n     want: %s\n' "$1" "$2" "$3"
	fi
}

# spf CASE IP MAIL-FROM [more options]: text and JSON of one query.
spf() {
	local name=$1 ip=$2 mf=$3
	shift 3
	run "$name-text" spf --zone "$Z" --now "$NOW" --ip "$ip" \
	    --mail-from "$mf" --helo mta.spf.example "$@"
	run "$name-json" spf --zone "$Z" --now "$NOW" --ip "$ip" \
	    --mail-from "$mf" --helo mta.spf.example --format json "$@"
}

# Every result, and the term or limit that decided it.
spf pass-ip4 192.0.2.1 user@spf.example
spf pass-ip6 2001:db8:1::5 user@spf.example
spf pass-include 203.0.113.70 user@spf.example --trace
spf pass-a 192.0.2.200 user@spf.example
spf pass-mx-v4mapped ::ffff:192.0.2.77 user@spf.example
spf pass-mx-ip6 2001:db8:77::1 "<user@spf.example>"
spf fail-exp 10.0.0.1 user@spf.example --receiver mx.receiver.example \
    --trace
spf softfail 10.0.0.1 user@soft.spf.example
spf softfail-redirect 10.0.0.1 user@redir.spf.example
spf neutral 10.0.0.1 user@neutral.spf.example
spf none-no-record 10.0.0.1 user@nospf.spf.example
spf none-no-domain 10.0.0.1 user@nonexistent.spf.example
spf none-bad-domain 10.0.0.1 user@-bad-.example
spf permerror-syntax 10.0.0.1 user@broken.spf.example
spf permerror-limit 10.0.0.1 user@chain.spf.example --trace
spf permerror-void 10.0.0.1 user@voids.spf.example
spf permerror-multiple 10.0.0.1 user@twice.spf.example
spf temperror 10.0.0.1 user@slow.spf.example
spf idn 192.0.2.9 "user@bücher.spf.example"
spf domain-only 192.0.2.1 spf.example

# Null sender: postmaster@HELO, scope mfrom; --check-helo adds the HELO
# identity (scope helo).
spf null-sender 192.0.2.25 "<>"
spf null-sender-empty 10.0.0.9 ""
spf check-helo 192.0.2.1 user@spf.example --check-helo
run null-sender-no-helo spf --zone "$Z" --ip 192.0.2.25 --mail-from "<>"
run no-mail-from spf --zone "$Z" --now "$NOW" --ip 192.0.2.25 \
    --helo mta.spf.example

# Batch: one JSON object a line (good and bad lines, comments, CRLF),
# text lines, stdin.
cat >"$WORK/batch.txt" <<'LINES'
# ip mail-from helo
192.0.2.1 user@spf.example mta.spf.example
10.0.0.1	user@spf.example

203.0.113.70 <user@spf.example> mta.spf.example
192.0.2.25 <> mta.spf.example
not-an-ip user@spf.example mta.spf.example
192.0.2.1
192.0.2.1 a b c
192.0.2.25 <>
2001:db8:1::5 user@soft.spf.example mta.spf.example
LINES
printf '10.0.0.1 user@slow.spf.example mta.spf.example\r\n' >>"$WORK/batch.txt"
printf '10.0.0.1 %s x\n' "$(printf 'a%.0s' $(seq 1100))" >>"$WORK/batch.txt"
printf '10.0.0.1 user@neutral.spf.example\n' >>"$WORK/batch.txt"
run batch-json spf --zone "$Z" --now "$NOW" --batch "$WORK/batch.txt"
run batch-text spf --zone "$Z" --now "$NOW" --batch "$WORK/batch.txt" \
    --format text
run batch-check-helo spf --zone "$Z" --now "$NOW" --check-helo \
    --format text --batch "$WORK/batch.txt"
printf '192.0.2.1 user@spf.example mta.spf.example\n' >"$WORK/one.txt"
STDIN="$WORK/one.txt" run batch-stdin spf --zone "$Z" --now "$NOW" \
    --batch -
printf '192.0.2.1 user@spf.example' >"$WORK/nonl.txt"
run batch-no-final-newline spf --zone "$Z" --now "$NOW" \
    --batch "$WORK/nonl.txt" -f text
: >"$WORK/empty.txt"
run batch-empty spf --zone "$Z" --batch "$WORK/empty.txt"
run batch-check-helo-json spf --zone "$Z" --now "$NOW" --check-helo \
    --batch "$WORK/one.txt"
printf '192.0.2.1 us\001er@spf.example mta.spf.example\n' >"$WORK/odd.txt"
printf '192.0.2.1 "q\\\\u"@spf.example mta.spf.example\n' >>"$WORK/odd.txt"
printf '192.0.2.1 caf\351@spf.example mta.spf.example\n' >>"$WORK/odd.txt"
printf '192.0.2.1 caf\303\251@spf.example mta.spf.example\n' >>"$WORK/odd.txt"
run batch-odd-bytes spf --zone "$Z" --now "$NOW" --batch "$WORK/odd.txt"
# The batch writer and the single-query JSON agree field for field.
while read -r ip mf helo; do
	one=$("$DG_BIN" spf --zone "$Z" --now "$NOW" --format json --ip "$ip" \
	    --mail-from "$mf" --helo "$helo" --check-helo | jq -cS .)
	bat=$(printf '%s %s %s\n' "$ip" "$mf" "$helo" | "$DG_BIN" spf \
	    --zone "$Z" --now "$NOW" --check-helo --batch - | jq -cS 'del(.line)')
	check "batch = single: $ip $mf" "$bat" "$one"
done <<'QUERIES'
192.0.2.1 user@spf.example mta.spf.example
10.0.0.1 user@spf.example mta.spf.example
203.0.113.70 user@chain.spf.example mta.spf.example
10.0.0.1 user@slow.spf.example mta.spf.example
2001:db8:77::1 user@voids.spf.example mta.spf.example
QUERIES
# Many lines: evaluated in chunks of 256 sharing parsed records; every
# line still gets its own verdict, in order, bad lines included.
cat >"$WORK/cycle.txt" <<'LINES'
192.0.2.1 user@spf.example mta.spf.example
10.0.0.1 user@spf.example mta.spf.example
203.0.113.70 user@redir.spf.example mta.spf.example
bad-line
10.0.0.1 user@broken.spf.example mta.spf.example
2001:db8:1::5 user@spf.example mta.spf.example
10.0.0.1 user@chain.spf.example mta.spf.example
LINES
want=""
while IFS= read -r l; do
	want+=$(printf '%s\n' "$l" | "$DG_BIN" spf --zone "$Z" --now "$NOW" \
	    --batch - --format text 2>/dev/null | cut -f2,3,4,5,6)$'\n'
done <"$WORK/cycle.txt"
: >"$WORK/many.txt"
for _ in $(seq 100); do cat "$WORK/cycle.txt" >>"$WORK/many.txt"; done
got=$("$DG_BIN" spf --zone "$Z" --now "$NOW" --batch "$WORK/many.txt" \
    --format text 2>/dev/null)
check "batch 700 lines: count" "$(wc -l <<<"$got")" 700
check "batch 700 lines: numbered in order" \
    "$(cut -f1 <<<"$got" | tr '\n' ' ')" "$(seq 700 | tr '\n' ' ')"
check "batch 700 lines: verdicts" "$(cut -f2- <<<"$got")" \
    "$(for _ in $(seq 100); do printf '%s' "$want"; done | sed '/^$/d')"
# From a pipe, lines are answered one at a time: the same output.
check "batch 700 lines: pipe = file" "$(cat "$WORK/many.txt" | "$DG_BIN" spf \
    --zone "$Z" --now "$NOW" --batch - --format text 2>/dev/null)" "$got"
check "batch 700 lines: JSON pipe = file" "$(cat "$WORK/many.txt" |
    "$DG_BIN" spf --zone "$Z" --now "$NOW" --batch - 2>/dev/null | md5sum)" \
    "$("$DG_BIN" spf --zone "$Z" --now "$NOW" --batch "$WORK/many.txt" \
    2>/dev/null | md5sum)"
check "batch 700 lines: errors on stderr" "$("$DG_BIN" spf --zone "$Z" \
    --batch "$WORK/many.txt" 2>&1 >/dev/null | wc -l)" 100

run batch-missing spf --zone "$Z" --batch "$WORK/no-such-file"
run batch-with-ip spf --zone "$Z" --batch "$WORK/one.txt" --ip 192.0.2.1

# Help and usage errors: exit 0 for help, 2 with a message otherwise.
run help spf --help
run help-via-main help spf
run no-args spf
run no-ip spf --zone "$Z" --mail-from user@spf.example
run bad-ip spf --zone "$Z" --ip 192.0.2.256 --mail-from user@spf.example
run bad-ip-prefix spf --zone "$Z" --ip 192.0.2.0/24 \
    --mail-from user@spf.example
run bad-now spf --zone "$Z" --ip 192.0.2.1 --mail-from u@spf.example \
    --now yesterday
run bad-format spf --zone "$Z" --ip 192.0.2.1 --mail-from u@spf.example \
    --format xml
run empty-helo spf --zone "$Z" --ip 192.0.2.1 --mail-from u@spf.example \
    --helo ""
run check-helo-no-helo spf --zone "$Z" --ip 192.0.2.1 \
    --mail-from u@spf.example --check-helo
run extra-arg spf --zone "$Z" --ip 192.0.2.1 --mail-from u@spf.example \
    extra
run unknown-option spf --bogus
run missing-value spf --ip
run long-mail-from spf --zone "$Z" --ip 192.0.2.1 \
    --mail-from "$(printf 'a%.0s' $(seq 1100))@spf.example"
run zone-missing spf --zone data/zones/no-such.zone --ip 192.0.2.1 \
    --mail-from u@spf.example

# Record, then replay: the same verdict offline from the recording.
for q in "10.0.0.1 user@spf.example" "203.0.113.70 user@spf.example" \
    "10.0.0.1 user@slow.spf.example" "10.0.0.1 user@chain.spf.example"; do
	set -- $q
	f="$WORK/rec.zone"
	rm -f "$f"
	live=$("$DG_BIN" spf --zone "$Z" --now "$NOW" --format json \
	    --ip "$1" --mail-from "$2" --dns-record "$f")
	replay=$("$DG_BIN" spf --zone "$f" --now "$NOW" --format json \
	    --ip "$1" --mail-from "$2")
	# The timeout's detail names no file, but keep the check to verdicts.
	check "record/replay $q" "$(jq -c 'del(.trace)' <<<"$replay")" \
	    "$(jq -c 'del(.trace)' <<<"$live")"
	check "record/replay $q: trace" \
	    "$(jq -c '[.trace[] | [.name, .type, .status]]' <<<"$replay")" \
	    "$(jq -c '[.trace[] | [.name, .type, .status]]' <<<"$live")"
done

# JSON fields the issue names are always present.
for f in result domain scope mechanism explanation lookups void_lookups \
    reason detail dns_queries client_ip mail_from helo trace; do
	check "json field $f" "$("$DG_BIN" spf --zone "$Z" --ip 10.0.0.1 \
	    --mail-from u@spf.example --format json | jq "has(\"$f\")")" true
done

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
