# tests/integration/lib.sh -- helpers for the integration tests: counters,
# assertions, a free loopback port, and an NSD authoritative server run as
# the current user in a temporary directory.  Source it; it needs $WORK.

PASS=0
FAIL=0

ok() {		# name
	PASS=$((PASS + 1))
	echo "ok   $1"
}

not_ok() {	# name detail...
	FAIL=$((FAIL + 1))
	echo "FAIL $1"
	shift
	[ $# -gt 0 ] && printf '     %s\n' "$@"
}

# check NAME GOT WANT: exact string comparison.
check() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got:  $2" "want: $3"
	fi
}

finish() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

# A random high port not in use right now (TCP or UDP) on this machine.
# Another process may still take it before the server binds, so
# nsd_start retries with a new port when the server does not come up.
free_port() {
	local p i
	for i in $(seq 1 50); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		if command -v ss >/dev/null 2>&1 &&
		    ss -Htuln 2>/dev/null | awk '{print $5}' |
		    grep -q ":$p\$"; then
			continue
		fi
		echo "$p"
		return 0
	done
	echo 0
}

# Does this machine have a usable ::1?  (Containers often lack IPv6.)
have_ipv6_loopback() {
	[ -r /proc/net/if_inet6 ] &&
	    grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6
}

# nsd_start ZONE ZONEFILE: serve ZONEFILE as ZONE on 127.0.0.1:$NSD_PORT
# (and [::1]:$NSD_PORT when NSD_IPV6=1), with NSD_SERVER_COUNT server
# processes (default 1).  Sets NSD_PORT and NSD_PID;
# returns non-zero if it does not come up.
NSD_PID=
nsd_start() {
	local zone=$1 file=$2 dir="$WORK/nsd" i
	mkdir -p "$dir"
	cp "$file" "$dir/zone.db"
	if ! nsd-checkzone "$zone" "$dir/zone.db" >"$dir/checkzone.log" 2>&1; then
		cat "$dir/checkzone.log"
		return 1
	fi
	for attempt in 1 2 3 4 5; do
		NSD_PORT=$(free_port)
		cat >"$dir/nsd.conf" <<CONF
server:
	ip-address: 127.0.0.1
$( [ "${NSD_IPV6:-0}" = 1 ] && printf '\tip-address: ::1\n' )
	port: $NSD_PORT
	username: ""
	chroot: ""
	zonesdir: "$dir"
	database: ""
	zonelistfile: "$dir/zone.list"
	pidfile: "$dir/nsd.pid"
	xfrdfile: "$dir/xfrd.state"
	xfrdir: "$dir"
	logfile: "$dir/nsd.log"
	verbosity: 0
	server-count: ${NSD_SERVER_COUNT:-1}
	# No response rate limiting: its default (200 answers a second per
	# client /24) drops answers in bulk tests and benchmarks, which
	# unbound then reports as SERVFAIL.
	rrl-ratelimit: 0
	hide-version: yes
	refuse-any: yes
remote-control:
	control-enable: no
zone:
	name: "$zone"
	zonefile: "zone.db"
CONF
		# Its own process group (nsd forks server and xfrd children),
		# so nsd_pause and nsd_stop reach every process of this server.
		setsid /usr/sbin/nsd -d -c "$dir/nsd.conf" \
		    >>"$dir/nsd.out" 2>&1 &
		NSD_PID=$!
		for i in $(seq 1 50); do
			if dig +short +time=1 +tries=1 @127.0.0.1 -p "$NSD_PORT" \
			    "$zone" SOA >/dev/null 2>&1 &&
			    [ -n "$(dig +short +time=1 +tries=1 @127.0.0.1 \
			    -p "$NSD_PORT" "$zone" SOA 2>/dev/null)" ]; then
				return 0
			fi
			if ! kill -0 "$NSD_PID" 2>/dev/null; then
				break
			fi
			sleep 0.1
		done
		nsd_stop
	done
	echo "nsd did not start:"
	cat "$dir/nsd.out" "$dir/nsd.log" 2>/dev/null
	return 1
}

# Freeze the server: its socket stays open but nothing answers.
nsd_pause() {
	[ -n "$NSD_PID" ] && kill -STOP -- "-$NSD_PID" 2>/dev/null
}

# Stop (and reap) the server started by nsd_start; safe to call twice.
nsd_stop() {
	if [ -n "$NSD_PID" ]; then
		kill -CONT -- "-$NSD_PID" 2>/dev/null
		kill -TERM -- "-$NSD_PID" 2>/dev/null
		for _ in $(seq 1 30); do
			kill -0 -- "-$NSD_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL -- "-$NSD_PID" 2>/dev/null
		wait "$NSD_PID" 2>/dev/null
		NSD_PID=
	fi
}
