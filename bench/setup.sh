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
	python3-dkim python3-nacl	# dkimpy (bench/dkim)
	libmail-dkim-perl		# Mail::DKIM (bench/dkim)
	time
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
# node mailauth (bench/dkim) comes from npm, into bench/dkim/node_modules.
npm_peers() {
	local dir
	dir="$(cd "$(dirname "$0")" && pwd)/dkim"
	if ! command -v npm >/dev/null 2>&1; then
		echo "bench setup: installing nodejs npm"
		$SUDO apt-get install -y -q --no-install-recommends nodejs npm
	fi
	if [ ! -d "$dir/node_modules/mailauth" ]; then
		echo "bench setup: npm install mailauth into $dir"
		npm install --prefix "$dir" --no-audit --no-fund --silent \
		    mailauth@4
	fi
}
if [ ${#missing[@]} -eq 0 ]; then
	echo "bench setup: all ${#PKGS[@]} packages present"
	npm_peers
	exit 0
fi
echo "bench setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
npm_peers
