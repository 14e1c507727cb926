// Matching (the bureau): the queued applications, a matching round run on the store as it is
// (POST /api/rounds), and a decision with a reason on each placement it proposes
// (POST /api/rounds/{id}/decisions); nothing changes in the district until one is approved.
import { wb } from './state.js';
import { api, send } from './api.js';
import { $, el, num, table, errorBox } from './dom.js';
import { applicationTable } from './applications.js';

export function setUpMatching() {
  $('round-run').addEventListener('click', runRound);
  // New applications change nothing in the district: the queue is fetched whenever the tab is opened.
  document.querySelector('#tabs button[data-tab="matching"]').addEventListener('click', () => {
    wb.matching = wb.matching || {};
    reloadMatching();
  });
}

// The queue and the newest round fetched again, once the tab has been opened; only the latest
// look is shown (an earlier answer arriving late is dropped).
export async function reloadMatching() {
  if (!wb.matching) return;
  const ticket = wb.matching.ticket = (wb.matching.ticket || 0) + 1;
  const [applications, rounds] = await Promise.allSettled([api('/api/applications'), api('/api/rounds')]);
  if (ticket !== wb.matching.ticket) return;
  if (applications.status === 'fulfilled') {
    const queued = applications.value.applications.filter((a) => a.status === 'queued');
    wb.matching.queued = queued;
    $('queued').replaceChildren(el('h3', {}, `Queued applications 排队中的申请 (${num(queued.length)})`),
      queued.length ? applicationTable(queued) : el('p', { class: 'hint' }, 'None.'));
  } else $('queued').replaceChildren(errorBox(applications.reason));
  if (rounds.status === 'fulfilled') {
    if (rounds.value.rounds.length) showRound(rounds.value.rounds[0]);
  } else $('round').replaceChildren(errorBox(rounds.reason));
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
    if (p.decision && p.decision !== 'pending') {
      return el('span', {}, el('span', { class: `decision ${p.decision}` }, p.decision),
        p.decided_by ? el('span', { class: 'hint' }, ` · ${p.decided_by}${p.decision_reason ? `: ${p.decision_reason}` : ''}`) : '');
    }
    const reason = el('input', { class: 'decision-reason', placeholder: 'reason 原因' });
    const message = el('div', { class: 'decision-message' });
    const decideOn = async (decision) => {
      if (!reason.value.trim()) { message.replaceChildren(el('div', { class: 'error' }, 'Give a reason. 请填写原因。')); return; }
      try {
        const r = await send('POST', `/api/rounds/${encodeURIComponent(round.id)}/decisions`, { application: p.application, decision, reason: reason.value.trim() });
        Object.assign(p, r.placement || { decision });
        showRound(round);
      } catch (e) { message.replaceChildren(errorBox(e)); }
    };
    return el('div', {}, reason, el('div', { class: 'row' },
      el('button', { class: 'approve', onclick: () => decideOn('approve') }, 'Approve 批准'),
      el('button', { class: 'small reject', onclick: () => decideOn('reject') }, 'Reject 驳回')), message);
  };
  const placements = table(['application', 'firm', 'carrier', 'm²', 'why', 'decision'],
    round.placements.map((p) => [p.application, p.name || p.applicant, [p.carrier, p.building && `(${p.building})`].filter((x) => x).join(' '),
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
