import { StringDecoder } from "node:string_decoder";
import { AUDIT_EXPORT_COLUMNS, parseKeyList, textRowToEvent, type AuditTextRow } from "./audit-event-columns";
import type { ChainedAuditEvent } from "./canonical-encoding";

// The three export formats, written by export-audit-events.ts and read back by the offline verifier
// (so no server-only). Every value is the exact text the chain hashed; see lib/audit/README.md.
//
// - CSV (RFC 4180, as Postgres' COPY writes it, lines ending in \n): a header of AUDIT_EXPORT_COLUMNS;
//   `seq` bare, every other value double-quoted; an empty unquoted field is NULL, `""` the empty
//   string. `target_keys` is a JSON array, `details` JSON. A value starting with a character a
//   spreadsheet would evaluate gets a leading `'` (see neutraliseCsvCell), undone on reading.
// - NDJSON: one object per line with those keys; `target_keys` an array, `details` a string of JSON.
// - JSON: an array, one such object per line (so it can be read back line by line too).

export const EXPORT_FORMATS = ["csv", "ndjson", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson",
  json: "application/json",
};

const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;

// CSV formula injection (OWASP "CSV Injection"): a user agent or forged address such as
// `=HYPERLINK(...)` or `=cmd|...` would be evaluated by a spreadsheet opening the export. Cells starting
// with = + - @ TAB or CR get a leading single quote; so do cells already starting with one, so that
// reading strips exactly one quote from every cell that starts with it and recovers the hashed value.
const NEUTRALISED_START = /^[=+\-@\t\r']/;

/** The CSV cell for a value: prefixed with `'` when it starts with = + - @ TAB CR or `'`. */
export function neutraliseCsvCell(value: string): string {
  return NEUTRALISED_START.test(value) ? `'${value}` : value;
}

/** The value of a CSV cell written by {@link neutraliseCsvCell}. */
export function restoreCsvCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/** neutraliseCsvCell in SQL, for the `COPY ... TO STDOUT` that writes CSV exports. */
export function neutraliseCsvCellSql(expression: string): string {
  // ascii() reads the first character's code without making a substring: = + - @ TAB CR '
  return `CASE WHEN ascii(${expression}) IN (61, 43, 45, 64, 9, 13, 39) THEN chr(39) || ${expression} ELSE ${expression} END`;
}

function toObject(row: AuditTextRow): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  AUDIT_EXPORT_COLUMNS.forEach((column, index) => {
    const value = row[index] ?? null;
    object[column] = column === "target_keys" && value !== null ? parseKeyList(value) : value;
  });
  return object;
}

/** Text written before the first row. */
export function exportPrologue(format: ExportFormat): string {
  if (format === "csv") return `${AUDIT_EXPORT_COLUMNS.join(",")}\n`;
  return format === "json" ? "[\n" : "";
}

/** Text written after the last row. */
export function exportEpilogue(format: ExportFormat, count: number): string {
  if (format === "json") return count === 0 ? "]\n" : "\n]\n";
  return "";
}

/** One row; `index` is its 0-based position (the JSON array needs commas between rows). */
export function formatExportRow(format: ExportFormat, row: AuditTextRow, index: number): string {
  if (format === "csv") {
    let line = row[0] ?? "";
    for (let i = 1; i < row.length; i++) {
      const value = row[i];
      line += value === null || value === undefined ? "," : `,${quote(neutraliseCsvCell(value))}`;
    }
    return `${line}\n`;
  }
  const json = JSON.stringify(toObject(row));
  if (format === "ndjson") return `${json}\n`;
  return index === 0 ? json : `,\n${json}`;
}

function objectToEvent(value: unknown): ChainedAuditEvent {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new Error("an event is not a JSON object");
  const object = value as Record<string, unknown>;
  const row: AuditTextRow = AUDIT_EXPORT_COLUMNS.map((column) => {
    const field = object[column];
    if (column === "target_keys") return Array.isArray(field) ? JSON.stringify(field) : null;
    if (field === null || field === undefined) return null;
    if (typeof field !== "string") throw new Error(`${column} is not a string`);
    return field;
  });
  return textRowToEvent(row);
}

/** Parses CSV records incrementally; an unquoted empty field is null. */
class CsvParser {
  private field = "";
  private quoted = false;
  private inQuotes = false;
  private afterQuote = false;
  private record: (string | null)[] = [];

  feed(text: string, emit: (record: (string | null)[]) => void) {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.inQuotes) {
        if (c === '"') {
          this.inQuotes = false;
          this.afterQuote = true;
        } else this.field += c;
        continue;
      }
      if (c === '"') {
        // `""` inside a quoted field is one quote.
        if (this.afterQuote) this.field += '"';
        this.inQuotes = true;
        this.quoted = true;
        this.afterQuote = false;
      } else if (c === ",") {
        this.endField();
      } else if (c === "\n") {
        this.endField();
        emit(this.record);
        this.record = [];
      } else if (c !== "\r") {
        this.field += c;
        this.afterQuote = false;
      }
    }
  }

  end(emit: (record: (string | null)[]) => void) {
    if (this.inQuotes) throw new Error("the CSV ends inside a quoted field");
    if (this.field !== "" || this.quoted || this.record.length > 0) {
      this.endField();
      emit(this.record);
    }
  }

  private endField() {
    this.record.push(this.field === "" && !this.quoted ? null : this.field);
    this.field = "";
    this.quoted = false;
    this.afterQuote = false;
  }
}

/**
 * Reads an export back into events, streaming. Calls `onBytes` with every chunk as read, so the caller
 * can hash the file in the same pass. Throws (naming the line) on a malformed file. CSV cells are
 * restored from their neutralised form unless `rawCsv` (exports whose manifest is version 1, written
 * before cells were neutralised).
 */
export async function* readExportEvents(
  chunks: AsyncIterable<Buffer | string>,
  format: ExportFormat,
  onBytes: (chunk: Buffer) => void = () => undefined,
  options: { rawCsv?: boolean } = {},
): AsyncGenerator<ChainedAuditEvent> {
  const decoder = new StringDecoder("utf8");
  let record = 0;
  if (format === "csv") {
    const parser = new CsvParser();
    let header = true;
    const pending: ChainedAuditEvent[] = [];
    const emit = (fields: (string | null)[]) => {
      record++;
      if (header) {
        header = false;
        if (fields.join(",") !== AUDIT_EXPORT_COLUMNS.join(","))
          throw new Error("the CSV header is not an audit export's");
        return;
      }
      if (fields.length !== AUDIT_EXPORT_COLUMNS.length)
        throw new Error(`CSV record ${record} has ${fields.length} fields`);
      try {
        pending.push(
          textRowToEvent(
            options.rawCsv
              ? fields
              : fields.map((field, i) => (i === 0 || field === null ? field : restoreCsvCell(field))),
          ),
        );
      } catch (error) {
        throw new Error(`CSV record ${record}: ${(error as Error).message}`);
      }
    };
    for await (const chunk of chunks) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      onBytes(buffer);
      parser.feed(decoder.write(buffer), emit);
      yield* pending.splice(0);
    }
    parser.feed(decoder.end(), emit);
    parser.end(emit);
    yield* pending.splice(0);
    return;
  }
  let rest = "";
  const parseLine = (line: string): ChainedAuditEvent | undefined => {
    record++;
    let text = line.trim();
    if (format === "json") {
      if (text === "[" || text === "]" || text === "") return undefined;
      if (text.startsWith(",")) text = text.slice(1);
      if (text.endsWith(",")) text = text.slice(0, -1);
    } else if (text === "") return undefined;
    try {
      return objectToEvent(JSON.parse(text));
    } catch (error) {
      throw new Error(`line ${record}: ${(error as Error).message}`);
    }
  };
  for await (const chunk of chunks) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    onBytes(buffer);
    const lines = (rest + decoder.write(buffer)).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const event = parseLine(line);
      if (event) yield event;
    }
  }
  const event = parseLine(rest + decoder.end());
  if (event) yield event;
}
