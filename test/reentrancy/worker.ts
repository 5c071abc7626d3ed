/** Converts every example in the order given by the parent thread and posts the results. */
import { parentPort, workerData } from 'node:worker_threads';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';
import { convertInStages } from './conversions.js';

const order = (workerData as { order: number[] }).order;
const files = exampleFiles();
const rt = testRuntime();
const results: [string, string][] = [];
for (const i of order) {
  const file = files[i]!;
  results.push([file.path, await convertInStages(rt, file, async () => {})]);
}
parentPort!.postMessage(results);
