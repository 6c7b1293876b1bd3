#!/usr/bin/env bash
# bench/spf/run.sh -- SPF evaluations per second, warm cache, in one run:
# dmarcguard (`spf --batch --zone`), pyspf, libspf2 and Mail::SPF, over
# the same generated zone and queries (bench/spf/gen.py), each serving the
# records locally its own way.  Results are cross-checked against
# dmarcguard's; prints evaluations/s for each and the ratios.
#
# Usage: bench/spf/run.sh [DOMAINS [QUERIES]]   (default 200 20000)
# Env:   DG_BIN   the dmarcguard binary (default: a Release build in
#                 build-bench/, configured and built here)
#        PEERS    which peers to run (default "libspf2 pyspf mailspf")
# Needs the peers: bench/setup.sh installs them.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
NDOM=${1:-200}
NQ=${2:-20000}
PEERS=${PEERS:-libspf2 pyspf mailspf}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-benchspf.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [ -z "${DG_BIN:-}" ]; then
	cmake -S "$SRC" -B "$SRC/build-bench" -DCMAKE_BUILD_TYPE=Release \
	    >/dev/null
	cmake --build "$SRC/build-bench" -j2 --target dmarcguard >/dev/null
	DG_BIN=$SRC/build-bench/dmarcguard
fi
python3 "$HERE/gen.py" "$WORK" "$NDOM" "$NQ"
echo "zone: $(grep -c . "$WORK/records.tsv") records, $NDOM sender" \
    "domains, 4 providers; $NQ queries; $(nproc) cores; $(date -u +%F)"

# secs_of FILE: the "# N evaluations in S seconds" line a driver wrote.
secs_of() { sed -n 's/^# [0-9]* evaluations in \([0-9.]*\) seconds$/\1/p' "$1"; }
rate() { awk -v n="$NQ" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }

# dmarcguard: the whole process, zone loading and output included
# (best of 3; the zone backend is its warm cache).
best=
for _ in 1 2 3; do
	t0=$(date +%s.%N)
	"$DG_BIN" spf --zone "$WORK/bench.zone" --batch "$WORK/queries.txt" \
	    --now 0 >"$WORK/dg.jsonl"
	t1=$(date +%s.%N)
	s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
	if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'
	then best=$s; fi
done
python3 -c 'import json, sys
for l in open(sys.argv[1]): print(json.loads(l)["result"])' \
    "$WORK/dg.jsonl" >"$WORK/dg.out"
DG_RATE=$(rate "$best")
printf '%-12s %10s evaluations/s  (%s s)\n' dmarcguard "$DG_RATE" "$best"
sort "$WORK/dg.out" | uniq -c | awk '{ printf "%s %s  ", $2, $1 } END { print "" }' |
    sed 's/^/             results: /'

# peer NAME CMD...: run it; its own timer covers the evaluation loop only.
peer() {
	local name=$1 s r dis
	shift
	if ! "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"; then
		echo "$name: failed"; cat "$WORK/$name.err"; return
	fi
	s=$(secs_of "$WORK/$name.err")
	r=$(rate "$s")
	dis=$(paste -d' ' "$WORK/dg.out" "$WORK/$name.out" |
	    awk '$1 != $2' | wc -l)
	printf '%-12s %10s evaluations/s  (%s s)  disagreements %d  ratio dmarcguard/%s %.1fx\n' \
	    "$name" "$r" "$s" "$dis" "$name" \
	    "$(awk -v a="$DG_RATE" -v b="$r" 'BEGIN { print a / b }')"
	echo "$r" >"$WORK/$name.rate"
}
for p in $PEERS; do
	case $p in
	libspf2)
		cc -O2 -o "$WORK/peer_libspf2" "$HERE/peer_libspf2.c" -lspf2
		peer libspf2 "$WORK/peer_libspf2" "$WORK/records.tsv" \
		    "$WORK/queries.txt" ;;
	pyspf)
		peer pyspf /usr/bin/python3 "$HERE/peer_pyspf.py" \
		    "$WORK/records.tsv" "$WORK/queries.txt" ;;
	mailspf)
		peer mailspf perl "$HERE/peer_mailspf.pl" \
		    "$WORK/records.tsv" "$WORK/queries.txt" ;;
	*)	echo "unknown peer $p" >&2; exit 2 ;;
	esac
done
fastest=$(cat "$WORK"/*.rate 2>/dev/null | sort -n | tail -1)
if [ -n "$fastest" ]; then
	awk -v a="$DG_RATE" -v b="$fastest" 'BEGIN {
	    printf "dmarcguard / fastest peer: %.1fx (target 10x)\n", a / b }'
fi
