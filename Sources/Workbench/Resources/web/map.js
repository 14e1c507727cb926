// The Leaflet map: every layer drawn on one canvas in a fixed order, coloured and sized by the
// style the SVG maps are drawn in (/api/style).
import { wb } from './state.js';
import { api } from './api.js';
import { $, num, m2, yuan } from './dom.js';
import { DYNAMIC, LAYER_ORDER, reloadTheme, setTheme, themeSpec } from './themes.js';
import { drawLegend } from './legend.js';
import { inspectBuilding, inspectZone } from './inspector.js';
import { selectProject } from './target.js';

export function setUpMap() {
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

// Everything the map draws fetched again and redrawn as it is (the live feed calls it when the
// published district changes).
export async function reloadMap() {
  if (!wb.map) return;
  await reloadTheme();
  await loadStatic();  // the small layers (zones, carriers) first, drawn at once
  await loadDynamic();  // then what is in view
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

const byCode = (list, code) => list.find((x) => x.code === code);
export const carrierColour = (type) => {
  const b = wb.style.buildings;
  return (byCode(b.carrier_types, type) || { colour: b.unknown_carrier_type }).colour;
};
function buildingColour(p) {
  const b = wb.style.buildings;
  const colouring = themeSpec().buildings;
  if (colouring === 'renewal') return p.old_industrial ? b.old_industrial : b.other;
  if (colouring === 'faint') return b.faint;
  return p.carrier_type ? carrierColour(p.carrier_type) : b.other;
}
// Parcels of class M0 (new industrial) are coloured as M, as on the SVG maps.
const landUseColour = (code) => {
  const u = wb.style.land_use;
  return (byCode(u.classes, code === 'M0' ? 'M' : code) || { colour: u.other }).colour;
};
const sectorColour = (s) => (byCode(wb.style.enterprises.sectors, s) || { colour: wb.style.enterprises.unknown_sector }).colour;
// A stroke of the style as Leaflet path options.
const stroke = (s) => ({ color: s.colour, weight: s.width, ...(s.dash ? { dashArray: s.dash } : {}) });

// Every layer is redrawn in one fixed order on one canvas, so clicks reach the topmost.
export function refresh() {
  if (!wb.map) return;
  for (const layer of Object.values(wb.layers)) wb.map.removeLayer(layer);
  wb.layers = {};
  const r = wb.renderer, spec = themeSpec(), d = wb.data, style = wb.style;
  const add = (id, layer, count) => { wb.layers[id] = layer.addTo(wb.map); wb.counts[id] = count; };
  const choropleth = spec.choropleth && wb.themeInfo && wb.themeInfo.zones;
  if (d.zones && wb.visible.zones) {
    const fills = L.geoJSON(d.zones, { renderer: r, filter: (f) => f.properties.kind !== 'cluster',
      style: (f) => {
        const z = choropleth ? wb.themeInfo.zones[f.properties.id] : null;
        return { stroke: false, fill: true, fillColor: z ? z.colour : (f.properties.kind === 'district' ? style.zones.district_fill : style.zones.subdistrict_fill),
                 fillOpacity: z ? 0.85 : 0.35 };
      },
      onEachFeature: (f, layer) => { if (f.properties.kind !== 'district') layer.on('click', () => inspectZone(f.properties.id)); } });
    add('zone-fills', fills, d.zones.features.length);
  }
  if (d.parcels && wb.visible.parcels) {
    const opacity = spec.parcels ? spec.parcels.opacity : style.themes.find((t) => t.id === 'space').parcels.opacity;
    add('parcels', L.geoJSON(d.parcels, { renderer: r, interactive: false,
      style: (f) => ({ ...stroke(style.land_use.outline), fillColor: landUseColour(f.properties.land_use_class), fillOpacity: opacity }) }),
      d.parcels.features.length);
  }
  if (d.roads && wb.visible.roads) {
    add('roads', L.geoJSON(d.roads, { renderer: r, interactive: false, style: stroke(style.roads.stroke) }), d.roads.features.length);
  }
  if (d.buildings && wb.visible.buildings) {
    if (d.buildings.generalised) {
      add('buildings', L.geoJSON(d.buildings, { renderer: r, interactive: false,
        style: (f) => ({ stroke: false, fillColor: f.properties.colour, fillOpacity: 0.9 }) }), d.buildings.features.length);
    } else {
      // Under the target programme's sites the other buildings recede.
      const opacity = wb.target && wb.visible.target ? 0.3 : 0.95;
      const buildingStyle = (f) => f.properties.id === wb.selectedBuilding
        ? { ...stroke(style.buildings.selected), fillColor: buildingColour(f.properties), fillOpacity: 0.95 }
        : { ...stroke(style.buildings.outline), fillColor: buildingColour(f.properties), fillOpacity: opacity };
      const buildings = L.geoJSON(d.buildings, { renderer: r, style: buildingStyle,
        onEachFeature: (f, layer) => layer.on('click', (ev) => {
          L.DomEvent.stopPropagation(ev);
          wb.selectedBuilding = f.properties.id;
          buildings.setStyle(buildingStyle);  // the clicked building outlined, the last one not
          inspectBuilding(f.properties.id);
        }) });
      add('buildings', buildings, d.buildings.features.length);
    }
  }
  wb.firmsHidden = false;
  if (d.enterprises && wb.visible.enterprises) {
    const e = style.enterprises;
    if (d.enterprises.generalised && !(spec.enterprises && spec.enterprises.density_grid)) {
      // As on the SVG space map: too many firms to show over the buildings; their own theme grids them.
      wb.firmsHidden = true;
      wb.counts.enterprises = 0;
    } else if (d.enterprises.generalised) {
      add('enterprises', L.geoJSON(d.enterprises, { renderer: r, interactive: false,
        style: (f) => ({ stroke: false, fillColor: f.properties.colour, fillOpacity: 0.8 }) }), d.enterprises.features.length);
    } else {
      add('enterprises', L.geoJSON(d.enterprises, { renderer: r, interactive: false,
        pointToLayer: (f, at) => L.circleMarker(at, { renderer: r, interactive: false, radius: firmRadius(f.properties.employees),
          ...stroke(e.outline), fillColor: sectorColour(f.properties.sector), fillOpacity: e.fill_opacity }) }), d.enterprises.features.length);
    }
  }
  if (d.carriers && wb.visible.carriers && (d.buildings && d.buildings.generalised || spec.buildings === 'faint')) {
    // Footprints are a pixel at this scale: carriers become symbols, as on the SVG maps.
    const s = style.symbols;
    const markers = d.carriers.features.filter((f) => f.geometry).map((f) => {
      const centre = L.geoJSON(f).getBounds().getCenter();
      return L.circleMarker(centre, { renderer: r, radius: s.carrier_radius, ...stroke(s.carrier_outline), fillColor: carrierColour(f.properties.type), fillOpacity: 1 })
        .bindTooltip(`${f.properties.name} · ${f.properties.type_label} · ${m2(f.properties.floor_area_m2)}`)
        .on('click', (ev) => { L.DomEvent.stopPropagation(ev); inspectBuilding(f.properties.building_ids.split(';')[0]); });
    });
    add('carriers', L.layerGroup(markers), markers.length);
  } else if (d.carriers) {
    wb.counts.carriers = d.carriers.features.length;
  }
  if (d['renewal-units'] && (wb.visible['renewal-units'] || wb.tab === 'renewal')) {
    const s = style.symbols;
    add('renewal-units', L.geoJSON(d['renewal-units'], { renderer: r,
      style: (f) => ({ ...stroke(s.renewal_unit_stroke), color: f.properties.passes_all_checks ? s.renewal_pass : s.renewal_fail,
                       fillOpacity: f.properties.id === wb.selectedUnit ? 0.35 : 0.08 }),
      onEachFeature: (f, layer) => layer.bindTooltip(`${f.properties.proposal_id} ${f.properties.proposal_name}: rank ${f.properties.rank}`) }),
      d['renewal-units'].features.length);
  }
  if (wb.allocation && wb.visible.allocation && d.carriers) {
    const s = style.symbols;
    const byId = Object.fromEntries(d.carriers.features.map((f) => [f.properties.id, f]));
    const markers = wb.allocation.carriers.filter((u) => byId[u.carrier_id] && byId[u.carrier_id].geometry).map((u) => {
      const centre = L.geoJSON(byId[u.carrier_id]).getBounds().getCenter();
      return L.circleMarker(centre, { renderer: r, radius: Math.max(s.allocation_radius.minimum, Math.sqrt(u.allocated_m2) * s.allocation_radius.factor),
                                       ...stroke(s.allocation_outline), fillColor: s.allocation, fillOpacity: 0.85 })
        .bindTooltip(`${u.name}: ${u.firms} firms placed, ${m2(u.allocated_m2)} let; ${m2(u.vacant_after_m2)} still vacant`);
    });
    add('allocation', L.layerGroup(markers), markers.length);
  }
  if (wb.simulation && wb.visible.jams && d.carriers) {
    // The carriers full when their rung jams: a ring in the style's jam outline.
    const jam = style.time_chart.jam_outline;
    const markers = d.carriers.features.filter((f) => f.geometry && wb.simulation.full.has(f.properties.id)).map((f) => {
      const years = wb.simulation.jams.filter((j) => j.full_carriers.includes(f.properties.id)).map((j) => `${j.year} (${j.stage})`);
      return L.circleMarker(L.geoJSON(f).getBounds().getCenter(), { renderer: r, radius: style.symbols.carrier_radius * 2, color: jam.colour,
        weight: jam.width, fill: false, className: 'jam' })
        .bindTooltip(`${f.properties.name}: full when its rung jams, ${years.join(', ')}`);
    });
    add('jams', L.layerGroup(markers), markers.length);
  }
  wb.targetNote = '';
  if (wb.target && wb.visible.target && d.buildings) {
    // The chosen projects' buildings, matched by id among the buildings drawn in view.
    const t = wb.target, s = style.symbols;
    if (d.buildings.generalised) {
      wb.targetNote = `buildings are gridded at this scale: zoom in to see the ${num(t.buildingCount)} chosen buildings`;
      wb.counts.target = 0;
    } else {
      const features = d.buildings.features.filter((f) => t.byBuilding[f.properties.id]);
      const colour = (f) => t.modeOf[t.byBuilding[f.properties.id].mode].colour;
      const selected = (f) => t.byBuilding[f.properties.id].id === wb.selectedProject;
      add('target', L.geoJSON({ type: 'FeatureCollection', features }, { renderer: r,
        style: (f) => ({ ...stroke(selected(f) ? s.target_selected : s.target_outline), fillColor: colour(f), fillOpacity: 1 }),
        onEachFeature: (f, layer) => {
          const p = t.byBuilding[f.properties.id];
          layer.bindTooltip(`${p.id} · ${t.modeOf[p.mode].label} · +${m2(p.tech_m2)} by ${p.completion_year} · ${yuan(p.discounted_cost_yuan)}`);
          layer.on('click', (ev) => { L.DomEvent.stopPropagation(ev); selectProject(p.id, false); });
        } }), features.length);
      if (features.length < t.buildingCount) wb.targetNote = `${num(features.length)} of the ${num(t.buildingCount)} chosen buildings are in view`;
    }
  }
  if (d.zones && wb.visible.zones) {
    const z = style.zones;
    add('zone-lines', L.geoJSON(d.zones, { renderer: r, interactive: false,
      style: (f) => ({ ...stroke(z[f.properties.kind] || z.subdistrict), fill: false }) }),
      d.zones.features.length);
    const labels = d.zones.features.filter((f) => f.properties.kind === 'subdistrict').map((f) =>
      L.tooltip({ permanent: true, direction: 'center', className: 'zone-label' }).setLatLng(L.geoJSON(f).getBounds().getCenter()).setContent(f.properties.name));
    add('zone-labels', L.layerGroup(labels), labels.length);
  }
  updateCounts();
  drawLegend();
}

// Circle area ∝ employees by the style's rule, as on the SVG maps (1 px for 10 people at 1,170 px
// for the district); the page's map is narrower, so the circles start smaller and grow as the
// planner zooms in.
function firmRadius(employees) {
  const rule = wb.style.enterprises.radius;
  const scale = Math.min(2, 0.55 * Math.pow(2, (wb.map.getZoom() - (wb.fitZoom || wb.map.getZoom())) / 2));
  return Math.max(rule.minimum, rule.factor * Math.sqrt(Math.max(1, employees)) * scale);
}

function updateCounts() {
  for (const id of LAYER_ORDER) {
    const row = document.querySelector(`#layer-list [data-layer="${id}"] .count`);
    const note = document.querySelector(`#layer-list [data-note="${id}"]`);
    if (!row) continue;
    const d = wb.data[id];
    const g = wb.generalised[id];
    row.textContent = id === 'target' || id === 'jams' ? (wb.layers[id] ? num(wb.counts[id]) : '')
      : d ? num(d.numberMatched !== undefined ? d.numberMatched : d.features.length) : '';
    note.textContent = id === 'enterprises' && wb.firmsHidden ? `${num(d.numberMatched)} firms in view: see the enterprises theme`
      : id === 'target' ? (wb.targetNote || '') : g ? (g.label || g.note || '') : '';
  }
}

// The whole district in view, where it is drawn (on GCJ-02 tiles, shifted).
export function fitDistrict() {
  if (!wb.map) return;
  const district = wb.data.zones && wb.data.zones.features.find((f) => f.properties.kind === 'district');
  if (district) wb.map.fitBounds(L.geoJSON(district).getBounds(), { padding: [8, 8] });
}
