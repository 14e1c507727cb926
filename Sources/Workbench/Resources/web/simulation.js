// Simulation: firms up the incubation ladder year by year (spaceplan simulate), its charts, and
// the carriers where the ladder jams marked on the map.
import { wb } from './state.js';
import { api, runJob } from './api.js';
import { $, el, num, m2, pct, table, link, errorBox } from './dom.js';
import { refresh } from './map.js';

export async function setUpSimulation() {
  $('simulation-to').value = String(wb.config.as_of_year + 9);
  try {
    const r = await api('/api/supply/scenarios');
    $('simulation-scenario').replaceChildren(el('option', { value: '' }, '(no new space)'),
      ...r.scenarios.map((s) => el('option', { value: s.file }, s.name || s.file)));
  } catch (e) { $('simulation-status').replaceChildren(errorBox(e)); }
  $('simulation-run').addEventListener('click', runSimulation);
}

async function runSimulation() {
  const query = new URLSearchParams({ to: $('simulation-to').value.trim(), runs: $('simulation-runs').value.trim(), seed: $('simulation-seed').value.trim() });
  if ($('simulation-scenario').value) query.set('scenario', $('simulation-scenario').value);
  const status = $('simulation-status');
  status.replaceChildren(el('p', { class: 'hint' }, 'starting…'));
  $('simulation').replaceChildren();
  // The last run's jams leave the map while this one runs (and stay off if it fails).
  wb.simulation = null;
  refresh();
  $('simulation-run').disabled = true;
  const began = Date.now();
  try {
    const run = await runJob(`/api/simulate?${query}`, { method: 'POST' },
      (stage) => status.replaceChildren(el('p', { class: 'hint' }, `running… ${stage} (${num((Date.now() - began) / 1000)} s)`)));
    showSimulation(run);
  } catch (e) { status.replaceChildren(errorBox(e)); }
  $('simulation-run').disabled = false;
}

const STAGES = ['start_up', 'growth', 'scale_up', 'mature'];
// A spread that rounds to one figure is written once.
const spread = (s, format = num) => {
  if (!s) return '–';
  const [a, b, c] = [format(s.p10), format(s.p50), format(s.p90)];
  return a === c ? b : `${b} (${a}–${c})`;
};

function showSimulation(run) {
  const s = run.result.simulation;
  const full = new Set(s.jams.flatMap((j) => j.full_carriers));
  wb.simulation = { jams: s.jams, full };
  wb.visible.jams = true;
  const box = document.querySelector('#layer-list [data-layer="jams"] input');
  if (box) box.checked = true;
  $('simulation-status').replaceChildren(...run.result.headlines.map((h, k) => el('p', { class: k === 1 ? 'figure' : 'hint', ...(k === 1 ? { id: 'simulation-jams', 'data-jams': s.jams.length } : {}) }, h)));
  const jamRows = s.jams.map((j) => [String(j.year), j.stage, j.carrier_types.join(', '), pct(j.occupancy), num(j.unmet_m2), num(j.graduates_lost),
    j.full_carriers.slice(0, 4).join(', ') || 'new space']);
  const years = s.years.map((y) => [String(y.year), num(y.added_m2), ...STAGES.map((st) => spread(y.occupancy_by_stage[st], (x) => pct(x, 0))),
    spread(y.firms), spread(y.queue),
    `${num(y.graduates_housed.p50)} / ${num(y.graduates_lost.p50)}`, spread(y.high_tech_firms)]);
  // Each chart opens at full size in a tab of its own.
  const image = (file, alt) => run.files[file] ? link(run.files[file], el('img', { src: run.files[file], alt, class: 'chart', 'data-file': file })) : null;
  $('simulation').replaceChildren(
    el('h3', {}, 'Where and when the ladder jams 阶梯堵点'),
    s.jams.length ? table(['year', 'stage', 'rung', 'occupancy', 'unmet m²', 'graduates lost', 'fullest carriers'], jamRows, [3, 4, 5])
      : el('p', { class: 'pass', id: 'simulation-no-jam' }, 'It does not jam: no rung is full while firms of its stage wait. 阶梯未出现堵点。'),
    el('p', {}, `Graduates kept over the years: ${spread(s.graduates_housed)}; lost for lack of space: ${spread(s.graduates_lost)}.`),
    image('maps/ladder.svg', 'The incubation ladder year by year'),
    image('maps/fan.svg', 'Occupancy of each rung, median and P10–P90'),
    image('maps/high-tech.svg', 'National high-tech enterprises against the plan'),
    el('h3', {}, `Year by year (P50, P10–P90 over ${num(s.runs)} runs) 逐年`),
    el('div', { class: 'scroll' }, table(['year', 'added m²', ...STAGES.map((st) => `${st} occupied`), 'firms', 'queue', 'graduates housed / lost', 'high-tech firms'], years, [1, 6, 7])),
    el('p', {}, ...Object.entries(run.files).filter(([f]) => !f.startsWith('runs/')).flatMap(([f, u]) => [link(u, f), ' ']),
      `and ${num(Object.keys(run.files).filter((f) => f.startsWith('runs/')).length)} run files (runs/run-NNNN.csv)`));
  refresh();
}
