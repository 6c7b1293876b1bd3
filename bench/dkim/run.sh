#!/usr/bin/env bash
# bench/dkim/run.sh [N] -- DKIM verifications per second: dmarcguard against
# dkimpy, node mailauth and Mail::DKIM, in one run, on one corpus of N
# messages (default 2000; 2 KB to 200 KB, half RSA-2048, half Ed25519, keys
# answered from memory by every implementation), next to the physical limit
# measured with `openssl speed` in the same run: RSA-2048 and Ed25519
# verifications plus SHA-256 over the corpus's bytes.  Also the peak
# memory of dmarcguard on a 5 KB and on a 50 MB message.
#
# Needs a release build (scripts/build.sh release), bench/setup.sh (the
# peers, and mailauth from npm into bench/dkim/node_modules).
set -eu
cd "$(dirname "$0")/../.."
N=${1:-2000}
BIN=${DG_BIN:-build/dmarcguard}
HERE=bench/dkim
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-bench-dkim.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || { echo "no binary at $BIN (scripts/build.sh release)"; exit 1; }
[ -d "$HERE/node_modules/mailauth" ] ||
    { echo "no mailauth in $HERE/node_modules (run bench/setup.sh)"; exit 1; }
"$PY" -c 'import dkim' && perl -MMail::DKIM -e 1 ||
    { echo "missing python3-dkim or libmail-dkim-perl (bench/setup.sh)"; exit 1; }

echo "# DKIM verification: $N messages, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
DG_BIN="$BIN" "$PY" "$HERE/gen.py" "$WORK" "$N"
Z="$WORK/keys.zone"
L="$WORK/list.tsv"
NRSA=$(grep -c 'rsa-sha256' "$L")
NED=$(grep -c 'ed25519-sha256' "$L")
BYTES=$(awk -F'\t' '{ s += $3 } END { print s }' "$L")
printf 'corpus: %d RSA-2048 + %d Ed25519 messages, %.1f MB\n\n' "$NRSA" \
    "$NED" "$(awk -v b="$BYTES" 'BEGIN { print b / 1e6 }')"

# ---- the physical limit ----
SPEED=$(openssl speed -seconds 2 rsa2048 ed25519 2>/dev/null)
RSA_VPS=$(awk '/^rsa 2048 bits/ { print $NF }' <<<"$SPEED")
ED_VPS=$(awk '/Ed25519/ { print $NF }' <<<"$SPEED")
SHA_KBPS=$(openssl speed -seconds 2 -bytes 16384 sha256 2>/dev/null |
    awk '/^sha256/ { sub(/k$/, "", $2); print $2 }')
LIMIT=$(awk -v n="$N" -v r="$NRSA" -v e="$NED" -v b="$BYTES" \
    -v rv="$RSA_VPS" -v ev="$ED_VPS" -v sk="$SHA_KBPS" 'BEGIN {
	t = r / rv + e / ev + b / (sk * 1000); printf "%.0f", n / t }')
printf 'openssl speed: RSA-2048 %s verify/s, Ed25519 %s verify/s, SHA-256 %.0f MB/s\n' \
    "$RSA_VPS" "$ED_VPS" "$(awk -v k="$SHA_KBPS" 'BEGIN { print k / 1000 }')"
echo "physical limit: $LIMIT messages/s (one CPU: verifications + body hashes)"
echo

# ---- dmarcguard: the whole process, best of 3 ----
dg_run() {	# LIST -> "messages seconds passes"
	local best= t0 t1 s ok files
	mapfile -t files < <(cut -f1 "$1")
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		"$BIN" dkim --zone "$Z" --format json "${files[@]}" >"$WORK/dg.out"
		t1=$(date +%s%N)
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e9 }')
		if [ -z "$best" ] || awk -v s="$s" -v b="$best" 'BEGIN { exit !(s < b) }'
		then best=$s; fi
	done
	ok=$(grep -c '"result":"pass"' "$WORK/dg.out" || true)
	echo "${#files[@]} $best $ok"
}
grep 'rsa-sha256' "$L" >"$WORK/rsa.tsv"
DG=$(dg_run "$L")
DG_RSA=$(dg_run "$WORK/rsa.tsv")
PYR=$("$PY" "$HERE/peer_dkimpy.py" "$Z" "$L")
NODE=$(node "$HERE/peer_mailauth.js" "$Z" "$L")
PL=$(perl "$HERE/peer_maildkim.pl" "$Z" "$L" rsa-sha256)

rate() { awk '{ printf "%.0f", $1 / $2 }' <<<"$1"; }
printf '%-34s %10s %10s %8s\n' implementation msgs/s "dg/it" pass
row() {	# NAME RESULT DG-RESULT
	local r d
	r=$(rate "$2")
	d=$(rate "$3")
	printf '%-34s %10s %9.1fx %8s\n' "$1" "$r" \
	    "$(awk -v a="$d" -v b="$r" 'BEGIN { print a / b }')" \
	    "$(cut -d' ' -f3 <<<"$2")/$(cut -d' ' -f1 <<<"$2")"
}
printf '%-34s %10s %10s %8s\n' "dmarcguard (whole process)" "$(rate "$DG")" "" \
    "$(cut -d' ' -f3 <<<"$DG")/$N"
row "dkimpy $("$PY" -c 'import dkim; print(getattr(dkim, "__version__", ""))' 2>/dev/null)" "$PYR" "$DG"
row "node mailauth $(node -p "require('./$HERE/node_modules/mailauth/package.json').version")" "$NODE" "$DG"
row "Mail::DKIM $(perl -MMail::DKIM -e 'print $Mail::DKIM::VERSION') (RSA only)" "$PL" "$DG_RSA"
echo
printf 'dmarcguard: %.0f%% of the physical limit\n' \
    "$(awk -v d="$(rate "$DG")" -v l="$LIMIT" 'BEGIN { print 100 * d / l }')"

# ---- memory: 5 KB and 50 MB ----
"$PY" - "$WORK" <<'PYEOF'
import sys
w = sys.argv[1]
hdr = ("From: a@bench.example\r\nTo: b@receiver.example\r\nSubject: size\r\n"
       "Date: Sun, 22 Nov 2026 10:00:00 +0000\r\nMessage-ID: <s@bench.example>\r\n\r\n")
line = "x" * 76 + "\r\n"
for name, size in (("small", 5000), ("big", 50_000_000)):
    with open(f"{w}/{name}.raw", "w") as f:
        f.write(hdr + line * (size // len(line)))
PYEOF
for m in small big; do
	"$BIN" sign --domain bench.example --selector rsa \
	    --key "$WORK/keys/rsa.private" "$WORK/$m.raw" >"$WORK/$m.eml"
	/usr/bin/time -f '%M' -o "$WORK/$m.rss" "$BIN" dkim --zone "$Z" \
	    --format json "$WORK/$m.eml" >"$WORK/$m.out"
done
printf 'peak RSS: 5 KB message %s KB, 50 MB message %s KB (%s, %s)\n' \
    "$(cat "$WORK/small.rss")" "$(cat "$WORK/big.rss")" \
    "$(grep -o '"result":"[a-z]*"' "$WORK/small.out")" \
    "$(grep -o '"result":"[a-z]*"' "$WORK/big.out")"
