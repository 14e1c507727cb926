// Supply: the data folder's scenarios, edited in a form and run; their stock over the plan's path.
import { wb } from './state.js';
import { api, runJob } from './api.js';
import { $, el, num, table, link, errorBox } from './dom.js';
import { drawTrajectory, trajectorySeries } from './trajectory.js';

export async function setUpSupply() {
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
    const run = await runJob('/api/supply', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      (stage) => $('supply').replaceChildren(el('p', { class: 'hint' }, `running… ${stage}`)));
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

