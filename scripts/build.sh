#!/usr/bin/env bash
# Configure and build one flavour of dmarcguard.
#   scripts/build.sh [release|asan|fuzz]   (default release)
# Build trees: build/, build-asan/, build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
jobs=$(nproc 2>/dev/null || echo 2)
case "$flavour" in
release) dir=build;      args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
asan)    dir=build-asan; args=(-DCMAKE_BUILD_TYPE=Debug -DDG_SANITIZE=ON) ;;
fuzz)    dir=build-fuzz; args=(-DCMAKE_BUILD_TYPE=Debug -DDG_FUZZ=ON -DDG_SANITIZE=ON
                               -DCMAKE_C_COMPILER=clang) ;;
*) echo "usage: $0 [release|asan|fuzz]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" "${args[@]}" >"$dir.configure.log" 2>&1 ||
	{ cat "$dir.configure.log" >&2; exit 1; }
cmake --build "$dir" -j"$jobs"
