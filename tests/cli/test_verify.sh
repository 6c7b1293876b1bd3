#!/usr/bin/env bash
# tests/cli/test_verify.sh -- `dmarcguard verify` end to end, offline
# (--zone tests/data/zones/verify.zone): the advisory's two samples with
# and without the local policy of examples/dmarcguard.conf, strict and
# relaxed alignment, several From fields, From fields built to inject into
# Authentication-Results, a DNS failure, mbox and maildir input with the
# summary line, an unreadable file among good ones, usage errors, and
# record/replay giving the identical JSON.
set -u
: "${DG_BIN:?DG_BIN must name the dmarcguard binary}"
cd "$(dirname "$0")/.." || exit 1	# tests/
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-verify.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=../integration/lib.sh
. integration/lib.sh
Z=data/zones/verify.zone
V=data/verify
KEY=data/dkim/ed25519.pem
NOW=1725267700
# The example configuration as shipped (its free-mail list: the one
# dmarcguard finds next to the build, data/freemail.txt).
cp ../examples/dmarcguard.conf "$WORK/shield.conf"
BASE=(verify --zone "$Z" --authserv-id mx.receiver.example --now "$NOW")
# Sample 1 arrives from the university's own server.
UNI=(--ip 192.0.2.10 --helo mail.uni.example --mail-from researcher@uni.example)
# Sample 2 from a bulk sender's server, SPF pass for its own domain.
BULK=(--ip 203.0.113.9 --helo mx.bulkmail.example --mail-from x@bulkmail.example)

sign() {	# DOMAIN IN OUT
	"$DG_BIN" sign --domain "$1" --selector s1 --key "$KEY" \
	    --now $((NOW - 60)) "$2" >"$3"
}
sign uni.example "$V/sample1.unsigned.eml" "$WORK/sample1.eml"
sign mail.strict.example "$V/strict.unsigned.eml" "$WORK/strict.eml"
sign mail.relaxed.example "$V/relaxed.unsigned.eml" "$WORK/relaxed.eml"

j() {	# JQ-FILTER ARGS...: one field of verify's JSON for one message
	local f=$1
	shift
	"$DG_BIN" "${BASE[@]}" --format json "$@" | jq -r "$f"
}

# ---- advisory sample 1: SPF and DKIM pass for the university, From is a
# think tank with p=none, Reply-To elsewhere.
check "sample 1: spf" "$(j '.spf.result + " " + .spf.domain' "${UNI[@]}" \
    "$WORK/sample1.eml")" "pass uni.example"
check "sample 1: dkim" "$(j '.dkim[0] | .result + " " + .domain' \
    "${UNI[@]}" "$WORK/sample1.eml")" "pass uni.example"
check "sample 1: dmarc, published policy" "$(j '.dmarc.result + " " +
    .dmarc.from_domain + " " + .dmarc.policy + " " + .dmarc.applied_policy +
    " " + .disposition' "${UNI[@]}" "$WORK/sample1.eml")" \
    "fail thinktank.example none none none"
check "sample 1: shield quarantines" "$(j '.disposition + " | " +
    .reasons[-1]' --config "$WORK/shield.conf" "${UNI[@]}" \
    "$WORK/sample1.eml")" "quarantine | policy none published; quarantined by local policy: reply-to domain differs"
ar=$(j .authentication_results --config "$WORK/shield.conf" "${UNI[@]}" \
    "$WORK/sample1.eml")
case $ar in
*"dmarc=fail (p=none dis=quarantine; policy none published; quarantined by local policy: reply-to domain differs)"*)
	ok "sample 1: A-R comment" ;;
*) not_ok "sample 1: A-R comment" "got: $ar" ;;
esac

# ---- advisory sample 2: a news outlet without DMARC, From and Sender
# forged, Reply-To a free-mail account.
check "sample 2: dmarc none, no shield" "$(j '.dmarc.result + " " +
    .disposition' "${BULK[@]}" "$V/sample2.eml")" "none none"
check "sample 2: shield quarantines" "$(j '.dmarc.result + " " +
    .disposition + " | " + .reasons[-1]' --config "$WORK/shield.conf" \
    "${BULK[@]}" "$V/sample2.eml")" "none quarantine | no DMARC policy published; quarantined by local policy: reply-to domain differs, reply-to at a free-mail provider"

# ---- alignment: the same subdomain mail, strict vs relaxed policies.
check "strict: adkim=s aspf=s fail for a subdomain" "$(j '.dmarc |
    "\(.result) \(.spf_aligned) \(.dkim_aligned)"' --ip 192.0.2.10 \
    --helo mail.strict.example --mail-from ops@mail.strict.example \
    "$WORK/strict.eml")" "fail false false"
check "strict: disposition" "$(j .disposition --ip 192.0.2.10 \
    --helo mail.strict.example --mail-from ops@mail.strict.example \
    "$WORK/strict.eml")" "reject"
check "relaxed: a subdomain aligns" "$(j '.dmarc |
    "\(.result) \(.spf_aligned) \(.dkim_aligned)"' --ip 192.0.2.10 \
    --helo mail.relaxed.example --mail-from ops@mail.relaxed.example \
    "$WORK/relaxed.eml")" "pass true true"

# ---- From cases and injection.
check "two From fields: permerror, reject" "$(j '.dmarc.result + " " +
    .disposition' "${BULK[@]}" "$V/multifrom.eml")" "permerror reject"
for f in inject1 inject2; do
	ar=$(j .authentication_results "${BULK[@]}" "$V/$f.eml")
	# One field: every line after the first is a fold (starts with a
	# tab), no bare CR or LF, and exactly one dmarc= result.
	if printf '%s' "$ar" | tr -d '\r' | tail -n +2 | grep -qv $'^\t'; then
		not_ok "$f: A-R stays one field" "$ar"
	else
		ok "$f: A-R stays one field"
	fi
	check "$f: one dmarc result" "$(printf '%s' "$ar" | tr -d '\r' |
	    grep -c $'^\tdmarc=')" "1"
done
check "inject1: permerror" "$(j .dmarc.result "${BULK[@]}" \
    "$V/inject1.eml")" "permerror"

# ---- pct: ignored by RFC 9989, honoured (one step lower when not
# sampled) in RFC 7489 mode.
check "pct=0, rfc9989" "$(j '.dmarc.mode + " " + .dmarc.result + " " +
    .disposition' "${BULK[@]}" "$V/pct.eml")" "rfc9989 fail reject"
check "pct=0, rfc7489" "$(j '.dmarc.mode + " " + .dmarc.result + " " +
    .disposition' --dmarc-mode rfc7489 "${BULK[@]}" "$V/pct.eml")" \
    "rfc7489 fail quarantine"
check "pct=0, rfc7489, any seed" "$(j .disposition --dmarc-mode rfc7489 \
    --pct-seed 12345 "${BULK[@]}" "$V/pct.eml")" "quarantine"

# ---- DNS failure: temperror, never a silent pass or none.
check "servfail: temperror" "$(j '.dmarc.result + " " + .disposition' \
    "${BULK[@]}" "$V/broken.eml")" "temperror none"

# ---- mbox (3 messages, one ">From " line) and maildir (2).
{
	printf 'From MAILER-DAEMON Mon Sep  2 09:00:00 2024\n'
	cat "$WORK/sample1.eml"
	printf '\nFrom MAILER-DAEMON Mon Sep  2 09:01:00 2024\n'
	cat "$V/sample2.eml"
	printf '>From the desk\n\nFrom MAILER-DAEMON Mon Sep  2 09:02:00 2024\n'
	cat "$V/multifrom.eml"
} >"$WORK/box.mbox"
out=$("$DG_BIN" "${BASE[@]}" --format json "${UNI[@]}" --mbox "$WORK/box.mbox")
check "mbox: lines" "$(wc -l <<<"$out" | tr -d ' ')" "4"
check "mbox: indexes" "$(head -3 <<<"$out" | jq -r .index | tr '\n' ' ')" \
    "1 2 3 "
check "mbox: first still verifies" "$(head -1 <<<"$out" |
    jq -r '.dkim[0].result')" "pass"
check "mbox: summary" "$(tail -1 <<<"$out")" \
    '{"summary":{"messages":3,"none":2,"quarantine":0,"reject":1,"errors":0}}'
mkdir -p "$WORK/md/cur" "$WORK/md/new" "$WORK/md/tmp"
cp "$WORK/sample1.eml" "$WORK/md/cur/1725267600.1.host:2,S"
cp "$V/sample2.eml" "$WORK/md/new/1725267601.2.host"
out=$("$DG_BIN" "${BASE[@]}" --format json "${UNI[@]}" "$WORK/md")
check "maildir: files" "$(jq -r '.file // empty' <<<"$out" |
    sed "s|$WORK|WORK|" | tr '\n' ' ')" \
    "WORK/md/cur/1725267600.1.host:2,S WORK/md/new/1725267601.2.host "
check "maildir: summary" "$(tail -1 <<<"$out" | jq -c .summary.messages)" "2"

# ---- an unreadable file among good ones: reported, the others verified,
# exit 2 at the end.
out=$("$DG_BIN" "${BASE[@]}" --format json "${BULK[@]}" "$V/sample2.eml" \
    "$WORK/missing.eml" "$V/broken.eml" 2>"$WORK/err")
rc=$?
check "missing file: exit" "$rc" "2"
check "missing file: error line" "$(sed -n 2p <<<"$out" |
    jq -r .error)" "cannot open: No such file or directory"
check "missing file: others verified" "$(sed -n '1p;3p' <<<"$out" |
    jq -r .dmarc.result | tr '\n' ' ')" "none temperror "
check "missing file: summary" "$(tail -1 <<<"$out" | jq -c .summary)" \
    '{"messages":3,"none":2,"quarantine":0,"reject":0,"errors":1}'
# Hostile input: binary junk, an oversized header section, no body.
head -c 3000 /dev/urandom >"$WORK/junk.eml"
{ printf 'From: a@news.example\r\n'; for _ in $(seq 1 12000); do
	printf 'X-Filler: %0100d\r\n' 0; done; } >"$WORK/huge.eml"
printf 'From: a@news.example\r\nSubject: no body' >"$WORK/nobody.eml"
out=$("$DG_BIN" "${BASE[@]}" --format json "${BULK[@]}" "$WORK/junk.eml" \
    "$WORK/huge.eml" "$WORK/nobody.eml" 2>/dev/null)
rc=$?
case $rc in 0|2) ok "hostile: no crash (exit $rc)" ;;
*) not_ok "hostile: exit" "got $rc" ;; esac
check "hostile: huge header refused" "$(sed -n 2p <<<"$out" | jq -r .error)" \
    "header: section over 1048576 bytes (DG_HDR_SECTION_MAX)"
check "hostile: no body still judged" "$(sed -n 3p <<<"$out" |
    jq -r .dmarc.result)" "none"

# ---- record, then replay offline: the identical JSON.
"$DG_BIN" "${BASE[@]}" --format json --config "$WORK/shield.conf" \
    "${UNI[@]}" --dns-record "$WORK/rec.zone" "$WORK/sample1.eml" \
    "$V/sample2.eml" "$V/broken.eml" >"$WORK/live.json"
"$DG_BIN" verify --zone "$WORK/rec.zone" --authserv-id mx.receiver.example \
    --now "$NOW" --format json --config "$WORK/shield.conf" "${UNI[@]}" \
    "$WORK/sample1.eml" "$V/sample2.eml" "$V/broken.eml" >"$WORK/replay.json"
if cmp -s "$WORK/live.json" "$WORK/replay.json"; then
	ok "replay: identical JSON"
else
	not_ok "replay: identical JSON" "$(diff "$WORK/live.json" \
	    "$WORK/replay.json" | head -5)"
fi

# ---- ARC: a real chain (Google, from the shared conformance data) through
# verify: its keys as a zone, the message with CRLF; then one body byte
# changed breaks the newest AMS.
RW="${DG_SHARED_DIR:-../../shared}/conformance/arc/real-world/stalwart-arc-001.txt"
if [ -f "$RW" ]; then
	/usr/bin/python3 - "$RW" "$WORK/arc.zone" "$WORK/arc.eml" <<'PY'
import sys
src, zone, eml = sys.argv[1:4]
head, _, msg = open(src).read().partition("\n\n")
with open(zone, "w") as z:
    for line in head.splitlines():
        name, text = line.split(" ", 1)
        parts = [text[i:i + 255] for i in range(0, len(text), 255)]
        z.write(name + ". IN TXT " + " ".join('"%s"' % p for p in parts) + "\n")
open(eml, "wb").write(msg.replace("\r\n", "\n").replace("\n", "\r\n").encode())
PY
	ARCV=(verify --zone "$WORK/arc.zone" --authserv-id mx.receiver.example
	    --format json --ip 192.0.2.1 --helo h.example --mail-from a@b.example)
	out=$("$DG_BIN" "${ARCV[@]}" "$WORK/arc.eml")
	check "arc: real chain passes" "$(jq -r '.arc |
	    "\(.result) \(.instances > 0) \(.oldest_pass > 0)"' <<<"$out")" \
	    "pass true true"
	case $(jq -r .authentication_results <<<"$out") in
	*"arc=pass"*) ok "arc: A-R says arc=pass" ;;
	*) not_ok "arc: A-R says arc=pass" "$out" ;;
	esac
	# One letter of the body's last line changed.
	sed '$ s/[a-z]/X/' "$WORK/arc.eml" >"$WORK/arc-bad.eml"
	check "arc: a changed body fails" "$("$DG_BIN" "${ARCV[@]}" \
	    "$WORK/arc-bad.eml" | jq -r .arc.result)" "fail"
else
	not_ok "arc: real-world chain" "missing $RW"
fi

# ---- text output and usage errors.
out=$("$DG_BIN" "${BASE[@]}" --config "$WORK/shield.conf" "${UNI[@]}" \
    "$WORK/sample1.eml" | sed "s|$WORK|WORK|" | tr -d '\r')
check "text" "$out" "$(printf '%s\n' 'WORK/sample1.eml:' \
    'Authentication-Results: mx.receiver.example;' \
    '	spf=pass smtp.mailfrom=researcher@uni.example;' \
    "	dkim=pass (256-bit key) header.d=uni.example header.s=s1 header.a=ed25519-sha256 header.b=$(j '.authentication_results' "${UNI[@]}" "$WORK/sample1.eml" | grep -o 'header.b=[^;]*' | cut -d= -f2);" \
    '	arc=none;' \
    '	dmarc=fail (p=none dis=quarantine; policy none published; quarantined by local policy: reply-to domain differs) header.from=thinktank.example policy.dmarc=quarantine' \
    'disposition: quarantine (policy none published; quarantined by local policy: reply-to domain differs)')"
uerr() {	# NAME WANT-FIRST-STDERR-LINE ARGS...
	local name=$1 want=$2
	shift 2
	"$DG_BIN" "$@" >/dev/null 2>"$WORK/uerr"
	check "$name: exit" "$?" "2"
	check "$name: message" "$(head -1 "$WORK/uerr")" "$want"
}
uerr "no envelope" "dmarcguard verify: --ip, --helo and --mail-from are required (the SMTP envelope)" \
    verify --zone "$Z" "$V/sample2.eml"
uerr "bad ip" "dmarcguard verify: --ip '300.1.1.1': not an IPv4 or IPv6 address" \
    verify --zone "$Z" --ip 300.1.1.1 --helo h --mail-from a@b "$V/sample2.eml"
uerr "no message" "dmarcguard verify: expected MESSAGE..., a maildir, \"-\" or --mbox FILE" \
    verify --zone "$Z" "${BULK[@]}"
uerr "bad mode" "dmarcguard verify: --dmarc-mode 'x': expected rfc9989 or rfc7489" \
    verify --zone "$Z" "${BULK[@]}" --dmarc-mode x "$V/sample2.eml"
uerr "bad config" "dmarcguard verify: --config $WORK/none.conf: No such file or directory" \
    verify --zone "$Z" "${BULK[@]}" --config "$WORK/none.conf" "$V/sample2.eml"
printf 'shield.enabled = perhaps\n' >"$WORK/bad.conf"
"$DG_BIN" verify --zone "$Z" "${BULK[@]}" --config "$WORK/bad.conf" \
    "$V/sample2.eml" >/dev/null 2>"$WORK/uerr"
check "bad config value: exit" "$?" "2"
case $(head -1 "$WORK/uerr") in
"dmarcguard verify: --config $WORK/bad.conf: "*) ok "bad config value: message names the file" ;;
*) not_ok "bad config value: message" "$(head -1 "$WORK/uerr")" ;;
esac
finish
