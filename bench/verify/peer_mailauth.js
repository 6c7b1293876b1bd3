// node mailauth's authenticate() (SPF, DKIM, ARC, DMARC, BIMI) over the
// bench corpus: node peer_mailauth.js ZONE LIST IP HELO SENDER.  Loads
// every message first, answers DNS from the zone file in memory, times the
// loop; prints "<messages> <seconds> <dmarc passes>".
'use strict';
const fs = require('fs');
const path = require('path');
const { authenticate } = require(path.join(__dirname, '..', 'dkim',
    'node_modules', 'mailauth'));

const zone = new Map();
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
	const m = line.match(/^(\S+?)\.?\s+(?:\d+\s+)?IN\s+TXT\s+(.*)$/);
	if (m) {
		const k = m[1].toLowerCase();
		if (!zone.has(k))
			zone.set(k, []);
		zone.get(k).push([...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]));
	}
}
const resolver = async (name, type) => {
	const v = zone.get(name.toLowerCase().replace(/\.$/, ''));
	if (type !== 'TXT' || !v) {
		const e = new Error('not found');
		e.code = 'ENOTFOUND';
		throw e;
	}
	return v;
};
const [, , , list, ip, helo, sender] = process.argv;
const files = fs.readFileSync(list, 'utf8').trim().split('\n')
    .map((l) => l.split('\t')[0]);
const msgs = files.map((f) => fs.readFileSync(f));
(async () => {
	let ok = 0;
	const t0 = process.hrtime.bigint();
	for (const m of msgs) {
		const r = await authenticate(m, { ip, helo, sender,
		    mta: 'mx.receiver.example', resolver });
		if (r.dmarc && r.dmarc.status && r.dmarc.status.result === 'pass')
			ok++;
	}
	const secs = Number(process.hrtime.bigint() - t0) / 1e9;
	console.log(msgs.length, secs, ok);
})();
