/**
 * Real FHIR servers (@medplum/fhir-router in memory, behind express on 127.0.0.1) in a process of
 * their own: example targets for `pont serve` (npm run example:targets), and loopback targets for
 * benchmarks, where a target's CPU must not be counted as pont's. Prints one line, the servers'
 * base URLs as a JSON list, and runs until its standard input closes or it is interrupted.
 *
 *     tsx test/fhir-server/serve.ts 8100,8101,8102   # on these ports
 *     tsx test/fhir-server/serve.ts 2                # two, on any free ports
 *     tsx test/fhir-server/serve.ts 2 none           # without a limit of their own
 * Each holds at most 8 entries per transaction unless the second argument says otherwise (a
 * number, or `none`: then only medplum's own limits hold, 8 entries in a transaction with
 * conditional entries and 50 updates in any).
 */
import { startFhirServer } from '../helpers/fhir-server.js';

const arg = process.argv[2] ?? '2';
const ports = arg.includes(',') || Number(arg) > 100 ? arg.split(',').map(Number) : Array.from({ length: Number(arg) }, () => 0);
const limit = process.argv[3] ?? '8';
const maxEntries = limit === 'none' ? {} : { maxEntries: Number(limit) };
const servers = await Promise.all(ports.map((port) => startFhirServer({ ...maxEntries, port })));
process.stdout.write(`${JSON.stringify(servers.map((s) => s.baseUrl))}\n`);
const stop = () => void Promise.all(servers.map((s) => s.stop())).then(() => process.exit(0));
process.stdin.resume();
process.stdin.on('end', stop);
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
