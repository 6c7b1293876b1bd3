#!/usr/bin/env bash
# tests/integration/test_dns_nsd.sh -- the libunbound backend against a
# real authoritative server: NSD on 127.0.0.1, a free high port, run as the
# current user from a temporary directory.  The zone is under test., so
# this also proves libunbound's built-in test. zone is lifted.
#
# Checks every status through `dmarcguard dns --resolver --format json`
# (exact JSON via jq), record/replay equivalence with --dns-record and
# --zone, and TIMEOUT with the server frozen and then stopped.
set -u
: "${DG_BIN:?DG_BIN must name the dmarcguard binary}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-nsd.XXXXXX")
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
trap 'nsd_stop; rm -rf "$WORK"' EXIT

for tool in /usr/sbin/nsd nsd-checkzone dig jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "missing $tool (run scripts/setup.sh)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

cat >"$WORK/dg.test.zone" <<'EOF'
$ORIGIN dg.test.
$TTL 300
@	IN SOA	ns.dg.test. hostmaster.dg.test. 1 3600 600 86400 60
@	NS	ns
ns	A	127.0.0.1
@	A	192.0.2.10
@	AAAA	2001:db8::10
@	MX	10 mx1
@	MX	20 mx2.dg.test.
@	TXT	"v=spf1 ip4:192.0.2.0/24 " "include:_spf.dg.test " "-all"
@	SPF	"v=spf1 -all"
mx1	A	192.0.2.25
mx1	A	192.0.2.26
_dmarc	600 TXT	"v=DMARC1; p=reject; rua=mailto:d@dg.test"
quote	TXT	"say \"hi\"" "back\\slash" ""
bin	TXT	"caf\233" "\000x"
www	CNAME	dg.test.
alias	CNAME	www
dangling CNAME	gone
null	MX	0 .
ptr	PTR	host.dg.test.
EOF

NSD_IPV6=0
have_ipv6_loopback && NSD_IPV6=1
if ! nsd_start dg.test "$WORK/dg.test.zone"; then
	not_ok "nsd starts"
	finish
	exit 1
fi
ok "nsd starts on 127.0.0.1@$NSD_PORT"
R="127.0.0.1@$NSD_PORT"

# q NAME TYPE [extra options]: sets GOT to the JSON answer, compact with
# sorted keys and records sorted (so the rows below are exact and
# order-free), and RC to the exit status.
q() {
	local name=$1 type=$2
	shift 2
	"$DG_BIN" dns --resolver "$R" --no-dnssec --format json "$@" \
	    "$name" "$type" 2>"$WORK/stderr" >"$WORK/out"
	RC=$?
	GOT=$(jq -cS '.records |= sort_by(tostring)' "$WORK/out" 2>/dev/null ||
	    cat "$WORK/out" "$WORK/stderr")
}

# row NAME TYPE WANT-RC WANT-JSON
row() {
	q "$1" "$2"
	check "$1 $2: json" "$GOT" "$4"
	check "$1 $2: exit" "$RC" "$3"
}

row dg.test TXT 0 '{"canonical":"dg.test","dnssec":"unknown","name":"dg.test","records":[{"escaped":false,"strings":["v=spf1 ip4:192.0.2.0/24 ","include:_spf.dg.test ","-all"],"text":"v=spf1 ip4:192.0.2.0/24 include:_spf.dg.test -all"}],"status":"ok","ttl":300,"type":"TXT","why":null}'
row _dmarc.dg.test TXT 0 '{"canonical":"_dmarc.dg.test","dnssec":"unknown","name":"_dmarc.dg.test","records":[{"escaped":false,"strings":["v=DMARC1; p=reject; rua=mailto:d@dg.test"],"text":"v=DMARC1; p=reject; rua=mailto:d@dg.test"}],"status":"ok","ttl":600,"type":"TXT","why":null}'
row quote.dg.test TXT 0 '{"canonical":"quote.dg.test","dnssec":"unknown","name":"quote.dg.test","records":[{"escaped":false,"strings":["say \"hi\"","back\\slash",""],"text":"say \"hi\"back\\slash"}],"status":"ok","ttl":300,"type":"TXT","why":null}'
row bin.dg.test TXT 0 '{"canonical":"bin.dg.test","dnssec":"unknown","name":"bin.dg.test","records":[{"escaped":true,"strings":["caf\\233","\\000x"],"text":"caf\\233\\000x"}],"status":"ok","ttl":300,"type":"TXT","why":null}'
row dg.test SPF 0 '{"canonical":"dg.test","dnssec":"unknown","name":"dg.test","records":[{"escaped":false,"strings":["v=spf1 -all"],"text":"v=spf1 -all"}],"status":"ok","ttl":300,"type":"SPF","why":null}'
row dg.test A 0 '{"canonical":"dg.test","dnssec":"unknown","name":"dg.test","records":[{"address":"192.0.2.10"}],"status":"ok","ttl":300,"type":"A","why":null}'
row mx1.dg.test A 0 '{"canonical":"mx1.dg.test","dnssec":"unknown","name":"mx1.dg.test","records":[{"address":"192.0.2.25"},{"address":"192.0.2.26"}],"status":"ok","ttl":300,"type":"A","why":null}'
row dg.test AAAA 0 '{"canonical":"dg.test","dnssec":"unknown","name":"dg.test","records":[{"address":"2001:db8::10"}],"status":"ok","ttl":300,"type":"AAAA","why":null}'
row dg.test MX 0 '{"canonical":"dg.test","dnssec":"unknown","name":"dg.test","records":[{"exchange":"mx1.dg.test","preference":10},{"exchange":"mx2.dg.test","preference":20}],"status":"ok","ttl":300,"type":"MX","why":null}'
row null.dg.test MX 0 '{"canonical":"null.dg.test","dnssec":"unknown","name":"null.dg.test","records":[{"exchange":".","preference":0}],"status":"ok","ttl":300,"type":"MX","why":null}'
row dg.test NS 0 '{"canonical":"dg.test","dnssec":"unknown","name":"dg.test","records":[{"target":"ns.dg.test"}],"status":"ok","ttl":300,"type":"NS","why":null}'
row ptr.dg.test PTR 0 '{"canonical":"ptr.dg.test","dnssec":"unknown","name":"ptr.dg.test","records":[{"target":"host.dg.test"}],"status":"ok","ttl":300,"type":"PTR","why":null}'
# CNAME following: two hops, the canonical name is the end of the chain.
row ALIAS.Dg.Test. A 0 '{"canonical":"dg.test","dnssec":"unknown","name":"alias.dg.test","records":[{"address":"192.0.2.10"}],"status":"ok","ttl":300,"type":"A","why":null}'
row www.dg.test CNAME 0 '{"canonical":"www.dg.test","dnssec":"unknown","name":"www.dg.test","records":[{"target":"dg.test"}],"status":"ok","ttl":300,"type":"CNAME","why":null}'
# Negative answers: the TTL is the SOA minimum (RFC 2308 5).
row nope.dg.test TXT 1 '{"canonical":"nope.dg.test","dnssec":"unknown","name":"nope.dg.test","records":[],"status":"nxdomain","ttl":60,"type":"TXT","why":null}'
row dangling.dg.test A 1 '{"canonical":"gone.dg.test","dnssec":"unknown","name":"dangling.dg.test","records":[],"status":"nxdomain","ttl":60,"type":"A","why":null}'
row mx1.dg.test TXT 1 '{"canonical":"mx1.dg.test","dnssec":"unknown","name":"mx1.dg.test","records":[],"status":"nodata","ttl":60,"type":"TXT","why":null}'
row www.dg.test MX 0 '{"canonical":"dg.test","dnssec":"unknown","name":"www.dg.test","records":[{"exchange":"mx1.dg.test","preference":10},{"exchange":"mx2.dg.test","preference":20}],"status":"ok","ttl":300,"type":"MX","why":null}'
# Outside the served zone: NSD refuses, which is a server failure.
q example.org A
check "refused: status" "$(jq -r .status <<<"$GOT")" "servfail"
check "refused: exit" "$RC" "3"

# The same server over IPv6, when the machine has ::1.
if [ "$NSD_IPV6" = 1 ]; then
	out=$("$DG_BIN" dns --resolver "::1@$NSD_PORT" --no-dnssec \
	    --format json dg.test AAAA | jq -c '[.status, .records]')
	check "ipv6 upstream" "$out" '["ok",[{"address":"2001:db8::10"}]]'
else
	echo "skip ipv6 upstream: no ::1 on this machine"
fi

# Default DNSSEC mode: validation is on when a trust anchor is installed;
# test. is domain-insecure, so the answer is insecure (or unknown when no
# anchor file exists), never bogus.
out=$("$DG_BIN" dns --resolver "$R" --format json dg.test A)
rc=$?
st=$(jq -r '.status + " " + .dnssec' <<<"$out")
case $st in
"ok insecure" | "ok unknown") ok "validating mode: $st" ;;
*) not_ok "validating mode" "got: $st" ;;
esac
check "validating mode: exit" "$rc" "0"

# Text output through the same path.
got=$("$DG_BIN" dns --resolver "$R" --no-dnssec dg.test MX | sort)
check "text MX" "$got" "$(printf '%s\n' 'MX         10 mx1.dg.test' \
    'MX         20 mx2.dg.test' 'canonical  dg.test' 'dnssec     unknown' \
    'name       dg.test' 'status     ok' 'ttl        300' 'type       MX')"

# Record, then replay offline: the same JSON and exit status.  dnssec is
# "unknown" on both sides with --no-dnssec.  The recorder keeps record TTLs
# but not negative-answer TTLs (a zone file has no place for them: its
# $NODATA / absent names carry no SOA), so for NXDOMAIN and NODATA the ttl
# is left out of the comparison.
n=0
for qt in "dg.test TXT" "quote.dg.test TXT" "bin.dg.test TXT" "dg.test A" \
    "mx1.dg.test A" "dg.test AAAA" "dg.test MX" "null.dg.test MX" \
    "dg.test NS" "ptr.dg.test PTR" "alias.dg.test A" "www.dg.test CNAME" \
    "nope.dg.test TXT" "mx1.dg.test TXT" "dg.test SPF"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	q $qt --dns-record "$WORK/rec$n.zone"
	live=$GOT
	live_rc=$RC
	# shellcheck disable=SC2086
	"$DG_BIN" dns --zone "$WORK/rec$n.zone" --format json $qt \
	    >"$WORK/replay" 2>&1
	replay_rc=$?
	replay=$(jq -cS '.records |= sort_by(tostring)' "$WORK/replay" 2>&1)
	if [ "$live_rc" -eq 1 ]; then
		live=$(jq -c 'del(.ttl)' <<<"$live")
		replay=$(jq -c 'del(.ttl)' <<<"$replay" 2>&1)
	fi
	check "replay $qt" "$replay" "$live"
	check "replay $qt: exit" "$replay_rc" "$live_rc"
done

# A recording of several queries in one run is one zone file.
# (dns asks one question per run; the recorder must not clobber a file
# that fails to write: covered in tests/cli.)

# The server frozen: the socket is open but nothing answers.
nsd_pause
start=$(date +%s%N)
q dg.test TXT --dns-timeout 300
ms=$((($(date +%s%N) - start) / 1000000))
check "frozen: json" "$GOT" '{"canonical":"dg.test","dnssec":"unknown","name":"dg.test","records":[],"status":"timeout","ttl":0,"type":"TXT","why":"no answer within 300 ms"}'
check "frozen: exit" "$RC" "3"
if [ "$ms" -lt 3000 ]; then
	ok "frozen: gave up after ${ms} ms"
else
	not_ok "frozen: took ${ms} ms for a 300 ms timeout"
fi

# The server stopped: nothing listens on the port any more.
nsd_stop
q dg.test A --dns-timeout 300
check "stopped: status" "$(jq -r .status <<<"$GOT")" "timeout"
check "stopped: exit" "$RC" "3"
check "stopped: stderr empty" "$(cat "$WORK/stderr")" ""

finish
