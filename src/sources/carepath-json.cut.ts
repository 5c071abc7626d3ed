/**
 * Cuts a CarePath MH export into one part per client as it is read, so that an export of any
 * size is checked a client at a time. A file of several clients (`{ exportMeta, clients: [...] }`)
 * gives, for each client, the text of a file of that one client under the same export header,
 * with the client's position in the file (parseCarePathJson then names paths as the file does:
 * `clients[7].referrals[0]…`). The export header is checked once, before any client is handed
 * on; exports write it first, and clients that come before it are held until it comes. Anything
 * else (a file of one client, a file that is not an object) is handed on whole, for the parser.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { DEFAULT_MAX_DEPTH, JsonScanner } from '../input/json-scanner.js';
import { describeIssue, invalidInput, zodIssuesToOutcome } from '../input/zod-outcome.js';
import { CAREPATH_FILE, CAREPATH_WHAT } from './carepath-json.parse.js';
import { multiClientFileSchema } from './carepath-json.schema.js';

/** A client's file and its position in the export (none when the part is the whole input), or what is wrong with the export. */
export type CarePathPart = { readonly text: string; readonly position?: number } | { readonly issues: OperationOutcomeIssue[] };

const CLIENTS = 'clients';
const HEADER = 'exportMeta';
const headerSchema = multiClientFileSchema.pick({ exportMeta: true });

export class CarePathCutter {
  private readonly scanner: JsonScanner;
  /** The top-level keys in order, and the members other than the list of clients, as written. */
  private readonly keys: string[] = [];
  private readonly members = new Map<string, string>();
  private listed = false;
  private header: 'unchecked' | 'valid' | 'invalid' = 'unchecked';
  /** Clients cut out and not yet handed on. */
  private readonly waiting: { text: string; index: number }[] = [];
  private waitingLength = 0;
  private handed = 0;
  private membersLength = 0;
  private readonly raw: string[] = [];
  private rawLength = 0;

  constructor(private readonly origin: string) {
    this.scanner = new JsonScanner(
      { maxDepth: DEFAULT_MAX_DEPTH, records: { under: CLIENTS } },
      (text, index) => {
        this.waiting.push({ text, index });
        this.waitingLength += text.length;
      },
      (key, text) => {
        this.keys.push(key);
        if (text === undefined) this.listed = true;
        else {
          this.members.set(key, text);
          this.membersLength += text.length;
        }
      },
    );
  }

  /**
   * Characters held besides the clients ready to hand on (each of which the reader measures):
   * before a list of clients starts, all the text so far; then those of the client being cut
   * out, of the header and any other members, and of clients waiting for the header.
   */
  get pendingLength(): number {
    if (!this.listed) return this.rawLength; // all of it so far
    return this.scanner.pendingLength + this.membersLength + (this.members.has(HEADER) ? 0 : this.waitingLength);
  }

  /** Scans the next piece of text; returns the parts it completes. @throws JsonScanError */
  push(text: string): CarePathPart[] {
    // Until a list of clients starts, the input may be a file of one client (or no export at
    // all): kept as written, to be handed on whole.
    if (!this.listed) {
      this.raw.push(text);
      this.rawLength += text.length;
    }
    this.scanner.push(text);
    if (this.listed) this.raw.length = 0;
    return this.listed ? this.clients(false) : [];
  }

  /** Says the input is complete; returns the parts left. @throws JsonScanError */
  end(): CarePathPart[] {
    this.scanner.end();
    if (this.listed) return this.clients(true);
    return [{ text: this.raw.join('') }];
  }

  /** After a JSON error: the clients cut out before it, under a valid header. */
  cutSoFar(): CarePathPart[] {
    return this.listed && this.waiting.length > 0 ? this.clients(true) : [];
  }

  /** The clients ready to hand on, once the header is known to be valid. */
  private clients(ended: boolean): CarePathPart[] {
    if (this.header === 'invalid') return [];
    const meta = this.members.get(HEADER);
    if (meta === undefined && !ended) return [];
    if (this.header === 'unchecked') {
      const problems = this.headerProblems(meta);
      if (problems.length > 0) {
        this.header = 'invalid';
        return [{ issues: invalidInput(this.origin, CAREPATH_WHAT, problems).issues }];
      }
      this.header = 'valid';
    }
    if (ended && this.waiting.length === 0 && this.handed === 0) return [{ text: this.file('') }]; // no client: the parser says so
    // One client is held back, so that a file of one client is handed on as the whole input it is.
    const parts: CarePathPart[] = [];
    while (this.waiting.length > (ended ? 0 : 1)) {
      const client = this.waiting.shift()!;
      this.waitingLength -= client.text.length;
      const alone = ended && client.index === 0 && this.waiting.length === 0;
      parts.push(alone ? { text: this.file(client.text) } : { text: this.file(client.text), position: client.index });
      this.handed++;
    }
    // A key besides the header and the clients is told once every client has been handed on, wherever it stood.
    const unknown = ended ? this.keys.flatMap((key, i) => (key === HEADER || key === CLIENTS ? [] : [i])) : [];
    if (unknown.length > 0) {
      const problems = unknown.map(
        (i): OperationOutcomeIssue => ({
          severity: 'error',
          code: 'structure',
          diagnostics: `${CAREPATH_FILE.subject}: key ${i + 1} of ${this.keys.length} ${CAREPATH_FILE.unknownField}`,
        }),
      );
      parts.push({ issues: invalidInput(this.origin, CAREPATH_WHAT, problems).issues });
    }
    return parts;
  }

  /** The header's problems, as the whole file's check would name them. */
  private headerProblems(meta: string | undefined): OperationOutcomeIssue[] {
    const header: unknown = meta === undefined ? undefined : JSON.parse(meta);
    const checked = headerSchema.safeParse({ exportMeta: header }, { error: describeIssue });
    return checked.success ? [] : zodIssuesToOutcome(checked.error.issues, { exportMeta: header }, CAREPATH_FILE);
  }

  private file(client: string): string {
    return `{"${HEADER}":${this.members.get(HEADER)},"${CLIENTS}":[${client}]}`;
  }
}
