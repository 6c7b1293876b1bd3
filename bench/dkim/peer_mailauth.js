// node mailauth over the bench corpus: node peer_mailauth.js ZONE LIST.
// Loads every message first, answers DNS from memory (its resolver hook),
// times the verification loop; prints "<messages> <seconds> <passes>".
'use strict';
const fs = require('fs');
const path = require('path');
const { dkimVerify } = require(path.join(__dirname, 'node_modules', 'mailauth',
    'lib', 'dkim', 'verify'));

const zone = new Map();
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
	const m = line.match(/^(\S+?)\.?\s+IN\s+TXT\s+(.*)$/);
	if (m)
		zone.set(m[1].toLowerCase(),
		    [...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]));
}
const resolver = async (name, type) => {
	const v = zone.get(name.toLowerCase().replace(/\.$/, ''));
	if (type !== 'TXT' || !v) {
		const e = new Error('not found');
		e.code = 'ENOTFOUND';
		throw e;
	}
	return [v];
};
const files = fs.readFileSync(process.argv[3], 'utf8').trim().split('\n')
    .map((l) => l.split('\t')[0]);
const msgs = files.map((f) => fs.readFileSync(f));
(async () => {
	let ok = 0;
	const t0 = process.hrtime.bigint();
	for (const m of msgs) {
		const r = await dkimVerify(m, { resolver });
		if (r.results.length && r.results[0].status.result === 'pass')
			ok++;
	}
	const secs = Number(process.hrtime.bigint() - t0) / 1e9;
	console.log(msgs.length, secs, ok);
})();
