#!/usr/bin/env bash
# tests/integration/test_check_nsd.sh -- `dmarcguard check` against a real
# authoritative server: NSD on 127.0.0.1 serves tests/data/zones/check.zone
# (one domain per finding, plus protected ones) in the zone test., and
# every domain is checked through libunbound with --resolver.
#
# Checks: the exact verdict and finding ids of each domain (CSV), that the
# JSON output through NSD equals the JSON through --zone for every domain
# (same answers, same findings, same records to publish), that a domain
# outside the served zone (REFUSED, a server failure) gives the error
# verdict and exit 2 without stopping the run, and a --dns-record run that
# replays to the same output.  The fault-injection domains of the zone
# file ($TIMEOUT, $SERVFAIL) have no NSD equivalent and are left out.
set -u
: "${DG_BIN:?DG_BIN must name the dmarcguard binary}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-checknsd.XXXXXX")
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
trap 'nsd_stop; rm -rf "$WORK"' EXIT
ZONE=$HERE/../data/zones/check.zone

for tool in /usr/sbin/nsd nsd-checkzone dig jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "missing $tool (run scripts/setup.sh)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

# The zone test., so that every query of a tree walk (up to _dmarc.test)
# is answered by NSD; the fault-injection lines are dropped.
{
	printf '$ORIGIN test.\n$TTL 300\n'
	printf '@\tIN SOA\tns.test. hostmaster.test. 1 3600 600 86400 60\n'
	printf '@\tNS\tns\nns\tA\t127.0.0.1\n'
	grep -v '^\$TIMEOUT\|^\$SERVFAIL' "$ZONE"
} >"$WORK/test.zone"
if ! nsd_start test "$WORK/test.zone"; then
	not_ok "nsd starts"
	finish
	exit 1
fi
ok "nsd starts on 127.0.0.1@$NSD_PORT"
R="127.0.0.1@$NSD_PORT"
SEL=(--no-common-selectors -s rsa2048 -s rsa1024 -s rsa512 -s ed
    -s revoked -s testing -s bad)

# domain, verdict and findings of every domain, in input order.
cat >"$WORK/want.csv" <<'WANT'
good.check.test,protected,
sub.good.check.test,weak,dmarc-rfc7489-differs dmarc-inherited
nodmarc.check.test,spoofable,dmarc-missing
multi.check.test,spoofable,dmarc-multiple
none.check.test,spoofable,dmarc-policy-none
fallback.check.test,spoofable,dmarc-policy-fallback dmarc-invalid-value
nopolicy.check.test,spoofable,dmarc-invalid
testq.check.test,spoofable,dmarc-testing
testr.check.test,weak,dmarc-testing
pct0.check.test,spoofable,dmarc-pct-zero
pct50.check.test,weak,dmarc-pct-partial
pct100.check.test,protected,dmarc-obsolete-tag
rfri.check.test,protected,dmarc-obsolete-tag dmarc-obsolete-tag
spweak.check.test,weak,dmarc-sp-weaker
npweak.check.test,weak,dmarc-np-weaker
psd.check.test,protected,dmarc-psd
strict.check.test,protected,dmarc-strict-alignment
baduri.check.test,protected,dmarc-bad-uri
norua.check.test,weak,dmarc-no-rua
extrua.check.test,weak,dmarc-external-unauthorized
extok.check.test,protected,
unknowntag.check.test,protected,dmarc-unknown-tag
syntax.check.test,protected,dmarc-syntax
dup.check.test,protected,dmarc-duplicate-tag
nospf.check.test,weak,spf-missing
spf2.check.test,weak,spf-multiple
spfsyntax.check.test,weak,spf-syntax
passall.check.test,spoofable,spf-pass-all
neutral.check.test,weak,spf-neutral-all
softfail.check.test,weak,spf-softfail-all
noall.check.test,weak,spf-no-all
ptr.check.test,protected,spf-ptr
toomany.check.test,weak,spf-too-many-lookups
void.check.test,protected,spf-void-lookup
voids.check.test,weak,spf-too-many-voids spf-void-lookup spf-void-lookup spf-void-lookup
incnone.check.test,weak,spf-include-none
loop.check.test,weak,spf-loop
redirnone.check.test,weak,spf-redirect-none
macro.check.test,protected,spf-macro
mxlimit.check.test,weak,spf-mx-limit
deep.check.test,weak,spf-too-deep spf-too-many-lookups
nullmx.check.test,protected,dmarc-no-rua mx-null
parked.check.test,weak,parked-spf-not-locked parked-dmarc-not-reject mx-null
nothing.check.test,spoofable,dmarc-missing parked-spf-not-locked mx-none
nullmix.check.test,protected,mx-null-mixed dkim-none-found
dkim.check.test,protected,
dkimshort.check.test,weak,dkim-rsa-weak
dkimtiny.check.test,weak,dkim-rsa-too-short
dkimed.check.test,protected,dkim-ed25519-only
dkimrevoked.check.test,protected,dkim-revoked
dkimtest.check.test,protected,dkim-testing
dkimbad.check.test,weak,dkim-key-invalid
extras.check.test,protected,
badextras.check.test,protected,mta-sts-invalid tls-rpt-invalid bimi-invalid
bimiweak.check.test,spoofable,dmarc-policy-none bimi-without-enforcement
WANT
cut -d, -f1 "$WORK/want.csv" >"$WORK/domains.txt"

# Through NSD: the verdicts and findings (extras on for the last rows;
# DKIM-none and MTA-STS/TLS-RPT-missing infos are filtered so each row
# names what it tests).
"$DG_BIN" check --resolver "$R" --no-dnssec "${SEL[@]}" --format csv \
    -f "$WORK/domains.txt" >"$WORK/nsd.csv" 2>"$WORK/nsd.err"
rc=$?
check "all domains: exit 1 (weak and spoofable ones)" "$rc" 1
check "all domains: stderr empty" "$(cat "$WORK/nsd.err")" ""
tail -n +2 "$WORK/nsd.csv" | awk -F, '{
	n = split($10, ids, " "); out = "";
	for (i = 1; i <= n; i++) {
		if (ids[i] == "mta-sts-missing" || ids[i] == "tls-rpt-missing" ||
		    (ids[i] == "dkim-none-found" && $1 != "nullmix.check.test"))
			continue;
		out = out (out == "" ? "" : " ") ids[i];
	}
	print $1 "," $2 "," out }' >"$WORK/got.csv"
while IFS= read -r want; do
	d=${want%%,*}
	got=$(grep "^$d," "$WORK/got.csv")
	check "nsd $d" "$got" "$want"
done <"$WORK/want.csv"
check "nsd: input order" "$(cut -d, -f1 "$WORK/got.csv")" \
    "$(cat "$WORK/domains.txt")"

# The same through --zone: identical JSON, domain by domain.
"$DG_BIN" check --resolver "$R" --no-dnssec "${SEL[@]}" --format json \
    -f "$WORK/domains.txt" >"$WORK/nsd.json" 2>&1
"$DG_BIN" check --zone "$ZONE" "${SEL[@]}" --format json \
    -f "$WORK/domains.txt" >"$WORK/zone.json" 2>&1
n=0
while IFS= read -r d; do
	a=$(jq -cS --arg d "$d" '.domains[] | select(.domain == $d)' \
	    "$WORK/nsd.json")
	b=$(jq -cS --arg d "$d" '.domains[] | select(.domain == $d)' \
	    "$WORK/zone.json")
	check "nsd = zone: $d" "$a" "$b"
	n=$((n + 1))
done <"$WORK/domains.txt"
check "nsd summary" "$(jq -c .summary "$WORK/nsd.json")" \
    "$(jq -c .summary "$WORK/zone.json")"

# A name outside the served zone: NSD refuses, a server failure: the
# error verdict, exit 2, and the other domain still checked.
out=$("$DG_BIN" check --resolver "$R" --no-dnssec --dns-timeout 2000 \
    "${SEL[@]}" --format csv good.check.test example.org 2>&1)
rc=$?
check "refused: exit 2" "$rc" 2
check "refused: rows" "$(cut -d, -f1,2 <<<"$out")" \
    "$(printf 'domain,verdict\ngood.check.test,protected\nexample.org,error')"

# Validating mode: test. is insecure (or unknown without a trust anchor).
st=$("$DG_BIN" check --resolver "$R" "${SEL[@]}" --format json \
    good.check.test | jq -r '.domains[0].dnssec')
case $st in
insecure | unknown) ok "validating mode: dnssec $st" ;;
*) not_ok "validating mode" "got: $st" ;;
esac

# Record through NSD, replay offline: the same output.
"$DG_BIN" check --resolver "$R" --no-dnssec "${SEL[@]}" --format json \
    --dns-record "$WORK/rec.zone" softfail.check.test dkim.check.test \
    extrua.check.test >"$WORK/live.json" 2>&1
"$DG_BIN" check --zone "$WORK/rec.zone" "${SEL[@]}" --format json \
    softfail.check.test dkim.check.test extrua.check.test \
    >"$WORK/replay.json" 2>&1
check "record/replay" "$(jq -cS . "$WORK/replay.json")" \
    "$(jq -cS . "$WORK/live.json")"

finish
