// Matching (the bureau): the queued applications, a matching round run on the store as it is
// (POST /api/rounds), and a decision with a reason on each placement it proposes
// (POST /api/rounds/{id}/decisions); nothing changes in the district until one is approved.
import { wb } from './state.js';
import { api, send } from './api.js';
import { $, el, num, table, errorBox } from './dom.js';
import { applicationTable } from './applications.js';

export function setUpMatching() {
  $('round-run').addEventListener('click', runRound);
  document.querySelector('#tabs button[data-tab="matching"]').addEventListener('click', () => {
    if (!wb.matching) { wb.matching = {}; reloadMatching(); }
  });
}

// The queue and the newest round fetched again, once the tab has been opened.
export async function reloadMatching() {
  if (!wb.matching) return;
  try {
    const queued = (await api('/api/applications')).applications.filter((a) => a.status === 'queued');
    wb.matching.queued = queued;
    $('queued').replaceChildren(el('h3', {}, `Queued applications 排队中的申请 (${num(queued.length)})`),
      queued.length ? applicationTable(queued) : el('p', { class: 'hint' }, 'None.'));
  } catch (e) { $('queued').replaceChildren(errorBox(e)); }
  try {
    const r = await api('/api/rounds');
    const rounds = Array.isArray(r) ? r : r.rounds;
    if (rounds && rounds.length) showRound(rounds[0]);
  } catch (e) { $('round').replaceChildren(errorBox(e)); }
}

async function runRound() {
  const reason = $('round-reason').value.trim();
  if (!reason) { $('round-status').replaceChildren(el('div', { class: 'error' }, 'Give a reason for the round: it is kept. 请填写原因。')); return; }
  $('round-run').disabled = true;
  $('round-status').replaceChildren(el('p', { class: 'hint' }, 'matching…'));
  try {
    const r = await send('POST', '/api/rounds', { reason });
    $('round-status').replaceChildren();
    showRound(r.round);
    await reloadMatching();
  } catch (e) { $('round-status').replaceChildren(errorBox(e)); }
  $('round-run').disabled = false;
}

function showRound(round) {
  wb.matching.round = round;
  const decide = (p) => {
    if (p.decision) return el('span', { class: `decision ${p.decision}` }, p.decision);
    const reason = el('input', { class: 'decision-reason', placeholder: 'reason 原因' });
    const message = el('div', { class: 'decision-message' });
    const decideOn = async (decision) => {
      if (!reason.value.trim()) { message.replaceChildren(el('div', { class: 'error' }, 'Give a reason. 请填写原因。')); return; }
      try {
        const r = await send('POST', `/api/rounds/${encodeURIComponent(round.id)}/decisions`, { application: p.application, decision, reason: reason.value.trim() });
        p.decision = (r.placement && r.placement.decision) || decision;
        showRound(round);
      } catch (e) { message.replaceChildren(errorBox(e)); }
    };
    return el('div', {}, reason, el('div', { class: 'row' },
      el('button', { class: 'approve', onclick: () => decideOn('approve') }, 'Approve 批准'),
      el('button', { class: 'small reject', onclick: () => decideOn('reject') }, 'Reject 驳回')), message);
  };
  const placements = table(['application', 'firm', 'carrier', 'm²', 'why', 'decision'],
    round.placements.map((p) => [p.application, p.name || p.applicant, `${p.carrier}${p.building ? ` (${p.building})` : ''}`,
      num(p.floor_area_m2), p.reason || '', decide(p)]), [3]);
  [...placements.rows].slice(1).forEach((tr, k) => { tr.dataset.application = round.placements[k].application; });
  const unplaced = table(['application', 'queue', 'why not placed'],
    round.unplaced.map((u) => [u.application, u.queue_position ? num(u.queue_position) : '', u.reason || '']), [1]);
  [...unplaced.rows].slice(1).forEach((tr, k) => { tr.dataset.application = round.unplaced[k].application; });
  $('round').replaceChildren(el('h3', { id: 'round-title', 'data-round': round.id },
    `Round ${round.id} · ${(round.started_at || '').replace('T', ' ').slice(0, 19)} · ${round.started_by || ''}`),
  el('h4', {}, `Proposed placements 拟安置 (${num(round.placements.length)})`), placements,
  el('h4', {}, `Not placed 未安置 (${num(round.unplaced.length)})`), unplaced);
}
