#!/usr/bin/env bash
# tests/integration/test_dkim_interop.sh -- DKIM across implementations,
# offline: dmarcguard, dkimpy (python3-dkim), Mail::DKIM
# (libmail-dkim-perl) and OpenDKIM (the opendkim milter in its -t test
# mode, keys answered from TestDNSData).
#
#  1. Each peer signs the messages of tests/data/dkim-interop (RSA-2048 and
#     Ed25519, simple and relaxed): `dmarcguard dkim --zone` says pass.
#  2. dmarcguard signs them (both algorithms, both canonicalizations,
#     over-signing): every peer says pass.  Debian 12's Mail::DKIM
#     (1.20230212) has no ed25519-sha256 at all; for it the test asserts
#     "invalid" (its answer for an unknown algorithm), never pass.
#  3. Tampered copies get the same verdict from everyone: a signed header
#     changed, a body byte changed, whitespace changed (relaxed passes,
#     simple fails), an over-signed header added, content appended past
#     l= (passes; dmarcguard reports exactly the appended bytes).
#
# opendkim-testmsg is not used: the Debian 2.11.0~beta2 build signs with
# rsa-sha1 and writes a b= with trailing junk after its padding.  OpenDKIM
# ed25519 with simple header canonicalization is not used either: OpenDKIM
# cannot verify those signatures of its own.
set -u
: "${DG_BIN:?DG_BIN must name the dmarcguard binary}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-dkimx.XXXXXX")
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
DATA="$HERE/../data/dkim-interop"
PEERS="$HERE/dkim_interop"
PY=/usr/bin/python3
OPENDKIM=/usr/sbin/opendkim

for tool in "$PY" perl "$OPENDKIM" openssl jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "missing $tool (run scripts/setup.sh)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
if ! "$PY" -c 'import dkim, nacl' 2>/dev/null ||
    ! perl -MMail::DKIM -MNet::DNS::Resolver::Programmable -e 1 2>/dev/null
then
	echo "missing python3-dkim, python3-nacl, libmail-dkim-perl or" \
	    "libnet-dns-resolver-programmable-perl (run scripts/setup.sh)"
	echo "0 passed, 1 failed"
	exit 1
fi

D=interop.example
mkdir -p "$WORK/keys" "$WORK/m"
"$DG_BIN" keygen --algorithm rsa --bits 2048 --selector rsa --domain "$D" \
    --out "$WORK/keys" >/dev/null &&
    "$DG_BIN" keygen --algorithm ed25519 --selector ed --domain "$D" \
    --out "$WORK/keys" >/dev/null ||
    { echo "keygen failed"; echo "0 passed, 1 failed"; exit 1; }
ZONE="$WORK/keys.zone"
cat "$WORK/keys/rsa.txt" "$WORK/keys/ed.txt" >"$ZONE"
# OpenDKIM's TestDNSData: "name text" lines.
sed -e 's/^\([^ ]*\)\. IN TXT /\1 /' -e 's/" "//g' -e 's/"//g' "$ZONE" \
    >"$WORK/opendkim.dns"
key() { echo "$WORK/keys/$1.private"; }
alg() { [ "$1" = rsa ] && echo rsa-sha256 || echo ed25519-sha256; }

# ---- verifiers: one word each ----
dg() {	# FILE -> "result reason unsigned_body_bytes" of the first signature
	"$DG_BIN" dkim --zone "$ZONE" --format json "$1" | jq -r \
	    '.signatures[0] | "\(.result) \(.reason) \(.unsigned_body_bytes)"'
}
py_verify() { "$PY" "$PEERS/peer_dkimpy.py" verify "$ZONE" "$1" | cut -d' ' -f2; }
pl_verify() { perl "$PEERS/peer_maildkim.pl" verify "$ZONE" "$1" | cut -d' ' -f2; }
od_verify() {	# "pass" or "fail"
	local out
	printf 'Mode v\nSyslog no\nTestDNSData file:%s\n' "$WORK/opendkim.dns" \
	    >"$WORK/od-v.conf"
	out=$("$OPENDKIM" -x "$WORK/od-v.conf" -t "$1" 2>&1)
	case $out in
	*"verification ("*") succeeded"*) echo pass ;;
	*) echo fail ;;
	esac
}

# ---- signers: SIGNER SEL CANON IN OUT [extra] ----
sign() {
	local signer=$1 sel=$2 canon=$3 in=$4 out=$5 extra=${6:-}
	case $signer in
	dmarcguard)
		# shellcheck disable=SC2086
		"$DG_BIN" sign --domain "$D" --selector "$sel" \
		    --key "$(key "$sel")" --canon "$canon" $extra "$in" >"$out"
		;;
	dkimpy)
		"$PY" "$PEERS/peer_dkimpy.py" sign "$(key "$sel")" "$D" "$sel" \
		    "$(alg "$sel")" "$canon" "$in" "$out" $extra
		;;
	maildkim)
		perl "$PEERS/peer_maildkim.pl" sign "$(key "$sel")" "$D" "$sel" \
		    "$(alg "$sel")" "$canon" "$in" "$out"
		;;
	opendkim)
		printf 'Mode s\nSyslog no\nRequireSafeKeys false\nDomain %s\nSelector %s\nKeyFile %s\nCanonicalization %s\nSignatureAlgorithm %s\n' \
		    "$D" "$sel" "$(key "$sel")" "$canon" "$(alg "$sel")" \
		    >"$WORK/od-s.conf"
		# Test mode prints the field it would insert; put it on top
		# with the message's own line ends.
		"$OPENDKIM" -x "$WORK/od-s.conf" -vvv -t "$in" 2>&1 |
		    "$PY" -c '
import re, sys
out = sys.stdin.read()
m = re.search(r"hname=.DKIM-Signature. hvalue=.(.*?).\n(?:opendkim|###|\Z)", out, re.S)
msg = open(sys.argv[1], "rb").read()
eol = b"\r\n" if b"\r\n" in msg else b"\n"
if not m:
    sys.exit("no signature in: " + out[-300:])
val = m.group(1).rstrip("\x27").encode().replace(b"\n", eol)
sys.stdout.buffer.write(b"DKIM-Signature: " + val + eol + msg)
' "$in" >"$out"
		;;
	esac
}

# ---- 1. peers sign, dmarcguard verifies ----
for msg in "$DATA"/*.eml; do
	m=$(basename "$msg" .eml)
	for spec in dkimpy:rsa:relaxed/relaxed dkimpy:rsa:simple/simple \
	    dkimpy:ed:relaxed/simple dkimpy:ed:simple/relaxed \
	    maildkim:rsa:relaxed/relaxed maildkim:rsa:simple/simple \
	    opendkim:rsa:relaxed/relaxed opendkim:rsa:simple/simple \
	    opendkim:ed:relaxed/simple; do
		IFS=: read -r signer sel canon <<<"$spec"
		# OpenDKIM's test mode signs header fields as its milter
		# callbacks give them, whitespace after the colon normalised:
		# under simple header canonicalization that is not the message
		# (dkimpy and Mail::DKIM agree with dmarcguard; see below).
		[ "$signer:$canon:$m" = opendkim:simple/simple:spaces ] && continue
		out="$WORK/m/$m.$signer.$sel.${canon/\//-}.eml"
		if ! sign "$signer" "$sel" "$canon" "$msg" "$out" \
		    2>"$WORK/err"; then
			not_ok "$signer signs $m ($sel $canon)" "$(head -3 "$WORK/err")"
			continue
		fi
		check "$signer $sel $canon $m -> dmarcguard" "$(dg "$out")" \
		    "pass ok 0"
	done
done

# ---- 2. dmarcguard signs, peers verify ----
for msg in "$DATA"/*.eml; do
	m=$(basename "$msg" .eml)
	for spec in rsa:relaxed/relaxed:--oversign rsa:simple/simple: \
	    ed:relaxed/relaxed:--oversign ed:simple/simple:; do
		IFS=: read -r sel canon extra <<<"$spec"
		out="$WORK/m/$m.dg.$sel.${canon/\//-}.eml"
		sign dmarcguard "$sel" "$canon" "$msg" "$out" "$extra" ||
		    { not_ok "dmarcguard signs $m"; continue; }
		row="dmarcguard $sel $canon${extra:+ $extra} $m"
		check "$row -> dmarcguard" "$(dg "$out")" "pass ok 0"
		check "$row -> dkimpy" "$(py_verify "$out")" "pass"
		if [ "$sel" = rsa ]; then
			check "$row -> Mail::DKIM" "$(pl_verify "$out")" "pass"
		else
			check "$row -> Mail::DKIM (no ed25519)" \
			    "$(pl_verify "$out")" "invalid"
		fi
		if [ "$m:${canon%/*}" = spaces:simple ]; then
			check "$row -> OpenDKIM (its test mode normalises header space)" \
			    "$(od_verify "$out")" "fail"
		else
			check "$row -> OpenDKIM" "$(od_verify "$out")" "pass"
		fi
	done
done

# ---- 3. tampering ----
# judge ROW FILE WANT-DG WANT-PEERS [rsa|ed]: every verifier's verdict.
judge() {
	local row=$1 f=$2 want_dg=$3 want=$4 sel=${5:-rsa}
	check "$row: dmarcguard" "$(dg "$f")" "$want_dg"
	check "$row: dkimpy" "$(py_verify "$f")" "$want"
	[ "$sel" = rsa ] &&
	    check "$row: Mail::DKIM" "$(pl_verify "$f")" "$want"
	check "$row: OpenDKIM" "$(od_verify "$f")" "$want"
}
T="$WORK/t"
mkdir -p "$T"
for sel in rsa ed; do
	for canon in relaxed simple; do
		c="$canon/$canon"
		base="$T/plain.$sel.$canon.eml"
		sign dmarcguard "$sel" "$c" "$DATA/plain.eml" "$base" --oversign
		r="$sel $c"
		# A signed header changed.
		sed 's/^Subject: Quarterly figures/Subject: Quarterly figures!/' \
		    "$base" >"$T/subj.eml"
		judge "$r: Subject changed" "$T/subj.eml" \
		    "fail sig_mismatch 0" fail "$sel"
		# One body byte changed.
		sed 's/shared folder/shared f0lder/' "$base" >"$T/body.eml"
		judge "$r: body byte changed" "$T/body.eml" \
		    "fail body_hash_mismatch 0" fail "$sel"
		# Whitespace: a space doubled inside a line, and trailing
		# spaces added (relaxed ignores both, simple does not).
		sed -e 's/The figures/The  figures/' -e 's/^Alice\r$/Alice   \r/' \
		    "$base" >"$T/ws.eml"
		if [ "$canon" = relaxed ]; then
			judge "$r: whitespace changed" "$T/ws.eml" "pass ok 0" \
			    pass "$sel"
		else
			judge "$r: whitespace changed" "$T/ws.eml" \
			    "fail body_hash_mismatch 0" fail "$sel"
		fi
		# An over-signed header added: a second Subject.
		{ printf 'Subject: urgent: wire transfer\r\n'; cat "$base"; } |
		    "$PY" -c '
import sys
d = sys.stdin.buffer.read()
first, rest = d.split(b"\r\n", 1)
# keep the DKIM-Signature first, insert the new Subject after it
sig_end = rest.find(b"\r\nFrom:")
sys.stdout.buffer.write(rest[:sig_end + 2] + first + b"\r\n" + rest[sig_end + 2:])
' >"$T/added.eml"
		judge "$r: over-signed Subject added" "$T/added.eml" \
		    "fail sig_mismatch 0" fail "$sel"
	done
	# l=: content appended after signing is not covered.
	sign dmarcguard "$sel" relaxed/relaxed "$DATA/plain.eml" \
	    "$T/l.$sel.eml" --body-length
	{ cat "$T/l.$sel.eml"; printf 'Click https://evil.example/\r\n'; } \
	    >"$T/l2.$sel.eml"
	judge "$sel l=: 29 bytes appended" "$T/l2.$sel.eml" "pass ok 29" pass \
	    "$sel"
done
# The same l= case signed by dkimpy, on a bare-LF message: the count is of
# canonicalized bytes, so "appended" and its line end count 10.
sign dkimpy rsa relaxed/relaxed "$DATA/multipart.eml" "$T/pyl.eml" length
{ cat "$T/pyl.eml"; printf 'appended\n'; } >"$T/pyl2.eml"
check "dkimpy l= + 10 bytes: dmarcguard" "$(dg "$T/pyl2.eml")" "pass ok 10"
finish
