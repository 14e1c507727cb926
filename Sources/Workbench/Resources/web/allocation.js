// Allocation: a demand file (shipped or uploaded) placed in the vacant carriers by a solver.
import { wb } from './state.js';
import { api, runJob } from './api.js';
import { $, el, num, m2, pct, table, link, errorBox, fieldTable } from './dom.js';
import { refresh } from './map.js';

export async function setUpAllocation() {
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
    const progress = (stage) => status.replaceChildren(el('p', { class: 'hint' }, `running… ${stage}`));
    const format = upload && upload.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
    const run = upload
      ? await runJob(`/api/allocation?solver=${solver}&format=${format}`, { method: 'POST', body: upload }, progress)
      : await runJob(`/api/allocation?solver=${solver}&demand=${encodeURIComponent($('demand-file').value)}`, { method: 'POST' }, progress);
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

