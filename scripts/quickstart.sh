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
echo
echo "\$ dmarcguard verify --zone examples/example.zone --config examples/dmarcguard.conf \\"
echo "      --ip 192.0.2.10 --helo mail.example.com --mail-from bounces@example.com examples/spoofed.eml"
# A p=none domain forged by another organization's real server: DMARC
# fails, the published policy asks for nothing, the local policy of the
# example configuration quarantines it (Reply-To points elsewhere).
./build/dmarcguard verify --zone examples/example.zone \
    --config examples/dmarcguard.conf --authserv-id mx.example.org \
    --ip 192.0.2.10 --helo mail.example.com --mail-from bounces@example.com \
    examples/spoofed.eml
