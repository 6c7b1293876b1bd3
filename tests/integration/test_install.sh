#!/usr/bin/env bash
# `cmake --install` into a temporary prefix installs the binary, both
# libraries, the headers, the pkg-config file and the man pages, and a
# program built against the installed library through pkg-config runs.
set -u
: "${DG_BUILD_DIR:?}" "${DG_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! cmake --install "$DG_BUILD_DIR" --prefix "$tmp/p" >"$tmp/log" 2>&1; then
	cat "$tmp/log"
	echo "0 passed, 1 failed"
	exit 1
fi
libdir=$(find "$tmp/p" -name libdmarcguard.a -printf '%h\n' | head -1)
for f in bin/dmarcguard include/dmarcguard/common.h include/dmarcguard/dns.h \
    include/dmarcguard/version.h share/man/man1/dmarcguard.1; do
	[ -e "$tmp/p/$f" ] && ok || bad "missing $f"
done
[ -e "$tmp/p/share/dmarcguard/dkim-selectors.txt" ] && ok ||
	bad "missing share/dmarcguard/dkim-selectors.txt"
[ -e "$tmp/p/share/man/man1/dmarcguard-check.1" ] && ok ||
	bad "missing dmarcguard-check.1"
# The installed check finds the shipped selector list (no warning).
err=$("$tmp/p/bin/dmarcguard" check --zone \
    "$DG_SOURCE_DIR/examples/example.zone" -q example.com 2>&1 >/dev/null)
[ -z "$err" ] && ok || bad "installed check: $err"
[ -n "$libdir" ] && ok || bad "missing libdmarcguard.a"
[ -e "$libdir/libdmarcguard.so" ] && ok || bad "missing libdmarcguard.so"
[ -e "$libdir/pkgconfig/dmarcguard.pc" ] && ok || bad "missing dmarcguard.pc"

"$tmp/p/bin/dmarcguard" --version | grep -qE '^dmarcguard [0-9]+\.[0-9]+\.[0-9]+$' &&
	ok || bad "installed binary --version"

cat >"$tmp/t.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <dmarcguard/common.h>
#include <dmarcguard/version.h>
#include <dmarcguard/dns.h>
int
main(void)
{
	enum dg_dns_type t;

	if (strcmp(dg_version(), DG_VERSION_STRING) != 0)
		return 1;
	if (!dg_dns_type_parse("txt", &t) || t != DG_DNS_T_TXT)
		return 1;
	puts(dg_dns_status_str(DG_DNS_NXDOMAIN));
	return 0;
}
C
san=
grep -q '^DG_SANITIZE:BOOL=ON' "$DG_BUILD_DIR/CMakeCache.txt" &&
	san="-fsanitize=address,undefined"
# The .pc file names the configured prefix; point a copy at the temp one.
mkdir -p "$tmp/pc"
sed "s|^prefix=.*|prefix=$tmp/p|" "$libdir/pkgconfig/dmarcguard.pc" >"$tmp/pc/dmarcguard.pc"
export PKG_CONFIG_PATH="$tmp/pc"
if cc $san -o "$tmp/t" "$tmp/t.c" $(pkg-config --cflags --libs dmarcguard) \
    2>"$tmp/cc.log"; then
	out=$(LD_LIBRARY_PATH="$libdir" "$tmp/t")
	[ "$out" = nxdomain ] && ok || bad "shared-library program printed '$out'"
else
	cat "$tmp/cc.log"
	bad "could not build against the installed library"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
