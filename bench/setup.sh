#!/usr/bin/env bash
# bench/setup.sh -- install the peer implementations the benchmarks compare
# dmarcguard with (Debian packages).  Not part of scripts/setup.sh: the test
# suite never depends on these.  Idempotent; needs root (or sudo).
set -euo pipefail

PKGS=(
	python3-spf			# pyspf (bench/spf)
	libspf2-dev			# libspf2 (bench/spf, driver built at run)
	libmail-spf-perl		# Mail::SPF (bench/spf)
	libnet-dns-resolver-programmable-perl	# its offline resolver
	time
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "bench setup: all ${#PKGS[@]} packages present"
	exit 0
fi
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
echo "bench setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
