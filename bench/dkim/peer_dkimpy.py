#!/usr/bin/python3
"""dkimpy over the bench corpus: bench/dkim/peer_dkimpy.py ZONE LIST.
Loads every message first, answers DNS from the zone file in memory, times
the verification loop only; prints "<messages> <seconds> <passes>"."""
import re
import sys
import time

import dkim

zone = {}
for line in open(sys.argv[1]):
    m = re.match(r'^(\S+)\s+IN\s+TXT\s+(.*)$', line.strip())
    if m:
        zone[m.group(1).encode()] = "".join(
            re.findall(r'"([^"]*)"', m.group(2))).encode()
files = [l.split("\t")[0] for l in open(sys.argv[2])]
msgs = [open(f, "rb").read() for f in files]


def dnsfunc(name, timeout=5):
    return zone.get(name if name.endswith(b".") else name + b".")


t0 = time.perf_counter()
ok = sum(1 for m in msgs if dkim.verify(m, dnsfunc=dnsfunc))
print(len(msgs), time.perf_counter() - t0, ok)
