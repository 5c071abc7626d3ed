import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readInputs } from '../../src/cli/input-file.js';
import { testNhsNumber } from '../helpers/generate.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const n = Number(process.argv[2] ?? 3000);
const format = process.argv[3] ?? 'carepath-json';
const files = readdirSync(join(ROOT, 'examples/carepath-json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(ROOT, 'examples/carepath-json', f), 'utf8')));
let text = `{"exportMeta":${JSON.stringify(files[0].exportMeta)},"clients":[\n`;
for (let i = 0; i < n; i++) {
  const { exportMeta: _, ...client } = structuredClone(files[i % files.length]);
  client.client = { ...client.client, ClientID: `BENCH${i}`, NHSNumber: testNhsNumber(i) };
  text += `${i === 0 ? '' : ',\n'}${JSON.stringify(client)}`;
}
text += ']}\n';
writeFileSync('/tmp/cp/export.json', text);
text = '';
const core = testRuntime();
const run = core.checkEach(readInputs(['/tmp/cp/export.json'], { source: format, maxBytes: 32 << 20, known: core.sources, isKnownKey: core.isKnownKey }), {
  asOf: '2025-11-20',
});
let i = 0;
const mb = (x: number) => Math.round(x / 1e6);
for await (const r of run.results) {
  void r;
  if (++i % 500 === 0) {
    gc();
    const m = process.memoryUsage();
    console.log(i, 'heap', mb(m.heapUsed), 'ext', mb(m.external), 'ab', mb(m.arrayBuffers), 'rss', mb(m.rss));
  }
}
