// A dependency-free horizontal bar chart of the medians: one panel for the GETs (req/s)
// and one for the flows, each on its own linear scale.
const COLORS = { ours: '#2f6fde', raw: '#9aa4b2', peer: '#e07a3f' };
const LABELS = { ours: 'oauth-mock', raw: 'raw node:http', peer: 'oauth2-mock-server 8.2.3' };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (v) => Math.round(v).toLocaleString('en-US');

export function renderChart(summary) {
  const panels = [
    { title: 'GET endpoints — requests/s (higher is better)', rows: [] },
    { title: 'Token flows — round trips or refreshes per second', rows: [] },
  ];
  for (const [scenario, byTarget] of Object.entries(summary)) {
    const panel = ['discovery', 'jwks', 'userinfo'].includes(scenario) ? panels[0] : panels[1];
    for (const target of ['ours', 'raw', 'peer']) {
      if (byTarget[target]) panel.rows.push({ label: scenario, target, value: byTarget[target].rate });
    }
  }
  const width = 760;
  const labelW = 190;
  const barH = 18;
  const gap = 6;
  const parts = [];
  let y = 40;
  for (const panel of panels.filter((p) => p.rows.length > 0)) {
    parts.push(`<text x="10" y="${y}" font-size="14" font-weight="bold">${esc(panel.title)}</text>`);
    y += 12;
    const max = Math.max(...panel.rows.map((r) => r.value), 1);
    const scale = (width - labelW - 90) / max;
    let previous;
    for (const row of panel.rows) {
      if (row.label !== previous) y += 6;
      const w = Math.max(1, row.value * scale);
      parts.push(
        row.label !== previous ? `<text x="${labelW - 8}" y="${y + barH - 5}" font-size="12" text-anchor="end">${esc(row.label)}</text>` : '',
        `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${COLORS[row.target]}"><title>${esc(`${LABELS[row.target]}: ${num(row.value)}`)}</title></rect>`,
        `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + barH - 5}" font-size="11">${num(row.value)}</text>`,
      );
      previous = row.label;
      y += barH + gap;
    }
    y += 28;
  }
  const legend = Object.entries(LABELS)
    .map(
      ([key, label], i) =>
        `<rect x="${10 + i * 200}" y="10" width="12" height="12" fill="${COLORS[key]}"/><text x="${28 + i * 200}" y="21" font-size="12">${esc(label)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="system-ui, sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
${legend}
${parts.filter(Boolean).join('\n')}
</svg>
`;
}
