// CSV for spreadsheets: every cell quoted, formulas defused.

/** A plain number (a longitude west of Greenwich) is data, not a formula. */
const PLAIN_NUMBER = /^-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?$/;

/** Quotes a CSV cell, and defuses cells a spreadsheet would run as a formula. */
export function csvCell(value: string): string {
  const formula = /^[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value);
  const safe = formula ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}
