/**
 * Real FHIR servers in a process of their own, for benchmarks: a target is another system, so its
 * CPU must not be counted as pont's. Prints one line, the servers' base URLs as a JSON list, and
 * runs until its standard input closes.
 *
 *     tsx test/bench/fhir-servers.ts 2 8    # two servers, at most 8 entries per Bundle
 */
import { startFhirServer } from '../helpers/fhir-server.js';

const count = Number(process.argv[2] ?? 2);
const maxEntries = Number(process.argv[3] ?? 8);
const servers = await Promise.all(Array.from({ length: count }, () => startFhirServer({ maxEntries })));
process.stdout.write(`${JSON.stringify(servers.map((s) => s.baseUrl))}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void Promise.all(servers.map((s) => s.stop())).then(() => process.exit(0));
});
