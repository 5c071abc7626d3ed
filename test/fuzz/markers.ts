/**
 * Unique markers planted in the patient fields of a fuzzed input, and the search for them in
 * what pont says. Text markers are `QZX<n>`; fields whose format must survive parsing get markers
 * of the same shape (digits for NHS numbers and other numbers, dates for dates), registered
 * exactly, with the other spellings a source's date layout may be turned into.
 */

/** Any text marker, in any case: nothing in pont's messages or data contains these letters in a row. */
const TEXT_MARKER = /qzx\d+/i;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const COMPACT_DATE = /^(19|20)\d{6}(\d{6})?$/;

export class MarkerBook {
  private count = 0;
  private readonly exact = new Set<string>();

  /** `QZX<n>`: a value that looks like a code or an id, as free text or code fields hold. */
  text(): string {
    this.count += 1;
    return `QZX${this.count}`;
  }

  /**
   * A marker in the shape of `value`, so that the field still parses: a date for a date (ISO or
   * compact, with its time kept), an NHS-number-like number with a valid check digit for ten
   * digits, digits of the same length for other long numbers, text otherwise.
   */
  shaped(value: string): string {
    if (ISO_DATE.test(value)) return this.isoDate() + value.slice(10);
    if (COMPACT_DATE.test(value)) return this.isoDate().replaceAll('-', '') + value.slice(8);
    if (/^\d{2}\/\d{2}\/\d{4}$/.test(value)) {
      const [y, m, d] = this.isoDate().split('-') as [string, string, string];
      return `${d}/${m}/${y}`;
    }
    if (/^\d{3} \d{3} \d{4}$/.test(value)) {
      const nhs = this.nhsNumber();
      const spaced = `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
      this.register(spaced);
      return spaced;
    }
    if (/^\d{10}$/.test(value)) return this.nhsNumber();
    if (/^\d{8,}$/.test(value)) return this.digits(value.length);
    return this.text();
  }

  /** A date in the 1800s, unique within the case: `18YY-MM-DD`, also found as `18YYMMDD` or `DD/MM/18YY`. */
  isoDate(): string {
    this.count += 1;
    const n = this.count;
    const iso = `18${pad(n % 100)}-${pad(1 + (Math.floor(n / 100) % 12))}-${pad(1 + (Math.floor(n / 1200) % 28))}`;
    const [y, m, d] = iso.split('-') as [string, string, string];
    this.register(iso, `${y}${m}${d}`, `${d}/${m}/${y}`);
    return iso;
  }

  /** A date that does not exist (day 30 of February), still unique within the case. */
  impossibleDate(): string {
    this.count += 1;
    const iso = `18${pad(this.count % 100)}-02-30`;
    this.register(iso, iso.replaceAll('-', ''));
    return iso;
  }

  /** Ten digits starting 97 with a valid NHS check digit (mod 11), unique within the case. */
  nhsNumber(): string {
    for (;;) {
      this.count += 1;
      const body = `97${String(this.count % 10_000_000).padStart(7, '0')}`;
      let sum = 0;
      for (let i = 0; i < 9; i++) sum += Number(body[i]) * (10 - i);
      const check = 11 - (sum % 11);
      if (check === 10) continue;
      const nhs = body + String(check === 11 ? 0 : check);
      this.register(nhs);
      return nhs;
    }
  }

  /** `length` digits starting 96, unique within the case (length at least 8). */
  digits(length: number): string {
    this.count += 1;
    const marker = `96${String(this.count).padStart(length - 2, '0')}`;
    this.register(marker);
    return marker;
  }

  /** The markers found in a text (each once). */
  foundIn(text: string): string[] {
    const found = new Set<string>();
    const text$ = TEXT_MARKER.exec(text);
    if (text$) found.add(text$[0]);
    for (const marker of this.exact) if (text.includes(marker)) found.add(marker);
    return [...found];
  }

  /** The text with every marker replaced by `<marker>`, so that leaks of one form group together. */
  redact(text: string): string {
    let out = text.replace(new RegExp(TEXT_MARKER.source, 'gi'), '<marker>');
    for (const marker of [...this.exact].sort((a, b) => b.length - a.length)) out = out.replaceAll(marker, '<marker>');
    return out;
  }

  private register(...forms: string[]): void {
    for (const form of forms) this.exact.add(form);
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
