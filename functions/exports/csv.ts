/**
 * CSV (RFC 4180) and JSON Lines, by hand: the quoting rule is four lines, and a library would add
 * a dependency for it. No I/O here: the exporter streams what these functions return.
 *
 * - CSV is UTF-8 with a byte order mark, so that spreadsheet programs (Excel above all) read
 *   Chinese names as UTF-8 instead of the machine's code page; lines end in CRLF; a field is
 *   quoted when it holds a comma, a quote, CR or LF, and a quote inside is doubled.
 * - A text field that a spreadsheet would run as a formula (it starts with = + - @, a tab or CR:
 *   "CSV injection") gets a leading apostrophe, which the spreadsheet shows as text. Only text
 *   columns: numbers and amounts (a negative amount starts with "-") are written as they are. The
 *   JSON Lines file keeps every value untouched.
 * - JSON Lines: one JSON object per line, LF-terminated; money stays integer minor units with its
 *   currency, as the API gives it.
 */

export const BOM = '\uFEFF';
export const CSV_EOL = '\r\n';

/** A column of a CSV file: its header and how a row's value is read; text columns are guarded against formulas. */
export interface Column<T> {
  header: string;
  type: 'text' | 'number';
  value: (row: T) => string | number | null | undefined;
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, quoted when RFC 4180 needs it. */
export function csvField(value: string | number | null | undefined, type: Column<unknown>['type'] = 'text'): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (type === 'text' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvHeader(columns: readonly Pick<Column<unknown>, 'header'>[]): string {
  return columns.map((c) => csvField(c.header)).join(',') + CSV_EOL;
}

export function csvLine<T>(columns: readonly Column<T>[], row: T): string {
  return columns.map((c) => csvField(c.value(row), c.type)).join(',') + CSV_EOL;
}

export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/**
 * Splits CSV text back into rows of fields (RFC 4180), for tests and for anyone checking a file;
 * the exporter never reads CSV.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
