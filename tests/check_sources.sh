#!/usr/bin/env bash
# Source checks: functions that stay out of lib/ (STYLE.md 6), and
# third-party headers included by their one backend file only (STYLE.md 1).
set -u
root=${1:-.}
status=0
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok|strncpy)[[:space:]]*\('
if hits=$(grep -rnE "$banned" "$root/lib" --include='*.c' --include='*.h' |
    grep -vE '^\S+:[0-9]+:\s*(/?\*|//)'); then
	echo "banned functions in lib/:"
	echo "$hits"
	status=1
fi
check_owner() {	# header-regex allowed-file
	local hits
	hits=$(grep -rlE "#include[[:space:]]*<$1" "$root/lib" "$root/src" 2>/dev/null |
	    grep -v "$2" || true)
	if [ -n "$hits" ]; then
		echo "<$1> included outside $2:"
		echo "$hits"
		status=1
	fi
}
check_owner 'unbound\.h' 'lib/dns/dns_unbound.c'
check_owner 'unbound-event\.h' 'lib/dns/dns_unbound.c'
check_owner 'event2/' 'lib/dns/dns_unbound.c'
check_owner 'idn2\.h' 'lib/util/idn.c'
check_owner 'libpsl\.h' 'lib/domain/psl.c'
check_owner 'sqlite3\.h' 'lib/store/store_sqlite.c'
check_owner 'libpq-fe\.h' 'lib/store/store_pg.c'
check_owner 'openssl/' 'lib/dkim/dkim_crypto.c'
[ $status -eq 0 ] && echo "source checks: 1 passed, 0 failed" ||
	echo "source checks: 0 passed, 1 failed"
exit $status
