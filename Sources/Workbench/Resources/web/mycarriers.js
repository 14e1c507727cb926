// My carriers: an operator's carriers (the bureau's: every carrier) from GET /api/my/carriers,
// each kept current in a form with a reason (PATCH /api/carriers/{id} with the version read);
// and the person's edits (GET /api/history).
import { wb } from './state.js';
import { api, send } from './api.js';
import { $, el, num, table, errorBox, fieldTable } from './dom.js';

// The fields an operator keeps current (docs/platform.md), as the table and the form label them.
const FIELDS = [['floor_area_m2', 'capacity 面积 m²'], ['vacant_m2', 'vacant 空置 m²'],
  ['rent_yuan_m2_month', 'rent 租金 yuan/m²/month'], ['status', 'status 状态']];
const show = (v) => (typeof v === 'number' ? num(v, Number.isInteger(v) ? 0 : 1) : v);

export function setUpMyCarriers() {
  wb.myCarriers = [];
  wb.editCarrier = openForm;  // any carrier's form, for the browser tests and the console
  return reloadMyCarriers();
}

// The table and the history fetched again; a form being filled in is left as it is.
export async function reloadMyCarriers() {
  if (!wb.myCarriers) return;
  try {
    const [mine, history] = await Promise.all([api('/api/my/carriers'), api('/api/history')]);
    wb.myCarriers = mine.carriers;
    drawCarriers();
    drawHistory(history.changes);
  } catch (e) { $('my-carriers').replaceChildren(errorBox(e)); }
}

function drawCarriers() {
  const numeric = new Set([2, 3, 4, 6, 7]);
  const head = ['carrier', 'name', 'capacity m²', 'vacant m²', 'rent', 'status', 'version', 'tenants', ''];
  const rows = wb.myCarriers.map((c) => el('tr', { 'data-carrier': c.id },
    [c.id, c.name, show(c.floor_area_m2), show(c.vacant_m2), show(c.rent_yuan_m2_month), c.status, c.version,
      num((c.tenants || []).length), el('button', { class: 'small', onclick: () => openForm(c) }, 'edit')]
      .map((v, i) => el('td', { class: numeric.has(i) ? 'n' : '', 'data-field': ['id', 'name', ...FIELDS.map((f) => f[0]), 'version', 'tenants', ''][i] },
        v === null || v === undefined ? '–' : v))));
  $('my-carriers').replaceChildren(wb.myCarriers.length
    ? el('div', { class: 'scroll' }, el('table', {}, el('tr', {}, head.map((h, i) => el('th', { class: numeric.has(i) ? 'n' : '' }, h))), rows))
    : el('p', { class: 'hint' }, 'No carriers are yours.'));
}

// The latest 50 edits, newest first, at the browser's local time (sv-SE writes 2026-12-07 09:13:19).
function drawHistory(changes) {
  const latest = changes.slice(-50).reverse();
  $('my-history').replaceChildren(latest.length
    ? table(['#', 'when', 'who', 'record', 'version', 'reason'],
      latest.map((c) => [c.seq, new Date(c.at).toLocaleString('sv-SE'), c.author, `${c.layer} ${c.id} (${c.change})`, c.version, c.reason || '']), [0, 4])
    : el('p', { class: 'hint' }, 'No edits yet.'));
}

// The form of one carrier as read (`carrier`, a record of /api/my/carriers): the fields changed
// are sent with the version read, so a change made meanwhile by someone else is not overwritten.
function openForm(carrier) {
  let read = { ...carrier };
  // Status is one of the values the server names; the figures are numbers.
  const inputs = Object.fromEntries(FIELDS.map(([f]) => [f, f === 'status'
    ? el('select', { 'data-field': f }, wb.session.choices.carrier_status.map((s) => el('option', { value: s, ...(s === read[f] ? { selected: '' } : {}) }, s)))
    : el('input', { 'data-field': f, value: read[f] ?? '', type: 'number', step: 'any' })]));
  const reason = el('input', { id: 'carrier-reason', placeholder: 'kept in the history 记入修改记录' });
  const heading = el('h3', { id: 'carrier-form-title' });
  const title = () => { heading.textContent = `Edit ${read.id} ${read.name || ''} · version ${read.version}`; };
  const message = el('div', { id: 'carrier-message' });
  const value = (f) => { const v = inputs[f].value.trim(); return v === '' ? null : f === 'status' ? v : Number(v); };
  async function save() {
    const set = Object.fromEntries(FIELDS.map(([f]) => [f, value(f)]).filter(([f, v]) => (v ?? '') !== (read[f] ?? '')));
    if (!reason.value.trim()) { message.replaceChildren(el('div', { class: 'error' }, 'Give a reason: it is kept in the history. 请填写修改原因。')); return; }
    if (!Object.keys(set).length) { message.replaceChildren(el('p', { class: 'hint' }, 'Nothing changed.')); return; }
    message.replaceChildren(el('p', { class: 'hint' }, 'saving…'));
    try {
      const r = await send('PATCH', `/api/carriers/${encodeURIComponent(read.id)}`, { version: read.version, set, reason: reason.value.trim() });
      const now = r.records.find((x) => x.id === read.id) || {};
      $('carrier-form').replaceChildren(el('p', { class: 'saved', id: 'carrier-saved' },
        `Saved 已保存: ${read.id} is now version ${now.version} (edit set ${r.edit_set}).`));
      await reloadMyCarriers();
    } catch (e) {
      if (e.status !== 409 || !e.body.current) { message.replaceChildren(errorBox(e)); return; }
      // Someone changed the carrier since it was read: its values now, and the form kept to be checked.
      const stale = e.body.current.find((x) => x.id === read.id) || e.body.current[0];
      const now = stale.current;
      message.replaceChildren(el('div', { class: 'error', id: 'carrier-conflict' },
        `${e.message}. You read version ${stale.given_version}; it is now ${now ? `version ${now.version}` : 'gone'}.`));
      if (now) {
        // The fields not changed in the form take the values now; the ones changed keep what was typed.
        for (const [f] of FIELDS) if ((value(f) ?? '') === (read[f] ?? '')) inputs[f].value = now[f] ?? '';
        read = { ...read, ...now };
        title();
        message.append(el('h4', {}, 'Its values now 当前值'),
          fieldTable([...FIELDS.map(([f, label]) => [label, show(now[f])]), ['version', now.version], ['occupied m²', show(now.occupied_m2)]]),
          el('p', { class: 'hint' }, 'The form now shows these values, except the ones you changed: check them, then Save again to write '
            + `your changes over version ${now.version}. 请核对后重新保存。`));
      }
      reloadMyCarriers();
    }
  }
  // The tenant list (CSV or a spreadsheet with the enterprise layer's columns) replaces the
  // carrier's tenants: the server reads it by that layer's rules and names each bad row.
  const list = el('input', { type: 'file', id: 'tenant-file', accept: '.csv,.xlsx,.xls,.ods' });
  async function upload() {
    const file = list.files[0];
    if (!file) { message.replaceChildren(el('p', { class: 'hint' }, 'Choose a tenant list (CSV or Excel) first.')); return; }
    if (!reason.value.trim()) { message.replaceChildren(el('div', { class: 'error' }, 'Give a reason: it is kept in the history. 请填写修改原因。')); return; }
    const format = (file.name.split('.').pop() || 'csv').toLowerCase();
    message.replaceChildren(el('p', { class: 'hint' }, 'uploading…'));
    try {
      const r = await api(`/api/carriers/${encodeURIComponent(read.id)}/tenants?format=${encodeURIComponent(format)}&reason=${encodeURIComponent(reason.value.trim())}`,
        { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: file });
      message.replaceChildren(el('p', { class: 'saved', id: 'tenants-saved' },
        `Tenants 租户: ${r.moving_in.length} moving in, ${r.moving_out.length} moving out, ${r.staying.length} staying`
        + (r.edit_set ? ` (edit set ${r.edit_set}).` : ' (nothing to change).')));
      await reloadMyCarriers();
    } catch (e) { message.replaceChildren(errorBox(e)); }
  }
  title();
  $('carrier-form').replaceChildren(heading,
    el('div', { class: 'form' }, ...FIELDS.map(([f, label]) => el('label', {}, label, inputs[f])), el('label', {}, 'reason 原因', reason)),
    el('div', { class: 'row' }, el('button', { id: 'carrier-save', onclick: save }, 'Save 保存'),
      el('button', { class: 'small', onclick: () => $('carrier-form').replaceChildren() }, 'cancel')),
    el('div', { class: 'row' }, el('label', {}, 'tenant list 租户名单 (CSV, Excel)', list),
      el('button', { id: 'tenants-upload', class: 'small', onclick: upload }, 'Upload 上传')),
    message);
}
