#!/usr/bin/env bash
# Install the Debian packages dmarcguard needs to build and test.
# Idempotent: packages already present are not reinstalled, and apt-get update
# runs only when something is missing.  Needs root (or sudo).
set -euo pipefail

PKGS=(
	build-essential cmake pkg-config clang libclang-rt-14-dev
	libssl-dev libunbound-dev libevent-dev ldnsutils libpsl-dev publicsuffix libidn2-dev libicu-dev
	libjansson-dev libcmocka-dev libyaml-dev
	nsd dnsutils jq python3-yaml dnsperf
	python3-dkim python3-nacl libmail-dkim-perl libnet-dns-resolver-programmable-perl opendkim
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all ${#PKGS[@]} packages present"
	exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# The nsd package starts a system-wide server; tests run their own on loopback.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
	$SUDO systemctl disable --now nsd >/dev/null 2>&1 || true
fi
