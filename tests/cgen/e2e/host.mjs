// Host for the e2e guest: runs the jco-transpiled component in node, implements `host`, calls `api`,
// prints one line per check. Usage: node host.mjs DIR (DIR holds the transpiled guest.js).
import { pathToFileURL } from 'node:url';
import path from 'node:path';
const dir = process.argv[2];
const logs = [];
class Blob {
  constructor(init) { this.data = Array.from(init); }
  size() { return this.data.length; }
  append(more) { this.data.push(...more); }
}
globalThis.__wkit_host = {
  log: (m) => { logs.push(m); },
  lookup: (k) => (k === 'k1' ? 'v1' : undefined),
  fetch: (id) => { if (id === 0) throw { payload: 'not found' }; return new Uint8Array([1, 2, 3, 4].slice(0, id)); },
  mix: (a, b, c, d) => [BigInt(Math.round(b * 10)) + c, `${a}:${d ? d.x + ',' + d.y + ',' + d.label : 'none'}`],
  Blob,
  blobSum: (b) => BigInt(b.data.reduce((x, y) => x + y, 0)),
  twist: (m) => (m.tag === 'f' ? { tag: 'd', val: m.val * 2 } : m.tag === 'w' ? { tag: 's', val: m.val.toString(16) } : { tag: 'none' }),
};
const m = await import(pathToFileURL(path.join(dir, 'guest.js')).href);
const api = m.api ?? m['wkit:e2e/api@0.1.0'];
const out = [];
const check = (name, got, want) => {
  const g = JSON.stringify(got, (k, v) => (typeof v === 'bigint' ? v.toString() + 'n' : v));
  const w = JSON.stringify(want, (k, v) => (typeof v === 'bigint' ? v.toString() + 'n' : v));
  out.push(`${g === w ? 'ok' : 'FAIL'} ${name}: got ${g}${g === w ? '' : ' want ' + w}`);
};
check('run', api.run(['ab', 'cde', 'f']), { x: 3, y: 2, label: 'ab+cde+f' });
let err = null;
try { api.run([]); } catch (e) { err = e.payload; }
check('run-err', err, 'no args');
check('area-circle', api.area({ tag: 'circle', val: 2 }), 12);
check('area-poly', api.area({ tag: 'poly', val: [{ x: 2, y: 3, label: 'a' }, { x: -1, y: 4, label: 'b' }] }), 2);
check('area-empty', api.area({ tag: 'empty' }), -1);
check('paint', api.paint('blue', { read: true, write: true, exec: false }, 'hi'), 'color=2 perms=3 (w) note=hi');
check('paint-none', api.paint('red', { read: false, write: false, exec: true }, undefined), 'color=0 perms=4');
check('many', Array.from(api.many(255, -2, 65535, -3, 4000000000, -5, 18446744073709551615n, -7n, 1.25, 2.5, 'Z', true, 1, 2, 3, 4, 5)),
      [255n, 18446744073709551614n, 65535n, 18446744073709551613n, 4000000000n, 18446744073709551611n, 18446744073709551615n,
       18446744073709551609n, 5n, 20n, 90n, 1n, 15n]);
const c = new api.Counter(5);
c.incr(3);
check('counter', [c.incr(4), c.get()], [12, 12]);
check('use-host', api.useHost(), 'lookup=v1;lookup2=none;fetch=3/6;err=not found;mix=10000000015,blue:2,-3,pt;mix2=-19,red:none;blob=5,36;twist-f=3:5;twist-w=2:123456789abc');
check('host-log', logs, ['hello from C']);
check('echo-f', api.echo({ tag: 'f', val: 1.5 }, 41n, { tag: 'ok' }), [{ tag: 'f', val: 1.5 }, 42n, { tag: 'ok' }]);
check('echo-w', api.echo({ tag: 'w', val: 18446744073709551615n }, undefined, { tag: 'err', val: 'green' }),
      [{ tag: 'w', val: 18446744073709551615n }, undefined, { tag: 'err', val: 'green' }]);
let echoErr = null;
try { api.echo({ tag: 's', val: 'héllo' }, 0n, { tag: 'err', val: 'green' }); } catch (e) { echoErr = e.payload ?? String(e); }
check('echo-s-err', echoErr, null);
check('echo-s', api.echo({ tag: 's', val: 'héllo' }, 0n, { tag: 'ok' })[0], { tag: 's', val: 'héllo' });
check('echo-d', api.echo({ tag: 'd', val: -0.125 }, undefined, { tag: 'ok' })[0], { tag: 'd', val: -0.125 });
check('echo-none', api.echo({ tag: 'none' }, undefined, { tag: 'ok' })[0], { tag: 'none' });
check('points', api.points(3), [{ x: 0, y: 0, label: 'p0' }, { x: 1, y: -1, label: 'p1' }, { x: 2, y: -2, label: 'p2' }]);
console.log(out.join('\n'));
process.exit(out.every((l) => l.startsWith('ok')) ? 0 : 1);
