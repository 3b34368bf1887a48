// HTML built from tagged templates: every interpolated value is escaped unless it is
// already Html, so a page cannot forget to escape a client name, a state or a claim.

/** Markup that is already safe to emit as is. Only `html` and `raw` make one. */
export class Html {
  readonly #markup: string;
  constructor(markup: string) {
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

/** Trusted markup, for constants only (never for input). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** What a template may interpolate: text and numbers are escaped, Html kept, lists joined, absent and false omitted. */
export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof Html) return value.toString();
  if (isList(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

const isList = (value: Interpolation): value is readonly Interpolation[] => Array.isArray(value);

/** `html\`<p>${text}</p>\``: values are escaped; arrays are joined; Html is kept. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}
