/** Times the second of two passes of `body` (the first warms up) and prints it as people per second and seconds. */
export function secondPass(label: string, people: number, body: () => void): { rate: number; seconds: number } {
  body();
  const start = process.hrtime.bigint();
  body();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(64)} ${(people / seconds).toFixed(0).padStart(8)} people/s  ${seconds.toFixed(2).padStart(7)} s`);
  return { rate: people / seconds, seconds };
}
