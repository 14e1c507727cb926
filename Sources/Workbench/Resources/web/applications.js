// Apply: a firm's application for space, with what a row of demand.csv says (GIS/README.md),
// sent to POST /api/applications; and its applications as the bureau's rounds leave them
// (GET /api/applications): queued, proposed, placed.
import { wb } from './state.js';
import { api, send } from './api.js';
import { $, el, num, table, errorBox } from './dom.js';

// The form's fields: [name, label, input attributes]; numbers are sent as numbers, empty ones not at all.
const NUMBERS = ['employees', 'min_m2', 'preferred_m2', 'move_in_year', 'max_rent_yuan_m2_month'];
const FIELDS = [
  ['name', 'firm name 企业名称', {}],
  ['sector', 'sector 行业', null],  // a select of the sectors the server's style knows
  ['stage', 'stage 阶段', null],  // a select of the stages the server names
  ['employees', 'employees 员工', { type: 'number', min: '0', step: '1' }],
  ['min_m2', 'at least 最小面积 m²', { type: 'number', min: '0', step: 'any' }],
  ['preferred_m2', 'at most 意向面积 m²', { type: 'number', min: '0', step: 'any' }],
  ['preferred_zones', 'preferred zones 意向片区', null],  // a multiple select of the zones layer
  ['move_in_year', 'move-in year 入驻年份', { type: 'number', step: '1' }],
  ['max_rent_yuan_m2_month', 'most rent 租金上限 yuan/m²/month', { type: 'number', min: '0', step: 'any', placeholder: 'no limit' }],
];

export async function setUpApplications() {
  wb.applications = [];
  const inputs = {};
  for (const [f, , attrs] of FIELDS) inputs[f] = attrs ? el('input', { 'data-field': f, ...attrs }) : null;
  inputs.sector = el('select', { 'data-field': 'sector' }, wb.style.enterprises.sectors.map((s) => el('option', { value: s.code }, s.label)));
  inputs.stage = el('select', { 'data-field': 'stage' }, wb.session.choices.stage.map((s) => el('option', { value: s }, s)));
  inputs.preferred_zones = el('select', { 'data-field': 'preferred_zones', multiple: '', size: '4' });
  const message = el('div', { id: 'apply-message' });
  const submit = el('button', { id: 'apply-submit' }, 'Apply 提交申请');
  submit.addEventListener('click', async () => {
    const body = {};
    for (const [f] of FIELDS) {
      const input = inputs[f];
      if (f === 'preferred_zones') body[f] = [...input.selectedOptions].map((o) => o.value);
      else if (input.value.trim() !== '') body[f] = NUMBERS.includes(f) ? Number(input.value) : input.value.trim();
    }
    submit.disabled = true;
    try {
      const r = await send('POST', '/api/applications', body);
      const a = r.application;
      message.replaceChildren(el('p', { class: 'saved', id: 'apply-saved', 'data-application': a.id },
        `Application ${a.id} is ${a.status}${a.queue_position ? `, number ${a.queue_position} in the queue` : ''}. 已提交。`));
      await reloadApplications();
    } catch (e) { message.replaceChildren(errorBox(e)); }
    submit.disabled = false;
  });
  // A round's proposal changes nothing in the district: the list is fetched whenever the tab is opened.
  document.querySelector('#tabs button[data-tab="apply"]').addEventListener('click', reloadApplications);
  $('apply-form').replaceChildren(el('div', { class: 'form' }, FIELDS.map(([f, label]) => el('label', {}, label, inputs[f]))),
    el('div', { class: 'row' }, submit), message);
  await reloadApplications();
  try {
    const zones = wb.data.zones || await api('/api/layers/zones');
    inputs.preferred_zones.replaceChildren(...zones.features.filter((z) => z.properties.kind !== 'district')
      .map((z) => el('option', { value: z.properties.id }, `${z.properties.name} (${z.properties.id})`)));
  } catch (e) { message.replaceChildren(errorBox(e)); }
}

export async function reloadApplications() {
  if (!wb.applications) return;
  try {
    wb.applications = (await api('/api/applications')).applications;
    $('my-applications').replaceChildren(wb.applications.length ? applicationTable(wb.applications)
      : el('p', { class: 'hint' }, 'No applications yet.'));
  } catch (e) { $('my-applications').replaceChildren(errorBox(e)); }
}

// Applications as the applicant and the bureau see them, one row each (data-application: its id);
// the carrier of a placement proposed or made.
export function applicationTable(applications) {
  const carrier = (a) => (['proposed', 'placed'].includes(a.status) ? [a.carrier, a.building && `(${a.building})`].filter((x) => x).join(' ') : '');
  const t = table(['application', 'firm', 'status', 'queue', 'carrier', 'why'],
    applications.map((a) => [a.id, (a.record && a.record.name) || a.applicant, el('span', { class: `status ${a.status}` }, a.status),
      a.queue_position ? num(a.queue_position) : '', carrier(a), a.reason || '']), [3]);
  [...t.rows].slice(1).forEach((tr, k) => { tr.dataset.application = applications[k].id; tr.dataset.status = applications[k].status; });
  return t;
}
