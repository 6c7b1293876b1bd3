#!/usr/bin/env bash
# tests/cli/test_check.sh -- golden output of `dmarcguard check`, offline
# (--zone tests/data/zones/check.zone and examples/example.zone): text,
# JSON and CSV; -f with comments, blanks and duplicates; exit statuses (0
# protected, 1 weak or spoofable, 2 error); usage errors; input order with
# many jobs; the progress bar only on a terminal; colour only on a
# terminal and never with NO_COLOR.
#
# Each case's stdout, stderr and exit status are compared with
# tests/data/golden/check/CASE.out.  DG_UPDATE_GOLDEN=1 rewrites them
# (review the diff before committing).
set -u
: "${DG_BIN:?DG_BIN must name the dmarcguard binary}"
cd "$(dirname "$0")/.." || exit 1	# tests/: relative paths in output
GOLDEN=data/golden/check
Z=data/zones/check.zone
EX=../examples/example.zone
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-clicheck.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export NO_COLOR=
PASS=0
FAIL=0
# The test selectors of check.zone, without the common list.
SEL=(--no-common-selectors -s rsa2048 -s rsa1024 -s rsa512 -s ed
    -s revoked -s testing -s bad -s slow)

run() {
	local name=$1 got
	shift
	"$DG_BIN" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
	local rc=$?
	got=$(cat "$WORK/stdout"; echo "--- stderr"; cat "$WORK/stderr";
	    echo "--- exit $rc")
	got=${got//$WORK/WORK}
	if [ "${DG_UPDATE_GOLDEN:-}" = 1 ]; then
		printf '%s\n' "$got" >"$GOLDEN/$name.out"
	fi
	if [ -f "$GOLDEN/$name.out" ] &&
	    [ "$got" = "$(cat "$GOLDEN/$name.out")" ]; then
		PASS=$((PASS + 1))
		echo "ok   $name"
	else
		FAIL=$((FAIL + 1))
		echo "FAIL $name"
		diff -u "$GOLDEN/$name.out" <(printf '%s\n' "$got") |
		    sed 's/^/     /'
	fi
}

check() {
	if [ "$2" = "$3" ]; then
		PASS=$((PASS + 1))
		echo "ok   $1"
	else
		FAIL=$((FAIL + 1))
		printf 'FAIL %s\n     got:  %s\n     want: %s\n' "$1" "$2" "$3"
	fi
}

# The bundled example: one protected, one weak, one spoofable, one parked.
run example-text check --zone "$EX" --selector sel1 example.com \
    partial.example weak.example open.example parked.example
run example-json check --zone "$EX" --format json --no-common-selectors \
    -s sel1 example.com weak.example
# One domain per verdict, text.
run protected-text check --zone "$Z" "${SEL[@]}" dkim.check.test
run weak-text check --zone "$Z" "${SEL[@]}" softfail.check.test
run spoofable-text check --zone "$Z" "${SEL[@]}" nodmarc.check.test
run parked-text check --zone "$Z" "${SEL[@]}" nothing.check.test
run error-text check --zone "$Z" "${SEL[@]}" slow.check.test
run quiet-text check --zone "$Z" "${SEL[@]}" -q good.check.test \
    none.check.test
# JSON: the documented schema, every part filled.
run weak-json check --zone "$Z" "${SEL[@]}" --format json none.check.test
run inherited-json check --zone "$Z" "${SEL[@]}" --format json \
    sub.good.check.test
run error-json check --zone "$Z" "${SEL[@]}" --format json bad..name
# Bulk: every domain of the zone as CSV, and a file with comments and
# duplicates in each format.
run bulk-csv check --zone "$Z" "${SEL[@]}" --format csv -j 4 \
    -f data/check/all.txt
run file-text check --zone "$Z" "${SEL[@]}" -q -f data/check/domains.txt
run file-json check --zone "$Z" "${SEL[@]}" --format json --no-extra \
    -f data/check/domains.txt
run file-csv check --zone "$Z" "${SEL[@]}" --format csv \
    -f data/check/domains.txt
# The shipped selector list and --selectors-file.
run selectors-default check --zone "$Z" -q --format csv dkim.check.test
printf '# mine\nrsa512\n\nrsa2048 # trailing comment\n' >"$WORK/sel.txt"
run selectors-file check --zone "$Z" --format csv --selectors-file \
    "$WORK/sel.txt" dkimtiny.check.test

# Exit statuses.
"$DG_BIN" check --zone "$Z" "${SEL[@]}" -q good.check.test >/dev/null
check "exit protected" "$?" 0
"$DG_BIN" check --zone "$Z" "${SEL[@]}" -q good.check.test \
    testr.check.test >/dev/null
check "exit weak" "$?" 1
"$DG_BIN" check --zone "$Z" "${SEL[@]}" -q good.check.test \
    passall.check.test >/dev/null
check "exit spoofable" "$?" 1
"$DG_BIN" check --zone "$Z" "${SEL[@]}" -q none.check.test \
    mxfail.check.test >/dev/null
check "exit error beats spoofable" "$?" 2

# Input order does not depend on the number of jobs.
one=$("$DG_BIN" check --zone "$Z" "${SEL[@]}" --format csv -j 1 \
    -f data/check/all.txt)
many=$("$DG_BIN" check --zone "$Z" "${SEL[@]}" --format csv -j 64 \
    -f data/check/all.txt)
check "order -j 1 = -j 64" "$many" "$one"
check "order: first" "$(sed -n 2p <<<"$many" | cut -d, -f1)" \
    "good.check.test"
# stdin
got=$(printf 'none.check.test\n' | "$DG_BIN" check --zone "$Z" \
    "${SEL[@]}" --format csv -f - | cut -d, -f1,2 | tail -1)
check "stdin" "$got" "none.check.test,spoofable"

# Arguments that are not domain names: an error verdict each, named, and
# the good domain beside them still checked; a name that does not exist.
run not-domains check --zone "$Z" -q 192.0.2.1 2001:db8::1 \
    user@good.check.test good.check.test
run nxdomain check --zone "$Z" absent.check.test

# Usage errors.
run help check --help
run no-args check
run both check --zone "$Z" -f data/check/domains.txt good.check.test
run bad-format check --zone "$Z" --format xml good.check.test
run bad-jobs check --zone "$Z" -j 0 good.check.test
run bad-jobs-junk check --zone "$Z" --jobs 4x good.check.test
run bad-selector check --zone "$Z" -s a.b good.check.test
run missing-file check --zone "$Z" -f data/check/no-such-file.txt
run missing-selectors-file check --zone "$Z" --selectors-file \
    data/check/no-such-file.txt good.check.test
run unknown-option check --bogus good.check.test
run missing-value check good.check.test --selector
run zone-and-resolver check --zone "$Z" --resolver 127.0.0.1 a.test

# A terminal: progress bar on stderr and colour on stdout (script(1)
# provides the terminal); NO_COLOR turns colour off.
if command -v script >/dev/null 2>&1; then
	out=$(NO_COLOR= script -qec "$DG_BIN check --zone $Z -q \
	    --no-common-selectors good.check.test none.check.test" \
	    /dev/null </dev/null | tr -d '\r' | cat -v)
	case $out in
	*'[########################################] 2/2'*)
		ok_bar=1 ;;
	*) ok_bar=0 ;;
	esac
	check "tty: progress bar" "$ok_bar" 1
	check "tty: colour" "$(grep -c '\^\[\[31mspoofable' <<<"$out")" 1
	out=$(NO_COLOR=1 script -qec "$DG_BIN check --zone $Z -q \
	    --no-common-selectors none.check.test" /dev/null </dev/null |
	    tr -d '\r' | cat -v)
	check "tty NO_COLOR=1: plain" "$out" \
	    "none.check.test  spoofable  (DMARC p=none, SPF yes, MX, DKIM 0 keys)"
	out=$(script -qec "$DG_BIN check --zone $Z -q --no-progress \
	    --no-common-selectors good.check.test none.check.test" \
	    /dev/null </dev/null | tr -d '\r' | cat -v)
	check "tty --no-progress" "$(grep -c '####' <<<"$out")" 0
else
	echo "skip terminal checks: script(1) not installed"
fi
# Not a terminal: no bar in the captured stderr.
"$DG_BIN" check --zone "$Z" "${SEL[@]}" -q -f data/check/all.txt \
    >/dev/null 2>"$WORK/err"
check "pipe: no progress bar" "$(wc -c <"$WORK/err" | tr -d ' ')" 0

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
