#!/usr/bin/env bash
# The whole test suite: install what is missing, then build and run every
# test three times over -- a normal build, an AddressSanitizer +
# UndefinedBehaviorSanitizer build, and a short libFuzzer run of every fuzz
# target (DG_FUZZ_SECONDS each, default 15).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
status=0

run() {	# name build-dir ctest-args...
	local name=$1 dir=$2
	shift 2
	echo "=== $name ==="
	if ! (cd "$dir" && ctest --output-on-failure -j"$jobs" "$@"); then
		status=1
	fi
}

bash scripts/build.sh release
run "tests (release build)" build
bash scripts/build.sh asan
run "tests (ASan + UBSan build)" build-asan
if command -v clang >/dev/null 2>&1; then
	bash scripts/build.sh fuzz
	run "fuzz smoke (libFuzzer, ${DG_FUZZ_SECONDS:-15}s per target)" build-fuzz \
		-L fuzz
else
	echo "=== fuzz smoke skipped: clang not installed ==="
fi
if [ $status -eq 0 ]; then
	echo "ALL TEST RUNS PASSED"
else
	echo "SOME TEST RUNS FAILED"
fi
exit $status
