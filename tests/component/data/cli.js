// A JS wasi:cli command (componentize-js, world tests/component/data/cli-js-wit): prints its
// arguments, the WK_* environment variables (sorted) and the first lines of input.txt in each
// preopened directory, to stdout, and one line to stderr. suite-wrun.sh compares `wrun`
// (--env, --dir) with `jco run` (the environment inherited, the preopen added by a
// --jco-import module) byte for byte.
import { getEnvironment, getArguments } from 'wasi:cli/environment@0.2.12';
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';

export const run = {
  run() {
    console.log('hello from a JS wasi:cli command');
    console.log(`args: ${JSON.stringify(getArguments().slice(1))}`);
    const env = getEnvironment().filter(([k]) => k.startsWith('WK_')).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [k, v] of env) console.log(`env ${k}=${v}`);
    for (const [dir, path] of getDirectories()) {
      console.log(`preopen ${path}`);
      try {
        const file = dir.openAt({}, 'input.txt', {}, { read: true });
        const [bytes, eof] = file.read(4096n, 0n);
        const text = new TextDecoder().decode(bytes);
        console.log(`input.txt: ${bytes.length} bytes, eof ${eof}, ${text.split('\n').length - 1} lines`);
        for (const line of text.split('\n').slice(0, 3)) console.log(`| ${line}`);
      } catch (e) {
        console.log(`input.txt: error ${e?.payload ?? e}`);
      }
      try {
        dir.openAt({}, '../escape.txt', {}, { read: true });
        console.log('../escape.txt: opened (must not be)');
      } catch (e) {
        console.log(`../escape.txt: refused (${e?.payload ?? e})`);
      }
    }
    console.error('done (stderr)');
  },
};
