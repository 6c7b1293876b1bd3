#!/usr/bin/env bash
# tests/integration/test_dnssec_nsd.sh -- DNSSEC through the libunbound
# backend against a signed zone: ldns signs example. with an Ed25519 KSK
# and ZSK, NSD serves it on 127.0.0.1, and the KSK is the only trust
# anchor (--trust-anchor).  Checks what the resolver reports: secure
# (signed data, a signed NXDOMAIN and NODATA) and bogus (a record changed
# after signing: a failed lookup, never its data), through `dmarcguard
# dns` and `dmarcguard check`; without validation the data is unmarked.
set -u
: "${DG_BIN:?DG_BIN must name the dmarcguard binary}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-dnssec.XXXXXX")
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
trap 'nsd_stop; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

for tool in /usr/sbin/nsd nsd-checkzone dig jq ldns-keygen ldns-signzone; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "missing $tool (run scripts/setup.sh)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

# The zone is example. (so the DMARC tree walk's _dmarc.example gets a
# signed NXDOMAIN); the names under test are in dnssec.example.
Z=dnssec.example
cat >"$WORK/zone" <<EOF
\$ORIGIN example.
\$TTL 300
@	IN SOA	ns hostmaster 1 3600 600 86400 60
@	NS	ns
ns	A	127.0.0.1
\$ORIGIN $Z.
@	MX	10 mx
mx	A	192.0.2.25
@	TXT	"v=spf1 mx -all"
_dmarc	TXT	"v=DMARC1; p=reject; rua=mailto:d@$Z"
bogus	TXT	"signed text"
badmx	MX	10 mx
badmx	TXT	"v=spf1 -all"
_dmarc.badmx	TXT	"v=DMARC1; p=reject; rua=mailto:d@$Z"
EOF
cd "$WORK" || exit 1
ksk=$(ldns-keygen -a ED25519 -k example) && zsk=$(ldns-keygen -a ED25519 example) ||
    { echo "ldns-keygen failed"; echo "0 passed, 1 failed"; exit 1; }
# Signatures valid from an hour ago for a week, whatever the clock says.
inc=$(date -u -d '-1 hour' +%Y%m%d%H%M%S)
exp=$(date -u -d '+7 days' +%Y%m%d%H%M%S)
if ! ldns-signzone -i "$inc" -e "$exp" -f "$WORK/zone.signed" \
    "$WORK/zone" "$ksk" "$zsk" >"$WORK/sign.log" 2>&1; then
	cat "$WORK/sign.log"
	echo "0 passed, 1 failed"
	exit 1
fi
cd - >/dev/null || exit 1
# Change data after signing: the RRSIGs no longer match.
sed -i -e 's/"signed text"/"forged text"/' \
    -e "s/^\(badmx\.$Z\.[[:space:]].*MX[[:space:]]*\)10 mx\.$Z\./\120 mx.$Z./" \
    "$WORK/zone.signed"
grep -q 'forged text' "$WORK/zone.signed" &&
    grep -qE "^badmx\.$Z\..*MX[[:space:]]+20 " "$WORK/zone.signed" ||
    { echo "could not tamper with the signed zone"; grep badmx "$WORK/zone.signed";
      echo "0 passed, 1 failed"; exit 1; }
ANCHOR="$WORK/$ksk.key"

if ! nsd_start example "$WORK/zone.signed"; then
	echo "0 passed, 1 failed"
	exit 1
fi
R="127.0.0.1@$NSD_PORT"
DNS=(dns --resolver "$R" --trust-anchor "$ANCHOR" --format json)

st() {	# NAME TYPE -> "status dnssec"
	"$DG_BIN" "${DNS[@]}" "$1" "$2" | jq -r '.status + " " + .dnssec'
}
check "secure MX" "$(st $Z MX)" "ok secure"
check "secure TXT" "$(st $Z TXT)" "ok secure"
check "secure NXDOMAIN" "$(st nx.$Z A)" "nxdomain secure"
check "secure NODATA" "$(st $Z AAAA)" "nodata secure"
check "bogus TXT" "$(st bogus.$Z TXT)" "servfail bogus"
out=$("$DG_BIN" "${DNS[@]}" bogus.$Z TXT)
check "bogus: no data" "$(jq -c .records <<<"$out")" "[]"
case $(jq -r .why <<<"$out") in
*signature*|*RRSIG*|*sig*) ok "bogus: why names the signature" ;;
*) not_ok "bogus: why" "got: $(jq -r .why <<<"$out")" ;;
esac
"$DG_BIN" "${DNS[@]}" bogus.$Z TXT >/dev/null
check "bogus: exit" "$?" "3"
# Without validation the forged data comes back, unmarked.
out=$("$DG_BIN" dns --resolver "$R" --no-dnssec --format json bogus.$Z TXT)
check "no-dnssec: forged data" "$(jq -r '.status + " " + .dnssec + " " +
    .records[0].text' <<<"$out")" "ok unknown forged text"

# check: the DNSSEC state is the MX answer's, with its finding.
CHK=(check --resolver "$R" --trust-anchor "$ANCHOR" --no-common-selectors
    --no-extra --format json)
out=$("$DG_BIN" "${CHK[@]}" "$Z")
check "check secure: dnssec" "$(jq -r '.domains[0].dnssec' <<<"$out")" \
    "secure"
check "check secure: verdict" "$(jq -r '.domains[0].verdict' <<<"$out")" \
    "protected"
check "check secure: no dnssec finding" "$(jq -r '[.domains[0].findings[] |
    select(.area == "dnssec")] | length' <<<"$out")" "0"
out=$("$DG_BIN" "${CHK[@]}" badmx.$Z)
check "check bogus: dnssec" "$(jq -r '.domains[0].dnssec' <<<"$out")" "bogus"
check "check bogus: finding" "$(jq -r '[.domains[0].findings[].id] |
    map(select(startswith("dnssec") or startswith("mx"))) | join(" ")' \
    <<<"$out")" "mx-dns-error dnssec-bogus"
# Usage: --trust-anchor needs live, validating DNS.
"$DG_BIN" dns --zone "$WORK/zone" --trust-anchor "$ANCHOR" $Z MX \
    >/dev/null 2>"$WORK/err"
check "trust-anchor with --zone: exit" "$?" "2"
check "trust-anchor with --zone: message" "$(head -1 "$WORK/err")" \
    "dmarcguard dns: --trust-anchor excludes --zone"
"$DG_BIN" dns --resolver "$R" --trust-anchor "$WORK/none.key" $Z MX \
    >/dev/null 2>"$WORK/err"
check "missing anchor: exit" "$?" "2"
check "missing anchor: message" "$(head -1 "$WORK/err")" \
    "dmarcguard dns: resolver: trust anchor $WORK/none.key: No such file or directory"
finish
