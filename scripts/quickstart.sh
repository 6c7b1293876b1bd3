#!/usr/bin/env bash
# Quick start: install what is missing, build, and run dmarcguard on the
# bundled example zone, fully offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release >/dev/null
echo
echo "\$ dmarcguard dns --zone examples/example.zone _dmarc.example.com TXT"
./build/dmarcguard dns --zone examples/example.zone _dmarc.example.com TXT
echo
echo "\$ dmarcguard dns --zone examples/example.zone --format json example.com MX"
./build/dmarcguard dns --zone examples/example.zone --format json example.com MX
