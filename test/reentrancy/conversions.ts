/**
 * One conversion of an example file through every stage of the core, as the text of its
 * results, with a pause between stages so that callers can interleave many of them.
 */
import type { ExampleFile, testRuntime } from '../helpers/runtime.js';

type Runtime = ReturnType<typeof testRuntime>;

export const AS_OF = '2026-01-05';

export type Pause = () => Promise<void>;

export async function convertInStages(rt: Runtime, file: ExampleFile, pause: Pause): Promise<string> {
  await pause();
  const whole = rt.pipeline.convert(file.source, file.text, file.path, { trace: true });
  await pause();
  const records = rt.pipeline.toRecords(file.source, file.text, file.path, { trace: true });
  const stages: unknown[] = [];
  for (const r of records) {
    await pause();
    if (!r.record) {
      stages.push({ issues: r.issues });
      continue;
    }
    const mapped = rt.pipeline.toBundle(r.record, { trace: true });
    await pause();
    const back = mapped.bundle ? rt.pipeline.reverse(JSON.stringify(mapped.bundle), file.path) : undefined;
    await pause();
    const findings = rt.compliance.evaluate(r.record, { asOf: AS_OF }).findings;
    stages.push({ record: r.record, toRecord: r.trace, mapped, back, findings });
  }
  return JSON.stringify({ whole, stages });
}
