// Renewal: the shipped or an uploaded proposal file, ranked with every check; its units on the map.
import { wb } from './state.js';
import { api, runJob } from './api.js';
import { $, el, num, m2, table, link, errorBox, fieldTable } from './dom.js';
import { refresh } from './map.js';

export function setUpRenewal() {
  $('renewal-shipped').addEventListener('click', () => loadRenewal());
  $('renewal-shipped').disabled = !wb.config.shipped_proposals;
  $('renewal-file').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    $('renewal').replaceChildren(el('p', { class: 'hint' }, `evaluating ${file.name}…`));
    try { showRenewal(await runJob('/api/renewal', { method: 'POST', body: file }), file.name); } catch (e) { $('renewal').replaceChildren(errorBox(e)); }
    ev.target.value = '';
  });
}
export async function loadRenewal() {
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

