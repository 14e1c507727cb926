// The themes (what each shows comes from the style the SVG maps are drawn in: /api/style),
// the layer list and the downloads of the left panel.
import { wb } from './state.js';
import { api } from './api.js';
import { $, el, link } from './dom.js';
import { drawLegend } from './legend.js';
import { refresh } from './map.js';

export const LAYER_ORDER = ['zones', 'parcels', 'roads', 'buildings', 'carriers', 'enterprises', 'renewal-units', 'allocation', 'target', 'jams'];
export const DYNAMIC = ['parcels', 'buildings', 'enterprises'];  // asked for what is in view

// The current theme as the style specifies it: parcels (opacity) or null, buildings
// (carriers, faint, renewal, none), enterprises or null, choropleth or null.
export const themeSpec = () => wb.style.themes.find((t) => t.id === wb.theme);

const query = () => `classification=${$('classification').value}&classes=${$('classes').value}`;

export function setUpThemes() {
  const c = wb.config;
  const box = $('themes');
  for (const t of wb.style.themes) {
    box.append(el('label', {}, el('input', { type: 'radio', name: 'theme', value: t.id, ...(t.id === wb.theme ? { checked: '' } : {}),
      onchange: () => setTheme(t.id) }), ' ', t.title));
  }
  for (const m of c.classifications) $('classification').append(el('option', { value: m }, m));
  for (let k = 2; k <= 9; k++) $('classes').append(el('option', { value: k, ...(k === 5 ? { selected: '' } : {}) }, `${k} classes`));
  $('classification').addEventListener('change', () => setTheme(wb.theme));
  $('classes').addEventListener('change', () => setTheme(wb.theme));
  const list = $('layer-list');
  const titles = Object.fromEntries(c.layers.map((l) => [l.id, l.title]));
  titles.allocation = 'Allocation 分配结果';
  titles.target = 'Target programme 供给方案';
  titles.jams = 'Ladder jams 孵化链条堵点';
  for (const id of LAYER_ORDER) {
    if (!titles[id]) continue;
    wb.visible[id] = !['renewal-units', 'allocation', 'target', 'jams'].includes(id);
    list.append(el('label', { 'data-layer': id }, el('input', { type: 'checkbox', ...(wb.visible[id] ? { checked: '' } : {}),
      onchange: (ev) => { wb.visible[id] = ev.target.checked; refresh(); } }), ' ', titles[id], ' ', el('span', { class: 'count' })));
    list.append(el('div', { class: 'note', 'data-note': id }));
  }
  updateDownloads();
}

export async function setTheme(theme) {
  wb.theme = theme;
  const spec = themeSpec();
  wb.visible.parcels = !!spec.parcels;
  wb.visible.enterprises = !!spec.enterprises;
  wb.visible.buildings = spec.buildings !== 'none';
  for (const id of ['parcels', 'enterprises', 'buildings']) {
    const box = document.querySelector(`#layer-list [data-layer="${id}"] input`);
    if (box) box.checked = wb.visible[id];
  }
  await reloadTheme();
  updateDownloads();
  if (wb.map) refresh();
}

// The theme's classes and legend fetched again (on a platform server, after an edit).
export async function reloadTheme() {
  wb.themeInfo = await api(`/api/themes/${wb.theme}?${query()}`);
  drawLegend();
}

export function updateDownloads() {
  $('downloads').replaceChildren(
    link(`/api/maps/${wb.theme}.svg?${query()}`, `${wb.theme}.svg (this theme)`),
    link('/api/maps/trajectory.svg', 'trajectory.svg'), link('/api/maps/floor-area-by-zone.svg', 'floor-area-by-zone.svg'),
    link('/api/files/report.md', 'report.md'), link('/api/files/summary.csv?download=1', 'summary.csv'),
    link('/api/files/summary.json', 'summary.json'), link('/api/files/space-map.geojson?download=1', 'space-map.geojson'),
    link('/api/files/validation.txt', 'validation.txt'), link('/collections', 'OGC API collections'));
}
