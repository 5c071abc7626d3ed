/** One statement on its own connection to a PostgreSQL server (creating and dropping databases), for tests and benchmarks. */
import pg from 'pg';

export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
