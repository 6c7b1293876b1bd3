#!/usr/bin/env bash
# tests/cli/test_dns.sh -- golden output of `dmarcguard dns`, offline
# (--zone tests/data/zones/cli-dns.zone): text and JSON for every record
# type and status, --help, bad arguments (exit 2 and the message), a bad
# zone file (FILE:LINE), IDN names, and the --dns-record round trip.
#
# Each case's stdout, stderr and exit status are compared with
# tests/data/golden/dns/CASE.out.  DG_UPDATE_GOLDEN=1 rewrites them
# (review the diff before committing).
set -u
: "${DG_BIN:?DG_BIN must name the dmarcguard binary}"
cd "$(dirname "$0")/.." || exit 1	# tests/: relative paths in output
GOLDEN=data/golden/dns
Z=data/zones/cli-dns.zone
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-clidns.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export NO_COLOR=	# colour is for TTYs only; stdout is a file here
PASS=0
FAIL=0

# run CASE ARGS...: dmarcguard ARGS, its output against the golden file.
run() {
	local name=$1 got
	shift
	"$DG_BIN" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
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

# Records of every type, text and JSON.
for t in TXT SPF A AAAA MX NS; do
	lt=$(tr 'A-Z' 'a-z' <<<"$t")
	run "$lt-text" dns --zone "$Z" cli.example "$t"
	run "$lt-json" dns --zone "$Z" --format json cli.example "$t"
done
run dkim-text dns --zone "$Z" sel._domainkey.cli.example txt
run dmarc-json dns --zone "$Z" -f json _dmarc.cli.example TXT
run quote-text dns --zone "$Z" quote.cli.example TXT
run quote-json dns --zone "$Z" --format json quote.cli.example TXT
run binary-text dns --zone "$Z" bin.cli.example TXT
run binary-json dns --zone "$Z" --format json bin.cli.example TXT
run utf8-text dns --zone "$Z" utf8.cli.example TXT
run utf8-json dns --zone "$Z" --format json utf8.cli.example TXT
run cname-follow-json dns --zone "$Z" --format json alias.cli.example A
run cname-text dns --zone "$Z" www.cli.example CNAME
run nullmx-json dns --zone "$Z" --format json nullmx.cli.example MX
run ptr-text dns --zone "$Z" 2.0.192.in-addr.arpa PTR
run idn-json dns --zone "$Z" --format json "bücher.cli.example" A
run idn-upper-text dns --zone "$Z" "BÜCHER.CLI.EXAMPLE." A
run trailing-dot-text dns --zone "$Z" CLI.Example. A

# Negative answers and failures, with their exit statuses.
run nxdomain-text dns --zone "$Z" nope.cli.example A
run nxdomain-json dns --zone "$Z" --format json nope.cli.example A
run nodata-json dns --zone "$Z" --format json mx1.cli.example TXT
run timeout-json dns --zone "$Z" --format json slow.cli.example A
run servfail-text dns --zone "$Z" broken.cli.example TXT

# Help and usage errors: exit 0 for help, 2 with a message otherwise.
run help dns --help
run help-short dns -h
run help-via-main help dns
run main-help --help
run no-args dns
run one-arg dns --zone "$Z" cli.example
run three-args dns --zone "$Z" cli.example A extra
run unknown-type dns --zone "$Z" cli.example SOA
run unknown-option dns --bogus cli.example A
run missing-value dns cli.example A --zone
run bad-format dns --zone "$Z" --format xml cli.example A
run zone-and-resolver dns --zone "$Z" --resolver 127.0.0.1 cli.example A
run resolver-junk dns --resolver not-an-ip cli.example A
run resolver-bad-port dns --resolver 127.0.0.1@99999 cli.example A
run resolver-port-zero dns --resolver ::1@0 cli.example A
run resolver-empty-port dns --resolver 192.0.2.1@ cli.example A
run timeout-zero dns --zone "$Z" --dns-timeout 0 cli.example A
run timeout-junk dns --zone "$Z" --dns-timeout 5s cli.example A
run timeout-huge dns --zone "$Z" --dns-timeout 99999999999 cli.example A
run empty-label dns --zone "$Z" "a..cli.example" A
run empty-name dns --zone "$Z" "" A
run long-label dns --zone "$Z" \
    "$(printf 'a%.0s' $(seq 64)).cli.example" A
run long-name dns --zone "$Z" \
    "$(printf 'abcdefghi.%.0s' $(seq 26))example" A
run bad-idn dns --zone "$Z" "$(printf 'caf\xe9').cli.example" A
run bad-idn-symbol dns --zone "$Z" "☃☃.cli.example" A
run zone-bad dns --zone data/zones/cli-bad.zone cli.example A
run zone-missing dns --zone data/zones/cli-does-not-exist.zone \
    cli.example A

# Record, then replay: the replay prints exactly what the live run did.
for qt in "cli.example TXT" "cli.example MX" "alias.cli.example A" \
    "bin.cli.example TXT" "nope.cli.example A" "mx1.cli.example TXT" \
    "slow.cli.example A" "broken.cli.example TXT"; do
	f="$WORK/rec.zone"
	rm -f "$f"
	# shellcheck disable=SC2086
	live=$("$DG_BIN" dns --zone "$Z" --format json --dns-record "$f" $qt)
	live_rc=$?
	# shellcheck disable=SC2086
	replay=$("$DG_BIN" dns --zone "$f" --format json $qt)
	replay_rc=$?
	if [ "$live_rc" -eq 1 ]; then	# negative TTLs are not recorded
		live=$(jq -c 'del(.ttl)' <<<"$live")
		replay=$(jq -c 'del(.ttl)' <<<"$replay")
	fi
	# "why" of $TIMEOUT / $SERVFAIL names the zone file; not replayed.
	live=$(jq -c 'del(.why)' <<<"$live")
	replay=$(jq -c 'del(.why)' <<<"$replay")
	check "record/replay $qt" "$replay" "$live"
	check "record/replay $qt: exit" "$replay_rc" "$live_rc"
done
run record-unwritable dns --zone "$Z" --dns-record "$WORK/no/such/dir/r.zone" \
    cli.example A
check "record-unwritable: nothing created" "$(ls -A "$WORK" | grep -c '^no')" "0"
# A failed query run still writes what it saw; the old file is replaced
# atomically (no temporary file is left behind).
"$DG_BIN" dns --zone "$Z" --dns-record "$WORK/r2.zone" cli.example A \
    >/dev/null
"$DG_BIN" dns --zone "$Z" --dns-record "$WORK/r2.zone" cli.example AAAA \
    >/dev/null
check "record: replaced, not appended" \
    "$(grep -c ' IN ' "$WORK/r2.zone")" "1"
check "record: no temporary left" "$(ls "$WORK" | grep -c '^r2')" "1"

# Colour: only on a terminal (script(1) provides one), never with NO_COLOR.
if command -v script >/dev/null 2>&1; then
	tty_status() {	# the status line as a terminal shows it
		script -qec "$DG_BIN dns --zone $Z $1" /dev/null </dev/null |
		    tr -d '\r' | sed -n 3p | cat -v
	}
	check "tty ok: green" "$(NO_COLOR= tty_status "cli.example A")" \
	    'status     ^[[32mok^[[0m'
	check "tty nxdomain: yellow" "$(NO_COLOR= tty_status "nope.cli.example A")" \
	    'status     ^[[33mnxdomain^[[0m'
	check "tty NO_COLOR=1: plain" "$(NO_COLOR=1 tty_status "cli.example A")" \
	    'status     ok'
else
	echo "skip colour checks: script(1) not installed"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
