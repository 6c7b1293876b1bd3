#!/usr/bin/python3
"""dkimpy (Debian python3-dkim) for tests/integration/test_dkim_interop.sh.

  peer_dkimpy.py sign KEY DOMAIN SELECTOR ALG CANON IN OUT [length]
  peer_dkimpy.py verify ZONE FILE...   -> "FILE pass|fail" per file

KEY is a PEM private key as `dmarcguard keygen` writes it; for ed25519 the
32-octet seed is taken from its PKCS#8 form (dkimpy wants it base64).
ZONE is the zone file of the keys: DNS is answered from it, offline.
"""
import base64
import re
import subprocess
import sys

import dkim


def ed25519_seed(path):
    der = subprocess.run(["openssl", "pkey", "-in", path, "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return base64.b64encode(der[-32:])


def load_zone(path):
    records = {}
    for line in open(path, encoding="ascii"):
        m = re.match(r'^(\S+)\s+(?:\d+\s+)?IN\s+TXT\s+(.*)$', line.strip())
        if m:
            name = m.group(1).lower()
            if not name.endswith("."):
                name += "."
            text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))
            records[name.encode()] = text.encode()
    return records


def main():
    if sys.argv[1] == "sign":
        key, domain, sel, alg, canon, src, dst = sys.argv[2:9]
        length = len(sys.argv) > 9
        msg = open(src, "rb").read()
        priv = (ed25519_seed(key) if alg == "ed25519-sha256"
                else open(key, "rb").read())
        hc, bc = canon.split("/")
        linesep = b"\r\n" if b"\r\n" in msg else b"\n"
        sig = dkim.sign(msg, sel.encode(), domain.encode(), priv,
                        canonicalize=(hc.encode(), bc.encode()),
                        signature_algorithm=alg.encode(),
                        include_headers=[b"from", b"to", b"subject",
                                         b"date", b"message-id"],
                        length=length, linesep=linesep)
        open(dst, "wb").write(sig + msg)
        return 0
    zone = load_zone(sys.argv[2])

    def dnsfunc(name, timeout=5):
        return zone.get(name.lower() if name.endswith(b".")
                        else name.lower() + b".")

    for path in sys.argv[3:]:
        ok = dkim.verify(open(path, "rb").read(), dnsfunc=dnsfunc)
        print(path, "pass" if ok else "fail")
    return 0


sys.exit(main())
