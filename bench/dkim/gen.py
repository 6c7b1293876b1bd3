#!/usr/bin/python3
"""bench/dkim/gen.py DIR [N] -- the DKIM bench corpus, deterministic.

N messages (default 2000) of 2 KB to 200 KB (sizes log-uniform), text and
MIME, half signed RSA-2048 and half Ed25519 (alternating), by `dmarcguard
sign` with fixed t=, keys made by `dmarcguard keygen` into DIR/keys.
Writes DIR/msgs/NNNNN.eml, DIR/keys.zone (both keys) and DIR/list.tsv
(file, algorithm, bytes).
"""
import math
import os
import random
import subprocess
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
dg = os.environ.get("DG_BIN", "build/dmarcguard")
rng = random.Random(20261122)
os.makedirs(out + "/msgs", exist_ok=True)
os.makedirs(out + "/keys", exist_ok=True)
for sel, alg in (("rsa", "rsa"), ("ed", "ed25519")):
    if not os.path.exists(f"{out}/keys/{sel}.private"):
        subprocess.run([dg, "keygen", "--algorithm", alg, "--selector", sel,
                        "--domain", "bench.example", "--out", out + "/keys"],
                       check=True, stdout=subprocess.DEVNULL)
with open(out + "/keys.zone", "w") as z:
    for sel in ("rsa", "ed"):
        z.write(open(f"{out}/keys/{sel}.txt").read())

WORDS = ("policy report figures quarterly meeting notes draft review "
         "security analysis attached regards schedule agenda budget "
         "summary update request forward thanks").split()


def body(size):
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
        lines.append(line)
        total += len(line) + 2
    return "\r\n".join(lines) + "\r\n"


with open(out + "/list.tsv", "w") as lst:
    for i in range(n):
        size = int(math.exp(rng.uniform(math.log(2000), math.log(200000))))
        sel = "rsa" if i % 2 == 0 else "ed"
        hdr = (f"From: Sender {i} <sender{i}@bench.example>\r\n"
               f"To: reader@receiver.example\r\n"
               f"Subject: {rng.choice(WORDS)} {rng.choice(WORDS)} {i}\r\n"
               f"Date: Sun, 22 Nov 2026 10:{i % 60:02d}:00 +0000\r\n"
               f"Message-ID: <{i}.bench@bench.example>\r\n")
        if i % 3 == 0:
            b = ("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
                 "boundary=\"bb\"\r\n\r\n--bb\r\nContent-Type: text/plain\r\n\r\n"
                 + body(size // 2) + "--bb\r\nContent-Type: text/plain\r\n\r\n"
                 + body(size // 2) + "--bb--\r\n")
            msg = hdr + b
        else:
            msg = hdr + "\r\n" + body(size)
        raw = f"{out}/msgs/raw.eml"
        open(raw, "w").write(msg)
        path = f"{out}/msgs/{i:05d}.eml"
        with open(path, "wb") as f:
            subprocess.run([dg, "sign", "--domain", "bench.example",
                            "--selector", sel, "--key",
                            f"{out}/keys/{sel}.private",
                            "--now", "1795000000", raw], check=True, stdout=f)
        lst.write(f"{path}\t{'rsa-sha256' if sel == 'rsa' else 'ed25519-sha256'}"
                  f"\t{os.path.getsize(path)}\n")
os.unlink(f"{out}/msgs/raw.eml")
