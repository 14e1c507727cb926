// The workbench page: plain JavaScript over the server's JSON API and OGC API – Features.
// Colours and classes come from the server (the SVG maps' palettes), never from this file.
'use strict';

const wb = { config: null, map: null, layers: {}, data: {}, counts: {}, generalised: {}, theme: 'space',
             visible: {}, allocation: null, renewalUnits: null, supply: null, scenarios: [], target: null };
window.workbench = wb;  // for the browser test and for a curious planner's console

// ---------- small helpers ----------
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
};
const num = (x, d = 0) => (x === null || x === undefined || Number.isNaN(x)) ? '–'
  : Number(x).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const m2 = (x) => `${num(x)} m²`;
const yuan = (x) => `${num(x)} yuan`;
const pct = (share, d = 1) => (share === null || share === undefined) ? '–' : `${num(share * 100, d)} %`;
async function api(path, options) {
  const response = await fetch(path, options);
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    const error = new Error(message);
    error.details = (body && body.errors) || [];
    throw error;
  }
  return body;
}
const errorBox = (e) => el('div', { class: 'error' }, e.message, e.details && e.details.length ? '\n' + e.details.join('\n') : '');
const table = (head, rows, numeric = []) => el('table', {},
  el('tr', {}, head.map((h, i) => el('th', { class: numeric.includes(i) ? 'n' : '' }, h))),
  rows.map((r) => el('tr', {}, r.map((c, i) => el('td', { class: numeric.includes(i) ? 'n' : '' }, c)))));
const link = (href, text) => el('a', { href, target: '_blank' }, text);

// ---------- start ----------
async function start() {
  wb.config = await api('/api/config');
  const c = wb.config;
  $('district').textContent = `${c.name}${c.synthetic && !c.name.includes('synthetic') ? ' · synthetic data' : ''} · as of ${c.as_of_year}`;
  setUpTabs();
  setUpThemes();
  drawTrajectory();
  setUpRenewal();
  setUpSupply();
  setUpAllocation();
  setUpTarget();
  if (typeof L === 'undefined') {
    const m = $('map-message');
    m.hidden = false;
    m.append(errorBox(new Error(`Leaflet is not installed, so the map cannot be drawn: install Debian's libjs-leaflet (apt-get install libjs-leaflet); the server serves it from ${c.leaflet_path}. The analyses' tabs work without it.`)));
    return;
  }
  setUpMap();
}

// ---------- tabs ----------
function setUpTabs() {
  for (const b of document.querySelectorAll('#tabs button')) {
    b.addEventListener('click', () => showTab(b.dataset.tab));
  }
}
function showTab(tab) {
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
  for (const p of document.querySelectorAll('.panel')) p.hidden = p.id !== `panel-${tab}`;
  document.body.classList.toggle('wide', tab === 'supply' || tab === 'target');
  const before = wb.tab || 'inspect';
  wb.tab = tab;
  if (tab === 'renewal' && !wb.renewalLoaded) loadRenewal();
  // The renewal units are drawn while their tab is open.
  if (wb.map && before !== tab) setTimeout(() => { wb.map.invalidateSize(); if ((before === 'renewal') !== (tab === 'renewal')) refresh(); }, 50);
}

// ---------- themes, layers, legend ----------
// What each theme shows, as the SVG map of the same name does.
const THEMES = {
  space: { parcels: 0.45, buildings: 'carriers', enterprises: true },
  landuse: { parcels: 0.9, buildings: null, enterprises: false },
  carriers: { parcels: null, buildings: 'carriers', enterprises: false },
  enterprises: { parcels: null, buildings: 'faint', enterprises: true },
  vacancy: { parcels: null, buildings: 'faint', enterprises: false, choropleth: true },
  techspace: { parcels: null, buildings: 'faint', enterprises: false, choropleth: true },
  renewal: { parcels: 0.25, buildings: 'renewal', enterprises: false },
};
const LAYER_ORDER = ['zones', 'parcels', 'roads', 'buildings', 'carriers', 'enterprises', 'renewal-units', 'allocation', 'target'];
const DYNAMIC = ['parcels', 'buildings', 'enterprises'];  // asked for what is in view

function setUpThemes() {
  const c = wb.config;
  const box = $('themes');
  for (const t of c.themes) {
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
  for (const id of LAYER_ORDER) {
    if (!titles[id]) continue;
    wb.visible[id] = !['renewal-units', 'allocation', 'target'].includes(id);
    list.append(el('label', { 'data-layer': id }, el('input', { type: 'checkbox', ...(wb.visible[id] ? { checked: '' } : {}),
      onchange: (ev) => { wb.visible[id] = ev.target.checked; refresh(); } }), ' ', titles[id], ' ', el('span', { class: 'count' })));
    list.append(el('div', { class: 'note', 'data-note': id }));
  }
  updateDownloads();
}

async function setTheme(theme) {
  wb.theme = theme;
  const spec = THEMES[theme];
  wb.visible.parcels = spec.parcels !== null;
  wb.visible.enterprises = spec.enterprises;
  wb.visible.buildings = spec.buildings !== null;
  for (const id of ['parcels', 'enterprises', 'buildings']) {
    const box = document.querySelector(`#layer-list [data-layer="${id}"] input`);
    if (box) box.checked = wb.visible[id];
  }
  const query = `classification=${$('classification').value}&classes=${$('classes').value}`;
  wb.themeInfo = await api(`/api/themes/${theme}?${query}`);
  updateDownloads();
  drawLegend();
  if (wb.map) refresh();
}

function updateDownloads() {
  const query = `classification=${$('classification').value}&classes=${$('classes').value}`;
  const box = $('downloads');
  box.replaceChildren(
    link(`/api/maps/${wb.theme}.svg?${query}`, `${wb.theme}.svg (this theme)`),
    link('/api/maps/trajectory.svg', 'trajectory.svg'), link('/api/maps/floor-area-by-zone.svg', 'floor-area-by-zone.svg'),
    link('/api/files/report.md', 'report.md'), link('/api/files/summary.csv?download=1', 'summary.csv'),
    link('/api/files/summary.json', 'summary.json'), link('/api/files/space-map.geojson?download=1', 'space-map.geojson'),
    link('/api/files/validation.txt', 'validation.txt'), link('/collections', 'OGC API collections'));
}

function drawLegend() {
  const box = $('legend');
  box.replaceChildren();
  const entry = (colour, label, circle) => el('div', { class: 'legend-entry' },
    el('span', { class: `swatch${circle ? ' circle' : ''}`, style: `background:${colour}` }), label);
  const info = wb.themeInfo;
  if (info) {
    box.append(el('h3', {}, info.title), ...(info.legend || []).map((e) => entry(e.colour, e.label, wb.theme === 'enterprises')));
    if (info.note) box.append(el('div', { class: 'note' }, info.note));
  }
  for (const id of DYNAMIC) {
    const g = wb.generalised[id];
    if (wb.visible[id] && g && g.ramp) {
      box.append(el('h3', {}, g.label), el('div', { class: 'legend-entry' }, ...g.ramp.map((c) => el('span', { class: 'swatch', style: `background:${c}` })), ' low → high'));
    }
  }
  box.append(el('h3', {}, 'Zones 分区'),
    el('div', { class: 'legend-entry' }, el('span', { class: 'swatch', style: 'border:2px solid #2C3E50' }), 'sub-district 街道'),
    el('div', { class: 'legend-entry' }, el('span', { class: 'swatch', style: 'border:2px dashed #7D3C98' }), 'innovation cluster 创新集群'));
  if (wb.allocation && wb.visible.allocation) {
    box.append(el('h3', {}, 'Allocation 分配'), entry('#E67E22', 'carrier with placed firms (area ∝ m² let)', true));
  }
  if (wb.target && wb.visible.target) {
    const used = new Set(wb.target.projects.map((p) => p.mode));
    box.append(el('h3', {}, 'Target programme 供给方案 (buildings by mode)'),
      ...wb.target.modes.filter((m) => used.has(m.id)).map((m) => entry(m.colour, m.label)));
  }
}

// ---------- the map ----------
function setUpMap() {
  const c = wb.config;
  wb.crs = c.tiles && c.tiles.crs === 'GCJ-02' ? 'GCJ-02' : 'WGS84';
  wb.map = L.map('map', { preferCanvas: true, zoomSnap: 0.25, attributionControl: true });
  wb.renderer = L.canvas({ padding: 0.3, tolerance: 2 });
  if (c.tiles) {
    L.tileLayer(c.tiles.url, { attribution: c.tiles.attribution || '', maxZoom: 20 }).addTo(wb.map);
    // The full note is in /api/config; the map carries the short form.
    if (c.tiles.crs === 'GCJ-02') wb.map.attributionControl.addAttribution('<span title="' + c.tiles.note + '">layers shifted to GCJ-02 for these tiles</span>');
  } else {
    wb.map.attributionControl.addAttribution('no basemap: district, sub-districts, roads and blocks drawn from the data');
  }
  L.control.scale({ imperial: false }).addTo(wb.map);
  const b = c.district_bbox;
  wb.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [8, 8] });
  wb.fitZoom = wb.map.getZoom();
  wb.map.on('moveend', () => { clearTimeout(wb.moveTimer); wb.moveTimer = setTimeout(loadDynamic, 200); });
  wb.map.on('click', () => {});
  setTheme(wb.theme).then(() => loadStatic()).then(() => {
    // On GCJ-02 tiles the district is drawn shifted: frame it where it is drawn.
    const district = wb.crs === 'GCJ-02' && wb.data.zones && wb.data.zones.features.find((f) => f.properties.kind === 'district');
    if (district) { wb.map.fitBounds(L.geoJSON(district).getBounds(), { padding: [8, 8], animate: false }); wb.fitZoom = wb.map.getZoom(); }
  }).then(() => loadDynamic()).then(() => {
    const district = wb.data.zones && wb.data.zones.features.find((f) => f.properties.kind === 'district');
    if (district && !wb.inspected) inspectZone(district.properties.id);
  });
}

const crsQuery = () => (wb.crs === 'GCJ-02' ? '&crs=GCJ-02' : '');
function viewQuery() {
  const b = wb.map.getBounds(), centre = wb.map.getCenter();
  const mpp = 40075016.686 * Math.cos(centre.lat * Math.PI / 180) / Math.pow(2, wb.map.getZoom() + 8);
  return `bbox=${b.getWest().toFixed(6)},${b.getSouth().toFixed(6)},${b.getEast().toFixed(6)},${b.getNorth().toFixed(6)}&mpp=${mpp.toFixed(3)}${crsQuery()}`;
}

async function loadStatic() {
  const ids = wb.config.layers.map((l) => l.id).filter((id) => !DYNAMIC.includes(id));
  await Promise.all(ids.map(async (id) => { wb.data[id] = await api(`/api/layers/${id}?${crsQuery().slice(1)}`); }));
  refresh();
}

async function loadDynamic() {
  const query = viewQuery();
  const ticket = (wb.ticket || 0) + 1;
  wb.ticket = ticket;
  $('map-status').textContent = 'loading…';
  const wanted = DYNAMIC.filter((id) => wb.config.layers.some((l) => l.id === id) && (wb.visible[id] || id === 'buildings'));
  const results = await Promise.all(wanted.map((id) => api(`/api/layers/${id}?${query}`).then((d) => [id, d])));
  if (ticket !== wb.ticket) return;  // a later view is on its way
  for (const [id, d] of results) { wb.data[id] = d; wb.generalised[id] = d.generalised; }
  $('map-status').textContent = '';
  refresh();
}

function buildingColour(p) {
  const pal = wb.config.palettes;
  const style = THEMES[wb.theme].buildings;
  if (style === 'renewal') return p.old_industrial ? pal.old_industrial : pal.other_building;
  if (style === 'faint') return '#E5E8E8';
  if (p.carrier_type) return (pal.carrier_types.find((t) => t.code === p.carrier_type) || {}).colour || pal.other_building;
  return pal.other_building;
}
const landUseColour = (code) => {
  const pal = wb.config.palettes;
  const cls = code === 'M0' ? 'M' : code;
  return (pal.land_use.find((u) => u.code === cls) || {}).colour || pal.land_use_other;
};
const sectorColour = (s) => (wb.config.palettes.sectors.find((x) => x.code === s) || { colour: '#7F7F7F' }).colour;

// Every layer is redrawn in one fixed order on one canvas, so clicks reach the topmost.
function refresh() {
  if (!wb.map) return;
  for (const layer of Object.values(wb.layers)) wb.map.removeLayer(layer);
  wb.layers = {};
  const r = wb.renderer, spec = THEMES[wb.theme], d = wb.data;
  const add = (id, layer, count) => { wb.layers[id] = layer.addTo(wb.map); wb.counts[id] = count; };
  const choropleth = spec.choropleth && wb.themeInfo && wb.themeInfo.zones;
  if (d.zones && wb.visible.zones) {
    const fills = L.geoJSON(d.zones, { renderer: r, filter: (f) => f.properties.kind !== 'cluster',
      style: (f) => {
        const z = choropleth ? wb.themeInfo.zones[f.properties.id] : null;
        return { stroke: false, fill: true, fillColor: z ? z.colour : (f.properties.kind === 'district' ? '#F7F9F9' : '#FFFFFF'),
                 fillOpacity: z ? 0.85 : 0.35 };
      },
      onEachFeature: (f, layer) => { if (f.properties.kind !== 'district') layer.on('click', () => inspectZone(f.properties.id)); } });
    add('zone-fills', fills, d.zones.features.length);
  }
  if (d.parcels && wb.visible.parcels) {
    add('parcels', L.geoJSON(d.parcels, { renderer: r, interactive: false,
      style: (f) => ({ weight: 0.3, color: '#FFFFFF', fillColor: landUseColour(f.properties.land_use_class),
                       fillOpacity: spec.parcels === null ? 0.45 : spec.parcels }) }), d.parcels.features.length);
  }
  if (d.roads && wb.visible.roads) {
    add('roads', L.geoJSON(d.roads, { renderer: r, interactive: false, style: { color: '#9AA0A6', weight: 0.8 } }), d.roads.features.length);
  }
  if (d.buildings && wb.visible.buildings) {
    if (d.buildings.generalised) {
      add('buildings', L.geoJSON(d.buildings, { renderer: r, interactive: false,
        style: (f) => ({ stroke: false, fillColor: f.properties.colour, fillOpacity: 0.9 }) }), d.buildings.features.length);
    } else {
      // Under the target programme's sites the other buildings recede.
      const opacity = wb.target && wb.visible.target ? 0.3 : 0.95;
      const style = (f) => f.properties.id === wb.selectedBuilding
        ? { weight: 2.5, color: '#C0392B', fillColor: buildingColour(f.properties), fillOpacity: 0.95 }
        : { weight: 0.3, color: '#5D6D7E', fillColor: buildingColour(f.properties), fillOpacity: opacity };
      const buildings = L.geoJSON(d.buildings, { renderer: r, style,
        onEachFeature: (f, layer) => layer.on('click', (ev) => {
          L.DomEvent.stopPropagation(ev);
          wb.selectedBuilding = f.properties.id;
          buildings.setStyle(style);  // the clicked building outlined, the last one not
          inspectBuilding(f.properties.id);
        }) });
      add('buildings', buildings, d.buildings.features.length);
    }
  }
  wb.firmsHidden = false;
  if (d.enterprises && wb.visible.enterprises) {
    if (d.enterprises.generalised && wb.theme !== 'enterprises') {
      // As on the SVG space map: too many firms to show over the buildings; their own theme grids them.
      wb.firmsHidden = true;
      wb.counts.enterprises = 0;
    } else if (d.enterprises.generalised) {
      add('enterprises', L.geoJSON(d.enterprises, { renderer: r, interactive: false,
        style: (f) => ({ stroke: false, fillColor: f.properties.colour, fillOpacity: 0.8 }) }), d.enterprises.features.length);
    } else {
      add('enterprises', L.geoJSON(d.enterprises, { renderer: r, interactive: false,
        pointToLayer: (f, at) => L.circleMarker(at, { renderer: r, interactive: false, radius: firmRadius(f.properties.employees),
          weight: 0.2, color: '#fff', fillColor: sectorColour(f.properties.sector), fillOpacity: 0.75 }) }), d.enterprises.features.length);
    }
  }
  if (d.carriers && wb.visible.carriers && (d.buildings && d.buildings.generalised || THEMES[wb.theme].buildings === 'faint')) {
    // Footprints are a pixel at this scale: carriers become symbols, as on the SVG maps.
    const markers = d.carriers.features.filter((f) => f.geometry).map((f) => {
      const centre = L.geoJSON(f).getBounds().getCenter();
      const colour = (wb.config.palettes.carrier_types.find((t) => t.code === f.properties.type) || {}).colour;
      return L.circleMarker(centre, { renderer: r, radius: 4, weight: 1, color: '#fff', fillColor: colour, fillOpacity: 1 })
        .bindTooltip(`${f.properties.name} · ${f.properties.type_label} · ${m2(f.properties.floor_area_m2)}`)
        .on('click', (ev) => { L.DomEvent.stopPropagation(ev); inspectBuilding(f.properties.building_ids.split(';')[0]); });
    });
    add('carriers', L.layerGroup(markers), markers.length);
  } else if (d.carriers) {
    wb.counts.carriers = d.carriers.features.length;
  }
  if (d['renewal-units'] && (wb.visible['renewal-units'] || wb.tab === 'renewal')) {
    add('renewal-units', L.geoJSON(d['renewal-units'], { renderer: r,
      style: (f) => ({ color: f.properties.passes_all_checks ? '#1E8449' : '#B03A2E', weight: 2.5, dashArray: '5 3',
                       fillOpacity: f.properties.id === wb.selectedUnit ? 0.35 : 0.08 }),
      onEachFeature: (f, layer) => layer.bindTooltip(`${f.properties.proposal_id} ${f.properties.proposal_name}: rank ${f.properties.rank}`) }),
      d['renewal-units'].features.length);
  }
  if (wb.allocation && wb.visible.allocation && d.carriers) {
    const byId = Object.fromEntries(d.carriers.features.map((f) => [f.properties.id, f]));
    const markers = wb.allocation.carriers.filter((u) => byId[u.carrier_id] && byId[u.carrier_id].geometry).map((u) => {
      const centre = L.geoJSON(byId[u.carrier_id]).getBounds().getCenter();
      return L.circleMarker(centre, { renderer: r, radius: Math.max(4, Math.sqrt(u.allocated_m2) / 6), weight: 1.5, color: '#fff',
                                       fillColor: '#E67E22', fillOpacity: 0.85 })
        .bindTooltip(`${u.name}: ${u.firms} firms placed, ${m2(u.allocated_m2)} let; ${m2(u.vacant_after_m2)} still vacant`);
    });
    add('allocation', L.layerGroup(markers), markers.length);
  }
  wb.targetNote = '';
  if (wb.target && wb.visible.target && d.buildings) {
    // The chosen projects' buildings, matched by id among the buildings drawn in view.
    const t = wb.target;
    if (d.buildings.generalised) {
      wb.targetNote = `buildings are gridded at this scale: zoom in to see the ${num(t.buildingCount)} chosen buildings`;
      wb.counts.target = 0;
    } else {
      const features = d.buildings.features.filter((f) => t.byBuilding[f.properties.id]);
      const colour = (f) => t.modeOf[t.byBuilding[f.properties.id].mode].colour;
      const selected = (f) => t.byBuilding[f.properties.id].id === wb.selectedProject;
      add('target', L.geoJSON({ type: 'FeatureCollection', features }, { renderer: r,
        style: (f) => ({ weight: selected(f) ? 3 : 1, color: selected(f) ? '#C0392B' : '#1B2631', fillColor: colour(f), fillOpacity: 1 }),
        onEachFeature: (f, layer) => {
          const p = t.byBuilding[f.properties.id];
          layer.bindTooltip(`${p.id} · ${t.modeOf[p.mode].label} · +${m2(p.tech_m2)} by ${p.completion_year} · ${yuan(p.discounted_cost_yuan)}`);
          layer.on('click', (ev) => { L.DomEvent.stopPropagation(ev); selectProject(p.id, false); });
        } }), features.length);
      if (features.length < t.buildingCount) wb.targetNote = `${num(features.length)} of the ${num(t.buildingCount)} chosen buildings are in view`;
    }
  }
  if (d.zones && wb.visible.zones) {
    add('zone-lines', L.geoJSON(d.zones, { renderer: r, interactive: false,
      style: (f) => f.properties.kind === 'cluster' ? { color: '#7D3C98', weight: 1.8, dashArray: '6 4', fill: false }
        : { color: f.properties.kind === 'district' ? '#1B2631' : '#2C3E50', weight: f.properties.kind === 'district' ? 2.2 : 1.2, fill: false } }),
      d.zones.features.length);
    const labels = d.zones.features.filter((f) => f.properties.kind === 'subdistrict').map((f) =>
      L.tooltip({ permanent: true, direction: 'center', className: 'zone-label' }).setLatLng(L.geoJSON(f).getBounds().getCenter()).setContent(f.properties.name));
    add('zone-labels', L.layerGroup(labels), labels.length);
  }
  updateCounts();
  drawLegend();
}

// Circle area ∝ employees, as on the SVG maps (1 px for 10 people at 1,170 px for the district);
// the page's map is narrower, so the circles start smaller and grow as the planner zooms in.
function firmRadius(employees) {
  const scale = Math.min(2, 0.55 * Math.pow(2, (wb.map.getZoom() - (wb.fitZoom || wb.map.getZoom())) / 2));
  return Math.max(0.6, 0.32 * Math.sqrt(Math.max(1, employees)) * scale);
}

function updateCounts() {
  for (const id of LAYER_ORDER) {
    const row = document.querySelector(`#layer-list [data-layer="${id}"] .count`);
    const note = document.querySelector(`#layer-list [data-note="${id}"]`);
    if (!row) continue;
    const d = wb.data[id];
    const g = wb.generalised[id];
    row.textContent = id === 'target' ? (wb.layers.target ? num(wb.counts.target) : '')
      : d ? num(d.numberMatched !== undefined ? d.numberMatched : d.features.length) : '';
    note.textContent = id === 'enterprises' && wb.firmsHidden ? `${num(d.numberMatched)} firms in view: see the enterprises theme`
      : id === 'target' ? (wb.targetNote || '') : g ? (g.label || g.note || '') : '';
  }
}

// ---------- inspector ----------
function fieldTable(rows) {
  return table(['', ''], rows.filter((r) => r[1] !== null && r[1] !== undefined && r[1] !== ''), [1]);
}
function zoneLinks(ids) {
  return (ids || '').split(';').filter((x) => x).map((id) => el('a', { href: '#', onclick: (e) => { e.preventDefault(); inspectZone(id); } }, id, ' '));
}

// Only the latest click is shown: an earlier answer arriving late is dropped.
const inspectTicket = () => { wb.inspectTicket = (wb.inspectTicket || 0) + 1; return wb.inspectTicket; };

async function inspectBuilding(id) {
  showTab('inspect');
  const box = $('inspector'), ticket = inspectTicket();
  box.replaceChildren(el('p', { class: 'hint' }, 'loading…'));
  try {
    const r = await api(`/api/buildings/${encodeURIComponent(id)}`);
    if (ticket !== wb.inspectTicket) return;
    wb.inspected = r;
    const b = r.building;
    const parts = [el('h3', { id: 'inspected-building' }, `Building 建筑 ${b.id}`),
      fieldTable([
        ['use 用途', b.use], ['floors 层数', b.floors], ['floor area 建筑面积', `${m2(b.gfa_m2)} (${b.gfa_source})`],
        ['footprint 基底面积', m2(b.footprint_m2)], ['vacant 空置', `${m2(r.vacancy.vacant_m2)} (${pct(r.vacancy.share)})`],
        ['condition 状况', b.condition + (r.old_industrial ? ' · old industrial 旧工业' : '')], ['built 建成', b.year_built],
        ['sub-district 街道', el('span', {}, zoneLinks(b.subdistrict))], ['cluster 集群', el('span', {}, zoneLinks(b.cluster))],
        ['firms 企业', `${num(b.enterprises)} (${num(b.employees)} employees)`],
      ])];
    if (r.parcel) {
      const p = r.parcel;
      parts.push(el('h3', {}, `Parcel 地块 ${p.id}`), fieldTable([
        ['land use 用地', `${p.land_use} (${p.land_use_class})`], ['land area 用地面积', m2(p.land_area_m2)],
        ['FAR now / cap 容积率', `${num(p.far, 2)} / ${p.far_cap === null ? '–' : num(p.far_cap, 2)}`],
        ['height cap 限高', p.height_cap_m === null ? null : `${num(p.height_cap_m)} m`],
        ['tenure 年期', p.tenure_start ? `${p.tenure_start}–${p.tenure_end}` : null], ['supply mode 供地方式', p.supply_mode],
        ['overlap 重叠', m2(p.overlap_m2)],
      ]), el('h3', {}, 'Floor area on the parcel by use 按用途建筑面积'),
      table(['use', 'm²'], Object.entries(p.gfa_by_use_m2).map(([u, a]) => [u, num(a)]), [1]));
    } else {
      parts.push(el('p', { class: 'hint' }, 'On no parcel (unmatched).'));
    }
    if (r.carriers.length) {
      parts.push(el('h3', {}, 'Carriers 载体'), ...r.carriers.map((c) => fieldTable([
        ['name', c.name], ['type', c.type_label], ['level', c.level], ['operator', c.operator], ['floor area', m2(c.floor_area_m2)],
        ['occupied', m2(c.occupied_m2)], ['vacant', m2(c.vacant_m2)],
        ['rent', c.rent_yuan_per_m2_month === null ? null : `${num(c.rent_yuan_per_m2_month)} yuan/m²/month`],
        ['tech space', c.counts_as_tech_space ? 'counts 计入科技培育空间' : 'not counted'],
      ])));
    }
    if (r.enterprises_total) {
      parts.push(el('h3', {}, `Firms 企业 (${num(r.enterprises_total)})`),
        table(['sector', 'firms', 'floor area m²'], r.by_sector.map((s) => [s.sector, num(s.firms), num(s.floor_area_m2)]), [1, 2]),
        table(['firm', 'sector', 'staff', 'm²'], r.enterprises.map((f) => [f.name || f.id, f.sector, num(f.employees), num(f.floor_area_m2)]), [2, 3]));
      if (r.enterprises_total > r.enterprises.length) parts.push(el('p', { class: 'hint' }, `the ${r.enterprises.length} largest shown`));
    }
    parts.push(el('p', {}, link(`/collections/buildings/items/${encodeURIComponent(b.id)}`, 'this building as GeoJSON (OGC API)')));
    box.replaceChildren(...parts);
  } catch (e) { box.replaceChildren(errorBox(e)); }
}

async function inspectZone(id) {
  showTab('inspect');
  const box = $('inspector'), ticket = inspectTicket();
  try {
    const z = await api(`/api/zones/${encodeURIComponent(id)}`);
    if (ticket !== wb.inspectTicket) return;
    const top = Object.entries(z.enterprises_by_sector || {}).sort((a, b) => b[1] - a[1]).slice(0, 6);
    box.replaceChildren(el('h3', { id: 'inspected-zone' }, `${z.name} (${z.kind}${z.code ? ' ' + z.code : ''})`),
      fieldTable([
        ['tech-cultivation space 科技培育空间', m2(z.tech_space_m2)], ['occupied 已使用', `${m2(z.tech_occupied_m2)} (${pct(z.tech_occupancy)})`],
        ['vacant tech space 空置', m2(z.tech_vacant_m2)], ['carriers 载体', num(z.carriers)],
        ['floor area 建筑面积', m2(z.gfa_m2)], ['vacant floor area 空置面积', `${m2(z.vacant_building_m2)} (${pct(z.gfa_m2 ? z.vacant_building_m2 / z.gfa_m2 : null)})`],
        ['industrial floor area 工业', m2(z.industrial_gfa_m2)], ['old industrial 旧工业', `${num(z.old_industrial_buildings)} buildings, ${m2(z.old_industrial_gfa_m2)}`],
        ['land area 用地', m2(z.land_area_m2)], ['buildings 建筑', num(z.buildings)],
        ['firms 企业', `${num(z.enterprises)} (${num(z.employees)} employees)`],
      ]),
      el('h3', {}, 'Tech space by carrier type 按载体类型'),
      table(['type', 'm²'], Object.entries(z.tech_space_by_type_m2 || {}).map(([t, a]) => [t, num(a)]), [1]),
      el('h3', {}, 'Land by use 用地构成'),
      table(['use', 'm²'], Object.entries(z.land_area_by_use_m2 || {}).map(([u, a]) => [u, num(a)]), [1]),
      el('h3', {}, 'Largest sectors 主要行业'), table(['sector', 'firms'], top.map(([s, n]) => [s, num(n)]), [1]));
  } catch (e) { box.replaceChildren(errorBox(e)); }
}

// ---------- trajectory strip ----------
// The largest 1, 2 or 5 × 10ⁿ that is at most `x`: the axis step.
function niceStep(x) {
  const e = Math.pow(10, Math.floor(Math.log10(x)));
  return [5, 2, 1].map((f) => f * e).find((v) => v <= x) || e;
}
function drawTrajectory(scenarios) {
  api('/api/trajectory').then((t) => {
    wb.trajectory = t;
    const svg = $('trajectory-chart');
    const w = svg.clientWidth || 900, h = svg.clientHeight || 110;
    const ns = 'http://www.w3.org/2000/svg';
    const make = (tag, attrs, text) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text) e.textContent = text; return e; };
    svg.replaceChildren();
    svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    const years = [t.baseline.year, ...t.milestones.map((m) => m.year), t.as_of_year];
    const series = scenarios || [];
    for (const s of series) for (const y of s.years) years.push(y.year);
    const y0 = Math.min(...years), y1 = Math.max(...years);
    const top = Math.max(...t.milestones.map((m) => m.target_m2), t.stock_m2, ...series.flatMap((s) => s.years.map((y) => y.stock_m2 || 0))) * 1.08;
    const x = (year) => 60 + (year - y0) / Math.max(1, y1 - y0) * (w - 170);
    const y = (v) => h - 22 - v / top * (h - 34);
    for (let year = y0; year <= y1; year++) svg.append(make('text', { x: x(year), y: h - 6, 'font-size': 10, 'text-anchor': 'middle', fill: '#555' }, String(year)));
    const step = niceStep(top / 2.5);
    for (let v = step; v < top; v += step) {
      svg.append(make('line', { x1: 60, x2: w - 30, y1: y(v), y2: y(v), stroke: '#EAEDED' }));
      svg.append(make('text', { x: 56, y: y(v) + 3, 'font-size': 10, 'text-anchor': 'end', fill: '#777' }, `${num(v / 1e6, v % 1e6 ? 1 : 0)} M m²`));
    }
    const path = [t.baseline, ...t.milestones.map((m) => ({ year: m.year, floor_area_m2: m.target_m2 }))];
    svg.append(make('polyline', { points: path.map((p) => `${x(p.year)},${y(p.floor_area_m2)}`).join(' '), fill: 'none', stroke: '#2E86C1', 'stroke-width': 2.5 }));
    for (const p of path) {
      svg.append(make('circle', { cx: x(p.year), cy: y(p.floor_area_m2), r: 4, fill: '#2E86C1' }));
      svg.append(make('text', { x: x(p.year) + 6, y: y(p.floor_area_m2) - 5, 'font-size': 10, fill: '#1B4F72' }, `${p.year}: ${num(p.floor_area_m2)} m²`));
    }
    const palette = ['#E67E22', '#27AE60', '#8E44AD', '#C0392B', '#16A085'];
    series.forEach((s, k) => {
      const pts = s.years.filter((p) => p.stock_m2 !== null).map((p) => `${x(p.year)},${y(p.stock_m2)}`).join(' ');
      svg.append(make('polyline', { points: pts, fill: 'none', stroke: palette[k % palette.length], 'stroke-width': 1.8, 'stroke-dasharray': '4 2' }));
    });
    svg.append(make('rect', { x: x(t.as_of_year) - 5, y: y(t.stock_m2) - 5, width: 10, height: 10, fill: '#E74C3C' }));
    svg.append(make('text', { x: x(t.as_of_year) + 8, y: y(t.stock_m2) + 12, 'font-size': 10, fill: '#922B21' }, `stock ${t.as_of_year}: ${num(t.stock_m2)} m²`));
    const text = $('trajectory-text');
    text.replaceChildren(el('b', {}, 'Tech-cultivation space 科技培育空间'),
      el('div', {}, `stock ${t.as_of_year}: ${m2(t.stock_m2)} (occupied ${m2(t.occupied_m2)})`),
      ...t.milestones.map((m) => el('div', { 'data-year': m.year }, `${m.year} target ${m2(m.target_m2)}: ${pct(m.share)} reached, gap ${m2(m.gap_m2)}`)),
      ...series.map((s, k) => el('div', { style: `color:${palette[k % palette.length]}` }, `– – ${s.name}`)));
  }).catch((e) => $('trajectory-text').replaceChildren(errorBox(e)));
}
// The supply scenarios run and the target programme, drawn over the plan's path.
function trajectorySeries() {
  const series = wb.supply ? [...wb.supply.scenarios] : [];
  if (wb.target) series.push({ name: 'Optimised programme 优化供给方案 (Target tab)', years: wb.target.summary.stock_by_year });
  return series;
}
window.addEventListener('resize', () => drawTrajectory(trajectorySeries()));

// ---------- renewal ----------
function setUpRenewal() {
  $('renewal-shipped').addEventListener('click', () => loadRenewal());
  $('renewal-shipped').disabled = !wb.config.shipped_proposals;
  $('renewal-file').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    $('renewal').replaceChildren(el('p', { class: 'hint' }, `evaluating ${file.name}…`));
    try { showRenewal(await api('/api/renewal', { method: 'POST', body: file }), file.name); } catch (e) { $('renewal').replaceChildren(errorBox(e)); }
    ev.target.value = '';
  });
}
async function loadRenewal() {
  wb.renewalLoaded = true;
  if (!wb.config.shipped_proposals) { $('renewal').replaceChildren(el('p', { class: 'hint' }, 'No proposals.geojson beside the data: upload a proposal file.')); return; }
  $('renewal').replaceChildren(el('p', { class: 'hint' }, 'loading…'));
  try { showRenewal(await api('/api/renewal'), 'proposals.geojson (shipped)'); } catch (e) { $('renewal').replaceChildren(errorBox(e)); }
}
function showRenewal(run, source) {
  const r = run.result.renewal;
  const byId = Object.fromEntries(r.proposals.map((p) => [p.id, p]));
  const outcome = (o) => el('span', { class: o === 'pass' ? 'pass' : o === 'fail' ? 'fail' : 'na' }, o);
  const items = r.ranking.map((id) => {
    const p = byId[id];
    const units = p.units.map((u) => el('div', { class: 'units' },
      el('h3', {}, `${u.id} ${u.name} · ${u.mode} · FAR after ${num(u.far_after, 2)}`),
      table(['check', 'value', 'limit', ''], u.checks.map((c) => [el('span', { title: `${c.detail} (${c.source})` }, c.rule),
        c.value === null ? '–' : num(c.value, 3), c.limit === null ? '–' : num(c.limit, 3), outcome(c.outcome)]), [1, 2]),
      el('div', {}, `net tech space ${m2(u.net_tech_m2)}, government housing ${m2(u.government_housing_m2)}, ${num(u.displaced_firms)} firms displaced`),
      run.files[`maps/${u.id.replace(/[^A-Za-z0-9_-]/g, '_')}-before.svg`] ? el('div', {},
        el('img', { src: run.files[`maps/${u.id.replace(/[^A-Za-z0-9_-]/g, '_')}-before.svg`], alt: 'before' }), ' ',
        el('img', { src: run.files[`maps/${u.id.replace(/[^A-Za-z0-9_-]/g, '_')}-after.svg`], alt: 'after' })) : null));
    const d = el('details', { 'data-proposal': p.id },
      el('summary', {}, el('b', {}, `${p.rank}. ${p.id} ${p.name}`), ' ',
        p.passes_all_checks ? el('span', { class: 'pass' }, '✓ all checks pass') : el('span', { class: 'fail' }, '✗ fails checks')),
      fieldTable([['score', num(p.score, 2)], [`net tech space by ${r.scoring.target_year}`, m2(p.net_tech_by_target_year_m2)],
        ['government housing 政府产业用房', m2(p.government_housing_by_target_year_m2)],
        ['firms displaced (re-housed nearby)', `${num(p.displaced.firms)} (${num(p.displaced.rehoused_firms)})`]]),
      units);
    d.addEventListener('toggle', () => { if (d.open) selectUnits(p); });
    return d;
  });
  const files = Object.entries(run.files).filter(([f]) => !f.startsWith('maps/')).map(([f, u]) => link(u, f));
  $('renewal').replaceChildren(el('p', {}, `${source}: ${r.proposals.length} proposals, ranked by ${r.scoring.formula}`),
    ...items, el('p', {}, ...files.flatMap((a) => [a, ' '])));
}
function selectUnits(p) {
  wb.selectedUnit = p.units[0] && p.units[0].id;
  const layer = wb.data['renewal-units'];
  refresh();
  if (!wb.map || !layer) return;
  const features = layer.features.filter((f) => f.properties.proposal_id === p.id);
  if (features.length) wb.map.fitBounds(L.geoJSON({ type: 'FeatureCollection', features }).getBounds().pad(1.5));
}

// ---------- supply ----------
async function setUpSupply() {
  $('supply-run').addEventListener('click', runSupply);
  try {
    const r = await api('/api/supply/scenarios');
    wb.scenarios = r.scenarios.map((s) => ({ ...s, edited: null }));
    drawScenarioList();
  } catch (e) { $('scenario-list').replaceChildren(errorBox(e)); }
}
function drawScenarioList() {
  const box = $('scenario-list');
  if (!wb.scenarios.length) { box.replaceChildren(el('p', { class: 'hint' }, 'No scenarios in the data folder\'s scenarios/.')); return; }
  box.replaceChildren(...wb.scenarios.map((s, k) => el('div', { class: 'row' },
    el('label', {}, el('input', { type: 'checkbox', checked: '', 'data-scenario': k }), ' ', s.edited ? `${s.edited.name} (edited)` : s.name),
    el('button', { class: 'small', onclick: () => editScenario(k) }, 'edit'))));
}
// The event fields a planner edits in the form; other fields are kept as they are.
const EVENT_FIELDS = { lease: ['floor_area_m2', 'term_years', 'renewed'], purchase: ['floor_area_m2'],
  conversion: ['floor_area_m2', 'building_ids'], land_supply: ['mode', 'land_area_m2', 'far', 'tech_share', 'term_years'] };
function editScenario(k) {
  const s = wb.scenarios[k];
  const scenario = JSON.parse(JSON.stringify(s.edited || s.scenario));
  const box = $('scenario-editor');
  const rows = (scenario.events || []).map((e, i) => {
    const fields = (EVENT_FIELDS[e.kind] || []).map((f) => {
      const value = Array.isArray(e[f]) ? e[f].join(' ') : (e[f] === undefined ? '' : e[f]);
      const input = el('input', { value, title: f, placeholder: f, 'data-field': f });
      input.addEventListener('change', () => {
        const v = input.value.trim();
        if (v === '') delete e[f];
        else if (f === 'building_ids') e[f] = v.split(/[\s,;]+/);
        else if (f === 'renewed') e[f] = v === 'true';
        else if (f === 'mode') e[f] = v;
        else e[f] = Number(v);
      });
      return el('label', {}, `${f} `, input);
    });
    const year = el('input', { value: e.year, 'data-field': 'year', title: 'year' });
    year.addEventListener('change', () => { e.year = Number(year.value); });
    return el('details', { class: 'scenario-event', open: '' }, el('summary', {}, `${e.id} · ${e.kind}`,
      el('button', { class: 'small', onclick: () => { scenario.events.splice(i, 1); s.edited = scenario; editScenario(k); } }, 'remove')),
      el('label', {}, 'year ', year), ...fields);
  });
  const name = el('input', { value: scenario.name, style: 'width:100%' });
  name.addEventListener('change', () => { scenario.name = name.value; });
  const add = el('select', {}, el('option', { value: '' }, 'add an event…'), ...Object.keys(EVENT_FIELDS).map((kind) => el('option', { value: kind }, kind)));
  add.addEventListener('change', () => {
    if (!add.value) return;
    scenario.events = scenario.events || [];
    const defaults = { lease: { floor_area_m2: 10000, term_years: 5, renewed: true }, purchase: { floor_area_m2: 10000 },
      conversion: { building_ids: [] }, land_supply: { mode: 'long_term_lease', land_area_m2: 10000, far: 3, tech_share: 0.5 } };
    scenario.events.push({ id: `${add.value}-${scenario.events.length + 1}`, kind: add.value, year: wb.config.as_of_year + 1, ...defaults[add.value] });
    s.edited = scenario;
    editScenario(k);
  });
  box.replaceChildren(el('h3', {}, `Editing ${s.file}`), el('label', {}, 'name ', name), ...rows, add,
    el('div', { class: 'row' },
      el('button', { onclick: () => { s.edited = scenario; drawScenarioList(); box.replaceChildren(); runSupply(); } }, 'Save and rerun 保存并运行'),
      el('button', { class: 'small', onclick: () => { s.edited = null; drawScenarioList(); box.replaceChildren(); } }, 'discard edits')));
}
async function runSupply() {
  const chosen = [...document.querySelectorAll('#scenario-list input[type=checkbox]')].filter((b) => b.checked).map((b) => wb.scenarios[Number(b.dataset.scenario)]);
  if (!chosen.length) { $('supply').replaceChildren(el('p', { class: 'hint' }, 'Check at least one scenario.')); return; }
  const body = { scenarios: chosen.map((s) => (s.edited ? { file: s.file, scenario: s.edited } : s.file)) };
  $('supply').replaceChildren(el('p', { class: 'hint' }, 'running…'));
  try {
    const run = await api('/api/supply', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const s = run.result.supply;
    wb.supply = s;
    const head = ['year', ...s.scenarios.map((x) => x.name)];
    const years = s.scenarios[0].years.map((y) => y.year);
    const rows = years.map((year, k) => [String(year), ...s.scenarios.map((x) => num(x.years[k].stock_m2))]);
    const milestones = s.scenarios[0].milestones.map((m, k) => [`${m.year} target ${num(m.target_m2)}`,
      ...s.scenarios.map((x) => x.milestones[k].reached ? el('span', { class: 'pass' }, 'reached') : el('span', { class: 'fail' }, `gap ${num(x.milestones[k].gap_m2)}`))]);
    $('supply').replaceChildren(el('h3', {}, 'Targets 目标'), table(head.map((h, i) => i ? h : ''), milestones),
      el('h3', {}, 'Stock at the end of each year, m² 年末存量'), table(head, rows, head.map((_, i) => i).slice(1)),
      el('img', { src: run.files['supply.svg'], style: 'width:100%', alt: 'supply chart' }),
      el('p', {}, ...Object.entries(run.files).flatMap(([f, u]) => [link(u, f), ' '])));
    drawTrajectory(trajectorySeries());
  } catch (e) { $('supply').replaceChildren(errorBox(e)); }
}

// ---------- allocation ----------
async function setUpAllocation() {
  try {
    const r = await api('/api/allocation/demand');
    $('demand-file').replaceChildren(...r.files.map((f) => el('option', { value: f }, f)), el('option', { value: '' }, '(upload)'));
  } catch (e) { $('allocation-status').replaceChildren(errorBox(e)); }
  $('allocation-run').addEventListener('click', runAllocation);
}
async function runAllocation() {
  const upload = $('demand-upload').files[0];
  const solver = $('solver').value;
  const status = $('allocation-status');
  $('allocation').replaceChildren();
  $('allocation-run').disabled = true;
  try {
    let run;
    if (upload) {
      const format = upload.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
      run = await api(`/api/allocation?solver=${solver}&format=${format}`, { method: 'POST', body: upload });
    } else {
      run = await api(`/api/allocation?solver=${solver}&demand=${encodeURIComponent($('demand-file').value)}`, { method: 'POST' });
    }
    while (run.status === 'running') {
      status.replaceChildren(el('p', { class: 'hint' }, `running… ${run.stages.slice(-1)[0] || ''}`));
      await new Promise((ok) => setTimeout(ok, 400));
      run = await api(`/api/runs/${run.id}`);
    }
    if (run.status === 'failed') throw Object.assign(new Error(run.error), { details: run.errors || [] });
    showAllocation(run);
  } catch (e) { status.replaceChildren(errorBox(e)); }
  $('allocation-run').disabled = false;
}
function showAllocation(run) {
  const r = run.result, a = r.allocation;
  wb.allocation = r;
  wb.visible.allocation = true;
  const box = document.querySelector('#layer-list [data-layer="allocation"] input');
  if (box) box.checked = true;
  $('allocation-status').replaceChildren(el('p', { class: 'figure', id: 'placed-count', 'data-placed': a.placed, 'data-firms': a.firms },
    `Placed ${num(a.placed)} of ${num(a.firms)} firms 已安置`));
  const reasons = Object.entries(a.unplaced).map(([k, n]) => [k, num(n)]);
  $('allocation').replaceChildren(
    fieldTable([['space let 分配面积', `${m2(a.allocated_m2)} of ${m2(a.vacant_before_m2)} vacant`],
      ['occupied tech space 已使用', `${m2(a.occupied_before_m2)} → ${m2(a.occupied_after_m2)}`],
      ['solver', `${a.solver}${a.proven_optimal ? ', proven optimal' : `, gap ${num(a.gap * 100, 3)} % to its bound`} (${num(a.seconds, 2)} s)`],
      ['in a preferred zone', num(a.placed_in_preferred_zone)],
      ...a.targets.map((t) => [`${t.year} target`, `occupied after = ${pct(t.occupied_after_share_of_target)} of ${m2(t.target_m2)}`])]),
    el('p', { class: 'hint' }, 'Allocation fills vacant stock; it adds no tech-cultivation space.'),
    el('h3', {}, 'Not placed, by reason 未安置原因'), table(['reason', 'firms'], reasons, [1]),
    el('details', {}, el('summary', {}, `the ${num(r.unplaced.length)} firms not placed`),
      table(['firm', 'sector', 'stage', 'min m²', 'why'], r.unplaced.slice(0, 300).map((u) => [u.firm_name || u.firm_id, u.sector, u.stage, num(u.min_m2), u.detail]), [3])),
    el('h3', {}, 'Carriers that take firms 载体'),
    table(['carrier', 'firms', 'let m²', 'vacant after'], r.carriers.map((c) => [c.name, num(c.firms), num(c.allocated_m2), num(c.vacant_after_m2)]), [1, 2, 3]),
    el('p', {}, ...Object.entries(run.files).flatMap(([f, u]) => [link(u, f), ' '])));
  refresh();
}

// ---------- the path to the target ----------
function setUpTarget() {
  $('target-run').addEventListener('click', runTarget);
  $('target-budget').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') runTarget(); });
}
async function runTarget() {
  // Digits may be grouped as the page shows them (900,000,000); anything else goes to the server as typed.
  const budget = $('target-budget').value.replace(/[,\s_]/g, '');
  const status = $('target-status');
  status.replaceChildren(el('p', { class: 'hint' }, 'starting…'));
  $('target').replaceChildren();
  $('target-run').disabled = true;
  const began = Date.now();
  try {
    let run = await api(`/api/target${budget === '' ? '' : `?budget=${encodeURIComponent(budget)}`}`, { method: 'POST' });
    while (run.status === 'running') {
      status.replaceChildren(el('p', { class: 'hint', id: 'target-progress' },
        `running… ${run.stages.slice(-1)[0] || ''} (${num((Date.now() - began) / 1000)} s)`));
      await new Promise((ok) => setTimeout(ok, 400));
      run = await api(`/api/runs/${run.id}`);
    }
    if (run.status === 'failed') throw Object.assign(new Error(run.error), { details: run.errors || [] });
    showTarget(run, budget);
  } catch (e) { status.replaceChildren(errorBox(e)); }
  $('target-run').disabled = false;
}
function showTarget(run, budget) {
  const t = run.result.target;
  const modeOf = Object.fromEntries(run.result.modes.map((m) => [m.id, m]));
  for (const p of t.projects) if (!modeOf[p.mode]) modeOf[p.mode] = { id: p.mode, label: p.mode, colour: '#7F7F7F' };
  const byBuilding = {};
  for (const p of t.projects) for (const b of p.building_ids) byBuilding[b] = p;
  wb.target = { run, summary: t, projects: t.projects, modes: Object.values(modeOf), modeOf, byBuilding, buildingCount: Object.keys(byBuilding).length };
  wb.selectedProject = null;
  wb.visible.target = true;
  const box = document.querySelector('#layer-list [data-layer="target"] input');
  if (box) box.checked = true;

  const last = t.milestones[t.milestones.length - 1];
  const space = t.projects.reduce((a, p) => a + p.tech_m2, 0);
  $('target-status').replaceChildren(el('p', { class: 'figure', id: 'target-reached', 'data-reached': last.stock_m2, 'data-target': last.target_m2,
    'data-year': last.year, 'data-projects': t.projects.length },
    `${last.year}: ${m2(last.stock_m2)} of the ${m2(last.target_m2)} target · ${last.reached ? '✓ reached 已达到' : `short by ${m2(last.shortfall_m2)} 缺口`}`),
    el('p', { class: t.reaches_every_target ? 'pass' : 'fail' }, t.reaches_every_target ? 'Every target is reached. 全部目标均可达到。'
      : 'Not every target can be reached: this programme comes closest (least shortfall first, then least cost). 无法达到全部目标：以下方案最接近。'));

  const budgets = [...new Set(t.cost_by_year.map((c) => c.budget_yuan))];
  const zoneName = Object.fromEntries(((wb.data.zones && wb.data.zones.features) || []).map((f) => [f.properties.id, f.properties.name]));
  const clusters = (ids) => ids.map((id) => zoneName[id] || id).join(', ') || '–';
  const variantRow = (v) => [v.label, yuan(v.discounted_cost_yuan),
    ...t.milestones.map((m) => num(v.shortfall_m2[String(m.year)])), num(v.projects), num(v.displaced_m2)];
  const shortHead = t.milestones.map((m) => `short ${m.year} m²`);
  const byMode = wb.target.modes.map((m) => {
    const chosen = t.projects.filter((p) => p.mode === m.id);
    return chosen.length ? [el('span', {}, el('span', { class: 'swatch', style: `display:inline-block;background:${m.colour}` }), ' ', m.label),
      num(chosen.length), num(chosen.reduce((a, p) => a + p.tech_m2, 0)), num(chosen.reduce((a, p) => a + p.discounted_cost_yuan, 0))] : null;
  }).filter((r) => r);

  $('target').replaceChildren(
    el('h3', {}, 'Targets 目标'),
    table(['year 年', 'target 目标 m²', 'reached 达到 m²', 'shortfall 缺口 m²'], t.milestones.map((m) => [String(m.year), num(m.target_m2), num(m.stock_m2),
      m.reached ? el('span', { class: 'pass' }, 'reached') : el('span', { class: 'fail' }, num(m.shortfall_m2))]), [1, 2, 3]),
    fieldTable([
      [`opening stock ${t.as_of_year} 现状存量`, m2(t.opening_stock_m2)],
      ['projects chosen 入选项目', el('span', { id: 'target-projects' }, `${num(t.projects.length)} of ${num(t.candidates)} candidates, +${m2(space)}`)],
      ['discounted public cost 折现公共成本', el('span', { id: 'target-cost' }, `${yuan(t.discounted_cost_yuan)} (${num(t.discounted_cost_yuan / 1e8, 2)} 亿元)`)],
      ['firms\' floor area displaced 腾挪面积', m2(t.displaced_m2)],
      ['yearly budget 年度预算', budgets.length === 1 ? `${yuan(budgets[0])}${budget === '' ? ' (buildout.json)' : ''}` : `${budgets.map(num).join(' / ')} yuan by year (buildout.json)`],
      ['solver 求解器', `${t.solver}${t.proven_optimal ? ', proven optimal' : t.gap === null ? ', no bound' : `, within ${num(t.gap * 100, 3)} % of its bound`} (${num(t.seconds, 2)} s)`],
    ]),
    el('h3', {}, 'What binds 约束'),
    t.binding.length ? el('ul', { class: 'binding', id: 'target-binding' }, t.binding.map((b) => el('li', {}, b)))
      : el('p', { class: 'hint', id: 'target-binding' }, 'Nothing binds: neither the budgets, the displacement cap nor the clusters\' shares hold the programme back.'),
    el('h3', {}, 'Marginal cost and sensitivity 边际成本与敏感性'),
    el('p', {}, `${t.marginal.label}: ${yuan(t.marginal.discounted_cost_yuan - t.discounted_cost_yuan)} more`,
      t.marginal.shortfall_m2[String(last.year)] > last.shortfall_m2 + 0.5 ? `, and it could not all be found (short ${m2(t.marginal.shortfall_m2[String(last.year)])})` : ''),
    table(['variant', 'cost yuan', ...shortHead, 'projects', 'displaced m²'],
      [variantRow({ label: 'as configured', discounted_cost_yuan: t.discounted_cost_yuan, projects: t.projects.length, displaced_m2: t.displaced_m2,
        shortfall_m2: Object.fromEntries(t.milestones.map((m) => [String(m.year), m.shortfall_m2])) }), variantRow(t.marginal), ...t.sensitivity.map(variantRow)],
      [1, ...shortHead.map((_, i) => i + 2), shortHead.length + 2, shortHead.length + 3]),
    el('h3', {}, 'By year 按年度'),
    table(['year', 'stock m²', 'public cost yuan', 'budget yuan'], t.cost_by_year.map((c) => {
      const y = t.stock_by_year.find((s) => s.year === c.year);
      return [String(c.year), y ? num(y.stock_m2) : '–', num(c.cost_yuan), num(c.budget_yuan)];
    }), [1, 2, 3]),
    t.cluster_shares.length ? el('div', {}, el('h3', {}, 'Clusters\' share of the space added 集群占比'),
      table(['cluster', 'share', 'minimum'], t.cluster_shares.map((c) => [clusters([c.cluster]), pct(c.share), pct(c.minimum)]), [1, 2])) : null,
    el('h3', {}, 'By mode 按方式'),
    table(['mode 方式', 'projects', 'm² added', 'cost yuan'], byMode, [1, 2, 3]),
    el('h3', {}, `The ${num(t.projects.length)} projects chosen 入选项目`),
    el('p', { class: 'hint' }, 'Ranked by the space each adds; click a heading to sort, a row to find it on the map.'),
    el('div', { class: 'scroll', id: 'target-projects-table' }),
    el('p', {}, ...Object.entries(run.files).flatMap(([f, u]) => [link(u, f), ' '])));
  wb.targetSort = { key: 'tech_m2', descending: true };
  const rank = [...t.projects].sort((a, b) => b.tech_m2 - a.tech_m2 || a.id.localeCompare(b.id));
  rank.forEach((p, k) => { p.rank = k + 1; });
  wb.target.clusters = clusters;
  drawTargetProjects();
  drawTrajectory(trajectorySeries());
  fitDistrict();
  refresh();
}
// A project's site: its id without the mode it already names (a building's or a parcel's id).
const site = (p) => p.id.endsWith(`-${p.mode}`) ? p.id.slice(0, -p.mode.length - 1) : p.id;
// The chosen projects' table, sorted by the heading clicked last.
const TARGET_COLUMNS = [
  { key: 'rank', head: '#', numeric: true }, { key: 'site', head: 'site 地点' }, { key: 'mode', head: 'mode 方式' },
  { key: 'clusters', head: 'cluster 集群' }, { key: 'completion_year', head: 'year 建成', numeric: true },
  { key: 'tech_m2', head: 'm² added 新增', numeric: true }, { key: 'discounted_cost_yuan', head: 'cost yuan 成本', numeric: true },
];
function drawTargetProjects() {
  const t = wb.target, sort = wb.targetSort;
  const value = (p, key) => key === 'mode' ? t.modeOf[p.mode].label : key === 'clusters' ? t.clusters(p.clusters) : key === 'site' ? site(p) : p[key];
  const rows = [...t.projects].sort((a, b) => {
    const x = value(a, sort.key), y = value(b, sort.key);
    const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
    return (sort.descending ? -order : order) || a.rank - b.rank;
  });
  const head = el('tr', {}, TARGET_COLUMNS.map((c) => el('th', { class: `sortable${c.numeric ? ' n' : ''}`, 'data-sort': c.key,
    onclick: () => { wb.targetSort = { key: c.key, descending: sort.key === c.key ? !sort.descending : c.numeric }; drawTargetProjects(); } },
    c.head, sort.key === c.key ? (sort.descending ? ' ▾' : ' ▴') : '')));
  const body = rows.map((p) => el('tr', { 'data-project': p.id, class: p.id === wb.selectedProject ? 'selected' : '', onclick: () => selectProject(p.id, true) },
    el('td', { class: 'n' }, num(p.rank)), el('td', { title: `${p.id}: buildings ${p.building_ids.join(', ')}; starts ${p.start_year}` }, site(p)),
    el('td', { class: 'mode' }, el('span', { class: 'swatch', style: `display:inline-block;background:${t.modeOf[p.mode].colour}` }), ' ', t.modeOf[p.mode].label),
    el('td', {}, t.clusters(p.clusters)), el('td', { class: 'n' }, String(p.completion_year)),
    el('td', { class: 'n' }, num(p.tech_m2)), el('td', { class: 'n' }, num(p.discounted_cost_yuan))));
  $('target-projects-table').replaceChildren(el('table', {}, head, body));
}
// A project chosen in the table (the map frames its buildings) or on the map (the table shows its row).
function selectProject(id, frame) {
  wb.selectedProject = id;
  const project = wb.target.projects.find((p) => p.id === id);
  for (const tr of document.querySelectorAll('#target-projects-table tr[data-project]')) tr.classList.toggle('selected', tr.dataset.project === id);
  if (!frame) {
    if (wb.tab !== 'target') showTab('target');
    const row = document.querySelector(`#target-projects-table tr[data-project="${CSS.escape(id)}"]`);
    if (row) row.scrollIntoView({ block: 'nearest' });
  }
  refresh();
  if (!frame || !wb.map || !wb.data.buildings) return;
  const features = wb.data.buildings.features.filter((f) => project.building_ids.includes(f.properties.id));
  if (features.length) wb.map.fitBounds(L.geoJSON({ type: 'FeatureCollection', features }).getBounds().pad(3), { maxZoom: 18 });
}
// The whole district in view, where it is drawn (on GCJ-02 tiles, shifted).
function fitDistrict() {
  if (!wb.map) return;
  const district = wb.data.zones && wb.data.zones.features.find((f) => f.properties.kind === 'district');
  if (district) wb.map.fitBounds(L.geoJSON(district).getBounds(), { padding: [8, 8] });
}

start().catch((e) => { document.body.prepend(errorBox(e)); });
