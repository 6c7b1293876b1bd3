#!/usr/bin/env bash
# Quick start: install what is missing, build, and run dmarcguard on the
# bundled example zone, fully offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release >/dev/null
DOMAINS="example.com partial.example weak.example open.example parked.example"
echo
echo "\$ dmarcguard check --zone examples/example.zone --selector sel1 -q $DOMAINS"
# Exit 1 means "some domain is weak or spoofable": expected here.
./build/dmarcguard check --zone examples/example.zone --selector sel1 -q \
    $DOMAINS || [ $? -eq 1 ]
echo
echo "\$ dmarcguard check --zone examples/example.zone weak.example"
./build/dmarcguard check --zone examples/example.zone weak.example ||
    [ $? -eq 1 ]
echo
echo "\$ dmarcguard dns --zone examples/example.zone _dmarc.example.com TXT"
./build/dmarcguard dns --zone examples/example.zone _dmarc.example.com TXT
