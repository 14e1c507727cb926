// The path to the target: the cheapest programme of projects that reaches the milestones.
import { wb } from './state.js';
import { runJob } from './api.js';
import { $, el, num, m2, pct, yuan, table, link, errorBox, fieldTable, swatch } from './dom.js';

const inlineSwatch = (colour) => { const s = swatch(colour); s.style.display = 'inline-block'; return s; };
import { refresh, fitDistrict } from './map.js';
import { showTab } from './tabs.js';
import { drawTrajectory, trajectorySeries } from './trajectory.js';

export function setUpTarget() {
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
    const run = await runJob(`/api/target${budget === '' ? '' : `?budget=${encodeURIComponent(budget)}`}`, { method: 'POST' },
      (stage) => status.replaceChildren(el('p', { class: 'hint', id: 'target-progress' }, `running… ${stage} (${num((Date.now() - began) / 1000)} s)`)));
    showTarget(run, budget);
  } catch (e) { status.replaceChildren(errorBox(e)); }
  $('target-run').disabled = false;
}
function showTarget(run, budget) {
  const t = run.result.target;
  const modeOf = Object.fromEntries(run.result.modes.map((m) => [m.id, m]));
  for (const p of t.projects) if (!modeOf[p.mode]) modeOf[p.mode] = { id: p.mode, label: p.mode, colour: wb.style.symbols.unknown_mode };
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
    return chosen.length ? [el('span', {}, inlineSwatch(m.colour), ' ', m.label),
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
    el('td', { class: 'mode' }, inlineSwatch(t.modeOf[p.mode].colour), ' ', t.modeOf[p.mode].label),
    el('td', {}, t.clusters(p.clusters)), el('td', { class: 'n' }, String(p.completion_year)),
    el('td', { class: 'n' }, num(p.tech_m2)), el('td', { class: 'n' }, num(p.discounted_cost_yuan))));
  $('target-projects-table').replaceChildren(el('table', {}, head, body));
}
// A project chosen in the table (the map frames its buildings) or on the map (the table shows its row).
export function selectProject(id, frame) {
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
