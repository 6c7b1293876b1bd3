#!/usr/bin/env bash
# bench/verify/run.sh [N] -- whole-message verification (SPF + DKIM + DMARC)
# per second: `dmarcguard verify` against node mailauth's authenticate(),
# in one run, on the bench/dkim corpus (N messages, default 2000, 2 KB to
# 200 KB, half RSA-2048, half Ed25519), DNS answered from memory by both.
# mailauth times only its loop over messages already in memory; dmarcguard
# is timed as the whole process (start-up, reading, JSON), best of 3.
# Needs a release build and bench/setup.sh (mailauth from npm).
set -eu
cd "$(dirname "$0")/../.."
N=${1:-2000}
BIN=${DG_BIN:-build/dmarcguard}
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-bench-verify.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || { echo "no binary at $BIN (scripts/build.sh release)"; exit 1; }
[ -d bench/dkim/node_modules/mailauth ] ||
    { echo "no mailauth in bench/dkim/node_modules (run bench/setup.sh)"; exit 1; }
echo "# verify: $N messages, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
DG_BIN="$BIN" "$PY" bench/dkim/gen.py "$WORK" "$N"
Z="$WORK/verify.zone"
{
	cat "$WORK/keys.zone"
	echo 'bench.example. IN TXT "v=spf1 ip4:192.0.2.0/24 -all"'
	echo '_dmarc.bench.example. IN TXT "v=DMARC1; p=reject; rua=mailto:d@bench.example"'
} >"$Z"
ENV=(--ip 192.0.2.10 --helo mail.bench.example --mail-from bounce@bench.example)
mapfile -t files < <(cut -f1 "$WORK/list.tsv")
best=
for _ in 1 2 3; do
	t0=$(date +%s%N)
	"$BIN" verify --zone "$Z" --authserv-id mx.receiver.example \
	    --format json "${ENV[@]}" "${files[@]}" >"$WORK/dg.out"
	t1=$(date +%s%N)
	s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e9 }')
	if [ -z "$best" ] || awk -v s="$s" -v b="$best" 'BEGIN { exit !(s < b) }'
	then best=$s; fi
done
DG_OK=$(grep -c '"dmarc":{"result":"pass"' "$WORK/dg.out" || true)
DG_RATE=$(awk -v n="$N" -v s="$best" 'BEGIN { printf "%.0f", n / s }')
read -r MN MS MOK < <(node bench/verify/peer_mailauth.js "$Z" "$WORK/list.tsv" \
    192.0.2.10 mail.bench.example bounce@bench.example)
MA_RATE=$(awk -v n="$MN" -v s="$MS" 'BEGIN { printf "%.0f", n / s }')
printf '%-32s %10s %12s\n' implementation msgs/s "dmarc=pass"
printf '%-32s %10s %12s\n' "dmarcguard verify (process)" "$DG_RATE" "$DG_OK/$N"
printf '%-32s %10s %12s\n' "node mailauth $(node -p "require('./bench/dkim/node_modules/mailauth/package.json').version") authenticate()" \
    "$MA_RATE" "$MOK/$MN"
printf 'dmarcguard / mailauth: %.1fx\n' \
    "$(awk -v a="$DG_RATE" -v b="$MA_RATE" 'BEGIN { print a / b }')"
