#!/usr/bin/env bash
# tests/cli/test_arc_seal.sh -- `dmarcguard arc-seal` through the binary:
# seal a message (its Authentication-Results from this hop go into the
# AAR with arc=), seal it again at a second hop (i=2, cv=pass), validate
# with `dmarcguard verify` and with dkimpy (python3-dkim's ARC), then
# break it: a body byte changed after sealing (the newest AMS fails), a
# seal's signature altered (the seal fails), a chain already failed (the
# next seal says cv=fail).  Usage and key errors exit 2 with nothing on
# standard output.
set -u
: "${DG_BIN:?DG_BIN must name the dmarcguard binary}"
cd "$(dirname "$0")/.." || exit 1	# tests/
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-arcseal.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
# shellcheck source=../integration/lib.sh
. integration/lib.sh

mkdir -p "$WORK/k1" "$WORK/k2"
"$DG_BIN" keygen --algorithm rsa --selector r1 --domain relay.example \
    --out "$WORK/k1" >/dev/null &&
    "$DG_BIN" keygen --algorithm rsa --selector arc --domain list.example \
    --out "$WORK/k2" >/dev/null &&
    "$DG_BIN" keygen --algorithm ed25519 --selector ed --domain list.example \
    --out "$WORK/k2" >/dev/null || { echo "keygen failed"; exit 1; }
cat "$WORK/k1/r1.txt" "$WORK/k2/arc.txt" "$WORK/k2/ed.txt" >"$WORK/keys.zone"
cp "$WORK/k1/r1.private" "$WORK/k2/arc.private" "$WORK/k2/ed.private" \
    "$WORK/"
Z="$WORK/keys.zone"
printf 'Authentication-Results: mx.relay.example; spf=pass smtp.mailfrom=a@origin.example;\r\n dkim=pass header.d=origin.example; dmarc=pass header.from=origin.example\r\nFrom: a@origin.example\r\nTo: list@list.example\r\nSubject: forwarded\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\nMessage-ID: <arc-1@origin.example>\r\n\r\nHello list.\r\n' >"$WORK/in.eml"

seal() {	# DOMAIN SELECTOR KEY AUTHSERV IN OUT
	"$DG_BIN" arc-seal --zone "$Z" --domain "$1" --selector "$2" \
	    --key "$3" --authserv-id "$4" --now 1795000000 "$5" >"$6"
}
first() {	# FILE -> its first header field, unfolded
	awk 'NR == 1 { printf "%s", $0; next } /^[ \t]/ { printf "%s", $0; next }
	    { exit }' "$1" | tr -d '\r' | tr -s ' \t' ' '
}
alter_seal() {	# IN OUT: one letter of the newest seal's b= changed
	perl -0pe 's/(ARC-Seal:.*?\bb=)(.)/$1 . ($2 eq "A" ? "B" : "A")/se' \
	    "$1" >"$2"
}
arc() {	# FILE -> the arc object of verify's JSON, compact
	"$DG_BIN" verify --zone "$Z" --ip 192.0.2.1 --helo h.example \
	    --mail-from a@origin.example --format json "$1" | jq -c \
	    '.arc | [.result, .instances, .oldest_pass]'
}

seal relay.example r1 "$WORK/r1.private" mx.relay.example "$WORK/in.eml" \
    "$WORK/s1.eml"
check "seal 1: exit" "$?" "0"
check "seal 1: the three fields on top" "$(awk '/^Authentication-Results:/ {
    exit } { print }' "$WORK/s1.eml" | grep -o '^ARC-[A-Za-z-]*' |
    tr '\n' ' ')" "ARC-Seal ARC-Message-Signature ARC-Authentication-Results "
check "seal 1: cv=none" "$(first "$WORK/s1.eml" | grep -o 'cv=[a-z]*')" \
    "cv=none"
check "seal 1: AAR from this hop's A-R" "$(grep -A1 '^ARC-Authentication-Results' \
    "$WORK/s1.eml" | tr -d '\r' | tr -s ' \t\n' ' ')" \
    "ARC-Authentication-Results: i=1; mx.relay.example; arc=none; spf=pass smtp.mailfrom=a@origin.example; dkim=pass header.d=origin.example; dmarc=pass header.from=origin.example "
check "seal 1: verify" "$(arc "$WORK/s1.eml")" '["pass",1,1]'

seal list.example arc "$WORK/arc.private" list.example "$WORK/s1.eml" \
    "$WORK/s2.eml"
check "seal 2: cv=pass, i=2" "$(first "$WORK/s2.eml" |
    grep -o 'a=[a-z0-9-]*;\|cv=[a-z]*;\|i=[0-9]*;' | tr '\n' ' ')" \
    "a=rsa-sha256; cv=pass; i=2; "
check "seal 2: verify" "$(arc "$WORK/s2.eml")" '["pass",2,1]'
# An Ed25519 seal (RFC 8463 keys): dmarcguard validates it; dkimpy's ARC
# knows rsa-sha256 only, so the interop check below uses RSA seals.
seal list.example ed "$WORK/ed.private" list.example "$WORK/s1.eml" \
    "$WORK/s2ed.eml"
check "ed25519 seal: verify" "$(first "$WORK/s2ed.eml" |
    grep -o '^ARC-Seal: a=[a-z0-9-]*' | cut -d' ' -f2) $(arc "$WORK/s2ed.eml")" \
    'a=ed25519-sha256 ["pass",2,1]'
if /usr/bin/python3 -c 'import dkim' 2>/dev/null; then
	out=$(/usr/bin/python3 - "$Z" "$WORK/s1.eml" "$WORK/s2.eml" <<'PY'
import dkim, re, sys
zone = {}
for line in open(sys.argv[1]):
    m = re.match(r'^(\S+)\s+IN\s+TXT\s+(.*)$', line.strip())
    if m:
        zone[m.group(1).encode()] = "".join(
            re.findall(r'"([^"]*)"', m.group(2))).encode()
def dnsfunc(n, timeout=5):
    return zone.get(n if n.endswith(b".") else n + b".")
print(" ".join(dkim.arc_verify(open(f, "rb").read(),
    dnsfunc=dnsfunc)[0].decode() for f in sys.argv[2:]))
PY
)
	check "dkimpy validates both chains" "$out" "pass pass"
else
	not_ok "dkimpy validates both chains" "python3-dkim missing"
fi

# Broken chains.
sed 's/Hello list\./Hello list!/' "$WORK/s2.eml" >"$WORK/body.eml"
check "body changed: fail" "$(arc "$WORK/body.eml" | cut -d, -f1)" '["fail"'
alter_seal "$WORK/s2.eml" "$WORK/seal.eml"
check "seal altered: fail" "$(arc "$WORK/seal.eml" | cut -d, -f1)" '["fail"'
seal relay.example r1 "$WORK/r1.private" mx3.relay.example "$WORK/body.eml" \
    "$WORK/s3.eml"
check "after a failed chain: cv=fail" "$(first "$WORK/s3.eml" |
    grep -o 'cv=[a-z]*;\|i=[0-9]*;' | tr '\n' ' ')" "cv=fail; i=3; "
check "after a failed chain: still fail" "$(arc "$WORK/s3.eml" |
    cut -d, -f1)" '["fail"'
# A chain whose newest seal says cv=fail has ended: no set is added.
seal relay.example r1 "$WORK/r1.private" mx4.relay.example "$WORK/s3.eml" \
    "$WORK/s4.eml" 2>"$WORK/err"
check "ended chain: exit" "$?" "0"
check "ended chain: message unchanged" "$(cmp -s "$WORK/s3.eml" \
    "$WORK/s4.eml" && echo same)" "same"
check "ended chain: note" "$(sed "s|$WORK|WORK|" "$WORK/err")" \
    "dmarcguard arc-seal: WORK/s3.eml: the chain has ended (its newest seal says cv=fail): no set added"

# ---- The DMARC override (RFC 8617 7.2.1): origin.example (p=reject)
# signs; the list's MTA checks it (its A-R: dkim and dmarc pass), adds a
# footer that breaks the signature, and seals as list.example.  The final
# receiver sees DMARC fail; trusting list.example's seal delivers it.
"$DG_BIN" keygen --algorithm rsa --selector o1 --domain origin.example \
    --out "$WORK/k1" >/dev/null
cat "$WORK/k1/o1.txt" >>"$Z"
cat >>"$Z" <<'ZONE'
_dmarc.origin.example. IN TXT "v=DMARC1; p=reject"
origin.example. IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
list.example. IN TXT "v=spf1 ip4:198.51.100.0/24 -all"
ZONE
printf 'From: a@origin.example\r\nTo: list@list.example\r\nSubject: to the list\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\nMessage-ID: <ov-1@origin.example>\r\n\r\nA post.\r\n' >"$WORK/post.eml"
"$DG_BIN" sign --domain origin.example --selector o1 \
    --key "$WORK/k1/o1.private" "$WORK/post.eml" >"$WORK/post-signed.eml"
{ printf 'Authentication-Results: mx.list.example; spf=pass smtp.mailfrom=a@origin.example;\r\n dkim=pass header.d=origin.example; dmarc=pass header.from=origin.example\r\n'
  cat "$WORK/post-signed.eml"; printf -- '-- \r\nlist footer\r\n'; } \
    >"$WORK/list-in.eml"
seal list.example arc "$WORK/arc.private" mx.list.example \
    "$WORK/list-in.eml" "$WORK/list-out.eml"
RECV=(verify --zone "$Z" --format json --authserv-id mx.receiver.example
    --ip 198.51.100.7 --helo mx.list.example --mail-from bounce@list.example)
out=$("$DG_BIN" "${RECV[@]}" "$WORK/list-out.eml")
check "override: untrusted, dmarc fails, reject" "$(jq -r '[.dkim[0].result,
    .arc.result, .dmarc.result, .disposition] | join(" ")' <<<"$out")" \
    "fail pass fail reject"
out=$("$DG_BIN" "${RECV[@]}" --trusted-arc-sealer List.Example \
    "$WORK/list-out.eml")
check "override: trusted sealer delivers" "$(jq -r '[.dmarc.result,
    .dmarc.applied_policy, .disposition] | join(" ")' <<<"$out")" \
    "fail reject none"
check "override: reason" "$(jq -r '.reasons[-1]' <<<"$out")" \
    "arc=pass; trusted sealer list.example (i=1) recorded dmarc=pass for origin.example"
case $(jq -r .authentication_results <<<"$out") in
*"arc=pass;"*"dmarc=fail (p=reject dis=none; arc=pass; trusted sealer list.example"*)
	ok "override: A-R says dmarc=fail with the override" ;;
*) not_ok "override: A-R" "$(jq -r .authentication_results <<<"$out")" ;;
esac
printf 'dmarc.trusted_arc_sealers = list.example\n' >"$WORK/trust.conf"
check "override: from the config" "$("$DG_BIN" "${RECV[@]}" --config \
    "$WORK/trust.conf" "$WORK/list-out.eml" | jq -r .disposition)" "none"
# A forged seal: the chain fails, no override.
alter_seal "$WORK/list-out.eml" "$WORK/list-forged.eml"
check "override: forged seal, policy applies" "$("$DG_BIN" "${RECV[@]}" \
    --trusted-arc-sealer list.example "$WORK/list-forged.eml" |
    jq -r '.arc.result + " " + .disposition')" "fail reject"

# Errors: exit 2, nothing on standard output.
uerr() {	# NAME WANT ARGS...
	local name=$1 want=$2
	shift 2
	"$DG_BIN" "$@" >"$WORK/out" 2>"$WORK/err"
	check "$name: exit" "$?" "2"
	check "$name: message" "$(head -1 "$WORK/err")" "$want"
	check "$name: no output" "$(wc -c <"$WORK/out" | tr -d ' ')" "0"
}
uerr "missing options" "dmarcguard arc-seal: --domain, --selector, --key and --authserv-id are required" \
    arc-seal --zone "$Z" --domain relay.example "$WORK/in.eml"
printf 'not a key\n' >"$WORK/junk.pem"
uerr "bad key" "dmarcguard arc-seal: --key $WORK/junk.pem: not an RSA or Ed25519 private key (PEM)" \
    arc-seal --zone "$Z" --domain relay.example --selector r1 \
    --key "$WORK/junk.pem" --authserv-id x "$WORK/in.eml"
uerr "missing message" "dmarcguard arc-seal: $WORK/none.eml: No such file or directory" \
    arc-seal --zone "$Z" --domain relay.example --selector r1 \
    --key "$WORK/r1.private" --authserv-id x "$WORK/none.eml"
finish
