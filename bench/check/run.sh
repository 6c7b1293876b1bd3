#!/usr/bin/env bash
# bench/check/run.sh [DOMAINS] -- how many domains a second `dmarcguard
# check` audits against a loopback authoritative server, next to that
# server's own limit, measured in the same run.
#
#  1. Generate DOMAINS (default 10000) domains in one zone: a quarter each
#     protected (p=reject, SPF -all with an include, a 2048-bit DKIM key
#     at "google"), p=none with ~all, no DMARC with ?all, and parked (null
#     MX, -all, p=reject).
#  2. Serve it with NSD on 127.0.0.1 (one server process, no rate limit,
#     statistics through a local control socket).
#  3. The server's limit: dnsperf sends the queries check makes (MX, TXT,
#     _dmarc, DKIM selectors, MTA-STS, TLS-RPT, BIMI, over these domains)
#     as fast as NSD answers, for 10 s.
#  4. check -f over all domains with --resolver, for several -j, in the
#     default mode (32 common DKIM selectors plus the extras) and the core
#     mode (--no-common-selectors --no-extra).  NSD's own counter gives
#     the queries that reached it per domain (libunbound caches the rest),
#     so queries/s over the server's measured QPS is the fraction of the
#     physical limit check reaches.
#
# Needs nsd, nsd-control, dnsperf (scripts/setup.sh installs them) and a
# built binary (DG_BIN, default build/dmarcguard; build it with
# scripts/build.sh release for meaningful numbers).
set -eu
cd "$(dirname "$0")/../.."
N=${1:-10000}
BIN=${DG_BIN:-build/dmarcguard}
JOBS=${JOBS:-"8 32 64"}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-bench-check.XXXXXX")
NSD_PID=
cleanup() {
	if [ -n "$NSD_PID" ]; then
		kill -TERM -- "-$NSD_PID" 2>/dev/null || true
		wait "$NSD_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
for tool in /usr/sbin/nsd nsd-control dnsperf dig; do
	command -v "$tool" >/dev/null 2>&1 ||
	    { echo "missing $tool (run scripts/setup.sh)"; exit 1; }
done
[ -x "$BIN" ] || { echo "no binary at $BIN (scripts/build.sh release)"; exit 1; }

# ---- 1. the zone ----
KEY=$(grep -P '^rsa2048\._domainkey\.dkim\t' tests/data/zones/check.zone |
    cut -f3-)
{
	printf '$ORIGIN test.\n$TTL 3600\n'
	printf '@\tIN SOA\tns.test. hostmaster.test. 1 3600 600 86400 60\n'
	printf '@\tNS\tns\nns\tA\t127.0.0.1\n'
	printf '$ORIGIN bench.test.\n'
	printf 'mx\tA\t192.0.2.1\n'
	printf '_spf\tTXT\t"v=spf1 ip4:198.51.100.0/24 -all"\n'
	awk -v n="$N" -v key="$KEY" 'BEGIN {
		for (i = 0; i < n; i++) {
			d = sprintf("d%06d", i);
			k = i % 4;
			if (k == 3) {
				printf "%s\tMX\t0 .\n", d;
				printf "%s\tTXT\t\"v=spf1 -all\"\n", d;
				printf "_dmarc.%s\tTXT\t\"v=DMARC1; p=reject;\"\n", d;
				continue;
			}
			printf "%s\tMX\t10 mx\n", d;
			if (k == 0) {
				printf "%s\tTXT\t\"v=spf1 ip4:192.0.2.0/24 include:_spf.bench.test -all\"\n", d;
				printf "_dmarc.%s\tTXT\t\"v=DMARC1; p=reject; rua=mailto:d@%s.bench.test\"\n", d, d;
				printf "google._domainkey.%s\tTXT\t%s\n", d, key;
			} else if (k == 1) {
				printf "%s\tTXT\t\"v=spf1 ip4:192.0.2.0/24 ~all\"\n", d;
				printf "_dmarc.%s\tTXT\t\"v=DMARC1; p=none; rua=mailto:d@%s.bench.test\"\n", d, d;
			} else {
				printf "%s\tTXT\t\"v=spf1 mx ?all\"\n", d;
			}
		}
	}'
} >"$WORK/test.zone"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
	printf "d%06d.bench.test\n", i }' >"$WORK/domains.txt"
# The queries check sends for one domain, for dnsperf.
awk -v n="$N" 'BEGIN {
	split("google selector1 selector2 k1 default dkim s1 mail", sel, " ");
	for (i = 0; i < n; i++) {
		d = sprintf("d%06d.bench.test", i);
		printf "%s MX\n%s TXT\n_dmarc.%s TXT\n", d, d, d;
		printf "%s._domainkey.%s TXT\n", sel[i % 8 + 1], d;
		printf "_mta-sts.%s TXT\n_smtp._tls.%s TXT\n", d, d;
		printf "default._bimi.%s TXT\n", d;
	}
}' >"$WORK/queries.txt"

# ---- 2. NSD ----
mkdir -p "$WORK/nsd"
cp "$WORK/test.zone" "$WORK/nsd/zone.db"
PORT=$((20000 + RANDOM % 30000))
cat >"$WORK/nsd/nsd.conf" <<CONF
server:
	ip-address: 127.0.0.1
	port: $PORT
	username: ""
	chroot: ""
	zonesdir: "$WORK/nsd"
	database: ""
	zonelistfile: "$WORK/nsd/zone.list"
	pidfile: "$WORK/nsd/nsd.pid"
	xfrdfile: "$WORK/nsd/xfrd.state"
	xfrdir: "$WORK/nsd"
	logfile: "$WORK/nsd/nsd.log"
	verbosity: 0
	server-count: 1
	rrl-ratelimit: 0
	refuse-any: yes
remote-control:
	control-enable: yes
	control-interface: "$WORK/nsd/nsd.sock"
zone:
	name: "test"
	zonefile: "zone.db"
CONF
setsid /usr/sbin/nsd -d -c "$WORK/nsd/nsd.conf" >"$WORK/nsd/out" 2>&1 &
NSD_PID=$!
for _ in $(seq 1 100); do
	dig +short +time=1 +tries=1 @127.0.0.1 -p "$PORT" test SOA 2>/dev/null |
	    grep -q . && break
	sleep 0.1
done
nsd_queries() {
	nsd-control -c "$WORK/nsd/nsd.conf" stats_noreset 2>/dev/null |
	    awk -F= '$1 == "num.queries" { print $2 }'
}
[ -n "$(nsd_queries)" ] || { echo "nsd did not start"; cat "$WORK/nsd/out"; exit 1; }

echo "# dmarcguard check: $N domains, NSD $(nsd -v 2>&1 | head -1 |
    awk '{print $3}') on 127.0.0.1, $(nproc) CPUs, $(date -u +%Y-%m-%d)"
echo

# ---- 3. the server's limit ----
dnsperf -s 127.0.0.1 -p "$PORT" -d "$WORK/queries.txt" -l 10 -c 4 \
    -q 500 >"$WORK/dnsperf.out" 2>&1
QPS=$(awk '/Queries per second/ { print $4 }' "$WORK/dnsperf.out")
if grep -q 'SERVFAIL\|REFUSED' "$WORK/dnsperf.out"; then
	echo "NSD failed queries (zone not loaded?):"
	grep -A3 'Response codes' "$WORK/dnsperf.out"
	tail -5 "$WORK/nsd/nsd.log"
	exit 1
fi
LOST=$(awk '/Queries lost/ { print $3 }' "$WORK/dnsperf.out")
printf 'NSD alone (dnsperf, 10 s): %.0f queries/s (lost %s)\n\n' "$QPS" \
    "$LOST"

# ---- 4. check ----
printf '%-6s %-4s %9s %11s %11s %11s %9s\n' mode jobs seconds domains/s \
    nsd-q/dom nsd-q/s "of limit"
run() {	# mode jobs extra-args...
	local mode=$1 jobs=$2 q0 q1 t0 t1 secs dps qpd qps
	shift 2
	q0=$(nsd_queries)
	t0=$(date +%s%N)
	${TIMECMD:-} "$BIN" check --resolver "127.0.0.1@$PORT" --no-dnssec --format csv \
	    --no-progress -j "$jobs" "$@" -f "$WORK/domains.txt" \
	    >"$WORK/out.csv" 2>"$WORK/err" || true
	t1=$(date +%s%N)
	q1=$(nsd_queries)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	dps=$(awk -v n="$N" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	qpd=$(awk -v a="$q0" -v b="$q1" -v n="$N" \
	    'BEGIN { printf "%.1f", (b - a) / n }')
	qps=$(awk -v a="$q0" -v b="$q1" -v s="$secs" \
	    'BEGIN { printf "%.0f", (b - a) / s }')
	printf '%-6s %-4s %9s %11s %11s %11s %8.0f%%\n' "$mode" "$jobs" \
	    "$secs" "$dps" "$qpd" "$qps" \
	    "$(awk -v a="$qps" -v b="$QPS" 'BEGIN { print 100 * a / b }')"
	errors=$(grep -c ',error,' "$WORK/out.csv" || true)
	dnserr=$(grep -c 'dns-error' "$WORK/out.csv" || true)
	if [ "$errors" -gt 0 ] || [ "$dnserr" -gt 0 ] || [ -s "$WORK/err" ]
	then
		echo "       ($errors domains in error, $dnserr with a failed" \
		    "lookup; stderr: $(head -c 200 "$WORK/err"))"
	fi
}
for j in $JOBS; do
	run core "$j" --no-common-selectors --no-extra
done
for j in $JOBS; do
	run dkim "$j" --no-extra
done
for j in $JOBS; do
	run full "$j"
done
echo
echo "verdicts (last run): $(tail -n +2 "$WORK/out.csv" | cut -d, -f2 |
    sort | uniq -c | awk '{ printf "%s %s  ", $2, $1 }')"
