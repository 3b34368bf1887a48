// Plain-text output for people: aligned tables, readable times, masked secrets.

/** Columns padded to the widest cell; no borders, so the output greps and cuts well. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return columns([headers, ...rows]);
}

/** Rows aligned in columns as `table` does, without a header line. */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${rows.map(line).join('\n')}\n`;
}

/** `label:` padded to `width`, then the value: one line per field, for `show` commands. */
export function labelled(rows: readonly (readonly [string, string])[], width: number): string {
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}\n`).join('');
}

/** `2026-01-01T00:00:00.000Z (in 59m 58s)` for an epoch-seconds time. */
export function readableTime(epochSeconds: number, nowSeconds: number): string {
  const delta = epochSeconds - nowSeconds;
  const span = duration(Math.abs(delta));
  return `${new Date(epochSeconds * 1000).toISOString()} (${delta === 0 ? 'now' : delta > 0 ? `in ${span}` : `${span} ago`})`;
}

export function duration(seconds: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  let rest = Math.floor(seconds);
  for (const [size, unit] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).join(' ') || '0s';
}

export const MASK = '********';

export function maskSecret(secret: string | undefined, show: boolean): string | undefined {
  return secret === undefined || show ? secret : MASK;
}
