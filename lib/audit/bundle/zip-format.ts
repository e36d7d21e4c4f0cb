// The parts of the ZIP format (PKWARE APPNOTE 6.3.x, §4.3) that evidence bundles use: DEFLATE entries
// whose sizes and CRC-32 follow their data (general purpose flag bit 3), so an export can be streamed
// into the archive without being held in memory, and UTF-8 names (bit 11). No ZIP64: an entry or the
// archive stops at 4 GiB. Shared by the writer (server) and the reader (CLI); no server-only.

export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;

export const FLAG_DATA_DESCRIPTOR = 0x0008;
export const FLAG_UTF8 = 0x0800;
export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;
export const VERSION_NEEDED = 20;
export const LOCAL_HEADER_LENGTH = 30;
export const CENTRAL_HEADER_LENGTH = 46;
export const END_OF_CENTRAL_DIRECTORY_LENGTH = 22;
export const MAX_ZIP32 = 0xffffffff;

/** MS-DOS date and time fields for a UTC date (ZIP has no time zone; UTC says the same everywhere). */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}
