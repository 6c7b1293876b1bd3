#!/usr/bin/python3
"""bench/spf/peer_pyspf.py RECORDS QUERIES -- pyspf (Debian python3-spf)
over the benchmark's records: spf.DNSLookup, pyspf's DNS hook, is replaced
by a lookup in a dict built from records.tsv, so no packet is sent.
Prints one result a line, then "# N evaluations in S seconds" on stderr
(the evaluation loop only, after loading).
"""
import sys
import time

import spf

table = {}
for line in open(sys.argv[1]):
    name, typ, data = line.rstrip("\n").split("\t")
    key = (name.lower(), typ)
    if typ == "TXT":
        val = [data.encode()]
    elif typ == "MX":
        pref, host = data.split()
        val = (int(pref), host)
    else:
        val = data
    table.setdefault(key, []).append(((name, typ), val))


def lookup(name, qtype, strict=True, timeout=30):
    return table.get((name.lower().rstrip("."), qtype), [])


spf.DNSLookup = lookup
queries = [l.split() for l in open(sys.argv[2]) if l.strip()]
out = []
t0 = time.perf_counter()
for ip, mf, helo in queries:
    res = spf.query(i=ip, s=mf, h=helo).check()
    out.append(res[0])
t1 = time.perf_counter()
sys.stdout.write("\n".join(out) + "\n")
sys.stderr.write("# %d evaluations in %.3f seconds\n" % (len(out), t1 - t0))
