// Small helpers to build the page: elements, numbers, tables, links, error boxes.
export const $ = (id) => document.getElementById(id);
export const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
};
export const num = (x, d = 0) => (x === null || x === undefined || Number.isNaN(x)) ? '–'
  : Number(x).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
export const m2 = (x) => `${num(x)} m²`;
export const yuan = (x) => `${num(x)} yuan`;
export const pct = (share, d = 1) => (share === null || share === undefined) ? '–' : `${num(share * 100, d)} %`;
export const errorBox = (e) => el('div', { class: 'error' }, e.message, e.details && e.details.length ? '\n' + e.details.join('\n') : '');
export const table = (head, rows, numeric = []) => el('table', {},
  el('tr', {}, head.map((h, i) => el('th', { class: numeric.includes(i) ? 'n' : '' }, h))),
  rows.map((r) => el('tr', {}, r.map((c, i) => el('td', { class: numeric.includes(i) ? 'n' : '' }, c)))));
export const link = (href, text) => el('a', { href, target: '_blank' }, text);
// A two-column table of label and value; empty values are left out.
export const fieldTable = (rows) => table(['', ''], rows.filter((r) => r[1] !== null && r[1] !== undefined && r[1] !== ''), [1]);
// A colour swatch: a box, a circle or a line (dashed when the style's stroke has a dash).
export const swatch = (colour, symbol = 'box', dash = null) => symbol === 'line'
  ? el('span', { class: 'swatch line', style: `border-top:2px ${dash ? 'dashed' : 'solid'} ${colour}` })
  : el('span', { class: `swatch${symbol === 'circle' ? ' circle' : ''}`, style: `background:${colour}` });
