// The right panel's tabs.
import { wb } from './state.js';
import { refresh } from './map.js';
import { loadRenewal } from './renewal.js';

export function setUpTabs() {
  for (const b of document.querySelectorAll('#tabs button')) {
    b.addEventListener('click', () => showTab(b.dataset.tab));
  }
}

export function showTab(tab) {
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
  for (const p of document.querySelectorAll('.panel')) p.hidden = p.id !== `panel-${tab}`;
  document.body.classList.toggle('wide', ['supply', 'target', 'simulation', 'carriers', 'apply', 'matching'].includes(tab));
  const before = wb.tab || 'inspect';
  wb.tab = tab;
  if (tab === 'renewal' && !wb.renewalLoaded) loadRenewal();
  // The renewal units are drawn while their tab is open.
  if (wb.map && before !== tab) setTimeout(() => { wb.map.invalidateSize(); if ((before === 'renewal') !== (tab === 'renewal')) refresh(); }, 50);
}
