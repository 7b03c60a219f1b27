// Go's fmt.Sprintf for the verbs templates use: %v %s %d %q %t %f %F %e %E %g %G %x %X %o %O %b %c %U %T %%,
// with flags (- + # 0 space), width and precision (numbers or *). A mismatch prints as Go does: %!d(string=x).
import { formatNumber, formatValue, typeName } from './values.js';

export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    let flags = '';
    while (i < format.length && '-+# 0'.includes(format[i]!)) flags += format[i++];
    const readNum = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return typeof a === 'number' ? Math.trunc(a) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    let width = readNum();
    let precision: number | undefined;
    if (format[i] === '.') {
      i++;
      precision = readNum() ?? 0;
    }
    if (width !== undefined && width < 0) {
      flags += '-';
      width = -width;
    }
    const verb = format[i++];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += pad(formatOne(verb, args[argi++], flags, precision), width, flags, verb);
  }
  if (argi < args.length) {
    out += `%!(EXTRA ${args.slice(argi).map((a) => `${typeName(a)}=${formatValue(a)}`).join(', ')})`;
  }
  return out;
}

function pad(text: string, width: number | undefined, flags: string, verb: string): string {
  if (width === undefined || text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width);
  if (flags.includes('0') && /[dfFeEgGxXob]/.test(verb) && /^[+-]?[\d.a-fA-F]/.test(text)) {
    const sign = /^[+-]/.test(text) ? text[0]! : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width);
}

function bad(verb: string, v: unknown): string {
  return `%!${verb}(${typeName(v)}=${formatValue(v)})`;
}

function signed(text: string, n: number, flags: string): string {
  if (n >= 0 && flags.includes('+')) return `+${text}`;
  if (n >= 0 && flags.includes(' ')) return ` ${text}`;
  return text;
}

function formatOne(verb: string, v: unknown, flags: string, precision: number | undefined): string {
  switch (verb) {
    case 'v':
      if (typeof v === 'string' && flags.includes('#')) return JSON.stringify(v);
      if (typeof v === 'number') return signed(formatNumber(v), v, flags);
      return formatValue(v);
    case 'T':
      return typeName(v);
    case 's': {
      if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return bad(verb, v);
      const s = formatValue(v);
      return precision === undefined ? s : [...s].slice(0, precision).join('');
    }
    case 'q':
      if (typeof v === 'string') return flags.includes('#') && !v.includes('`') ? `\`${v}\`` : goQuote(v);
      if (typeof v === 'number' && Number.isInteger(v)) return `'${String.fromCodePoint(v)}'`;
      return bad(verb, v);
    case 't':
      return typeof v === 'boolean' ? String(v) : bad(verb, v);
    case 'd':
      if (typeof v === 'number' && Number.isInteger(v)) return signed(String(v), v, flags);
      if (Array.isArray(v)) return `[${v.map((x) => formatOne(verb, x, flags, precision)).join(' ')}]`;
      return bad(verb, v);
    case 'c':
      return typeof v === 'number' && Number.isInteger(v) ? String.fromCodePoint(v) : bad(verb, v);
    case 'U':
      return typeof v === 'number' && Number.isInteger(v) ? `U+${v.toString(16).toUpperCase().padStart(4, '0')}` : bad(verb, v);
    case 'x':
    case 'X': {
      let s: string;
      if (typeof v === 'number' && Number.isInteger(v)) s = (v < 0 ? '-' : '') + (flags.includes('#') ? '0x' : '') + Math.abs(v).toString(16);
      else if (typeof v === 'string') s = Buffer.from(v, 'utf8').toString('hex');
      else return bad(verb, v);
      return verb === 'X' ? s.toUpperCase().replace('0X', '0X') : s;
    }
    case 'o':
    case 'O':
    case 'b': {
      if (typeof v !== 'number' || !Number.isInteger(v)) return bad(verb, v);
      const base = verb === 'b' ? 2 : 8;
      const prefix = verb === 'O' ? '0o' : flags.includes('#') && verb === 'o' ? '0' : '';
      return (v < 0 ? '-' : '') + prefix + Math.abs(v).toString(base);
    }
    case 'f':
    case 'F':
      return typeof v === 'number' ? signed(v.toFixed(precision ?? 6), v, flags) : bad(verb, v);
    case 'e':
    case 'E': {
      if (typeof v !== 'number') return bad(verb, v);
      const s = v.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return signed(verb === 'E' ? s.toUpperCase() : s, v, flags);
    }
    case 'g':
    case 'G': {
      if (typeof v !== 'number') return bad(verb, v);
      const s = precision === undefined ? formatNumber(v) : goG(v, precision);
      return signed(verb === 'G' ? s.toUpperCase() : s, v, flags);
    }
    default:
      return `%!${verb}(${typeName(v)}=${formatValue(v)})`;
  }
}

function goG(v: number, precision: number): string {
  const p = precision === 0 ? 1 : precision;
  const exp = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= p) return v.toExponential(p - 1).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
  return String(Number(v.toPrecision(p)));
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
