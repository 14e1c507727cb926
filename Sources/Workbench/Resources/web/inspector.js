// The inspector: a building's or a zone's figures, fetched when it is clicked.
import { wb } from './state.js';
import { api } from './api.js';
import { $, el, num, m2, pct, table, link, errorBox, fieldTable } from './dom.js';
import { showTab } from './tabs.js';

function zoneLinks(ids) {
  return (ids || '').split(';').filter((x) => x).map((id) => el('a', { href: '#', onclick: (e) => { e.preventDefault(); inspectZone(id); } }, id, ' '));
}

// Only the latest click is shown: an earlier answer arriving late is dropped.
const inspectTicket = () => { wb.inspectTicket = (wb.inspectTicket || 0) + 1; return wb.inspectTicket; };

// The building or zone inspected, fetched again where it is (the live feed calls it).
export function reinspect() {
  const i = wb.inspecting;
  if (i) return i.kind === 'zone' ? inspectZone(i.id, true) : inspectBuilding(i.id, true);
}

export async function inspectBuilding(id, again = false) {
  wb.inspecting = { kind: 'building', id };
  if (!again) showTab('inspect');
  const box = $('inspector'), ticket = inspectTicket();
  if (!again) box.replaceChildren(el('p', { class: 'hint' }, 'loading…'));
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

export async function inspectZone(id, again = false) {
  wb.inspecting = { kind: 'zone', id };
  if (!again) showTab('inspect');
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

