#!/usr/bin/env bash
# tests/cli/test_arc_suite_cli.sh -- a sample of the ValiMail ARC
# validation suite through the binary: every 7th test (and the first of
# each scenario), its scenario's txt-records as a zone file, the message
# with CRLF, `dmarcguard verify --zone`: .arc.result must be the suite's
# cv (an empty cv is fail).  The whole suite runs in the library's
# conformance test (tests/conformance/test_arc_suite.c).
set -u
: "${DG_BIN:?DG_BIN must name the dmarcguard binary}"
cd "$(dirname "$0")/.." || exit 1	# tests/
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dg-arcsuite.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=../integration/lib.sh
. integration/lib.sh
SUITE="${DG_SHARED_DIR:-../../shared}/conformance/arc/arc-draft-validation-tests.yml"
if [ ! -f "$SUITE" ] || ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
	not_ok "suite" "missing $SUITE or python3-yaml"
	finish
	exit 1
fi
# Write WORK/NNN.zone, NNN.eml and a list "NNN id cv".
/usr/bin/python3 - "$SUITE" "$WORK" <<'PY' >"$WORK/list"
import sys, yaml
suite, work = sys.argv[1:3]
n = 0
for doc in yaml.safe_load_all(open(suite)):
    if not doc:
        continue
    txt = doc.get("txt-records") or doc.get("txt_records") or {}
    zone = ""
    for name, text in txt.items():
        parts = [text[i:i + 255] for i in range(0, len(text), 255)]
        zone += name + ". IN TXT " + " ".join('"%s"' % p for p in parts) + "\n"
    for k, (tid, t) in enumerate((doc.get("tests") or {}).items()):
        if k % 7 != 0:
            continue
        n += 1
        cv = (t.get("cv") or "").strip().lower() or "fail"
        open("%s/%03d.zone" % (work, n), "w").write(zone or "; none\n")
        msg = t["message"].replace("\r\n", "\n").replace("\n", "\r\n")
        open("%s/%03d.eml" % (work, n), "wb").write(msg.encode())
        print("%03d %s %s" % (n, tid, cv))
PY
while read -r n id cv; do
	got=$("$DG_BIN" verify --zone "$WORK/$n.zone" --format json \
	    --authserv-id mx.receiver.example --ip 192.0.2.1 --helo h.example \
	    --mail-from a@example.org "$WORK/$n.eml" 2>/dev/null |
	    jq -r '.arc.result // .error')
	check "$id" "$got" "$cv"
done <"$WORK/list"
finish
