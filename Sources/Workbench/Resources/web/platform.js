// The platform (docs/platform.md) on the page: logging in and out, who is logged in, each role's
// tabs, and the live feed that fetches again what the page shows when the published district
// changes. On a read-only server (serve --data) none of it shows: GET /api/session answers 404.
import { wb } from './state.js';
import { api, send, useSession, onUnauthorized } from './api.js';
import { $, el } from './dom.js';
import { reloadMap } from './map.js';
import { reinspect } from './inspector.js';
import { drawTrajectory, trajectorySeries } from './trajectory.js';
import { setUpMyCarriers, reloadMyCarriers } from './mycarriers.js';
import { setUpApplications, reloadApplications } from './applications.js';
import { setUpMatching, reloadMatching } from './matching.js';

// The tabs each role has besides the map and the analyses.
const ROLE_TABS = { operator: ['carriers'], bureau: ['carriers', 'matching'], applicant: ['apply'] };

// Before the page starts: who is logged in. Resolves at once on a read-only server and on one
// anyone may read (--public-read), otherwise after a good login.
export async function startSession() {
  try { signedIn(await api('/api/session')); return; } catch (e) {
    if (e.status === 404) return;  // serve --data: no people, no login
    if (e.status !== 401) throw e;
  }
  wb.platform = true;
  try { await api('/api/config'); wb.publicRead = true; return; } catch (e) { if (e.status !== 401) throw e; }
  await logIn();
}

function signedIn(session) {
  wb.platform = true;
  wb.session = session;
  if (session.public_read !== undefined) wb.publicRead = session.public_read;
  useSession(session.csrf_token);
}

// After the page has started: the person in the header, the role's tabs, the live feed.
export function setUpPlatform() {
  if (!wb.platform) return;
  wb.started = true;
  onUnauthorized(() => { if ($('login').hidden) logIn('The session has ended: log in again. 请重新登录。'); });
  $('login-cancel').addEventListener('click', () => { $('login').hidden = true; });
  const role = wb.session ? wb.session.person.role : null;
  const tabs = ROLE_TABS[role] || [];
  for (const b of document.querySelectorAll('#tabs button[data-role-tab]')) b.hidden = !tabs.includes(b.dataset.tab);
  const p = wb.session && wb.session.person;
  $('who').replaceChildren(...(p
    ? [el('span', { id: 'who-name' }, `${p.name} · ${p.role}`), ' ', el('button', { class: 'small', id: 'logout', onclick: logOut }, 'Log out 退出')]
    : [el('a', { href: '#', id: 'login-link', onclick: (ev) => { ev.preventDefault(); logIn(); } }, 'Log in 登录')]));
  if (tabs.includes('carriers')) setUpMyCarriers();
  if (tabs.includes('apply')) setUpApplications();
  if (tabs.includes('matching')) setUpMatching();
  follow();
}

// Shows the login form; resolves after a good login.
function logIn(message = '') {
  $('login').hidden = false;
  $('login-cancel').hidden = !(wb.started && !wb.session);
  $('login-error').textContent = message;
  $('login-name').focus();
  return new Promise((resolve) => { wb.loggedIn = resolve; });
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('login-button').disabled = true;
  try {
    const session = await send('POST', '/api/session', { name: $('login-name').value.trim(), password: $('login-password').value });
    $('login-password').value = '';
    // Someone else now (or someone where no one was): the page starts again as that person.
    if (wb.started && (!wb.session || wb.session.person.name !== session.person.name)) { location.reload(); return; }
    signedIn(session);
    $('login').hidden = true;
    wb.loggedIn();
  } catch (e) {
    $('login-error').textContent = e.message;
  } finally {
    $('login-button').disabled = false;
  }
});

async function logOut() {
  try { await api('/api/session', { method: 'DELETE' }); } finally { location.reload(); }
}

// The live feed: every second the store's changes since the last look (GET /api/changes); when
// the published district moves on, everything shown is fetched again, so each person sees the
// others' edits within two seconds.
async function follow() {
  const began = Date.now();
  try {
    // The first look asks only where things stand, not the whole history.
    const c = await api(wb.live ? `/api/changes?after=${wb.live.after}` : '/api/changes');
    const moved = wb.live && c.published > wb.live.published;
    wb.live = { after: c.last, published: Math.max(c.published, wb.live ? wb.live.published : 0) };
    if (moved) reloadAll();
  } catch (e) { /* a 401 shows the login form; anything else: the next look tries again */ }
  setTimeout(follow, Math.max(0, 1000 - (Date.now() - began)));
}

function reloadAll() {
  return Promise.allSettled([reloadMap(), reinspect(), drawTrajectory(trajectorySeries()),
    reloadMyCarriers(), reloadApplications(), reloadMatching()]);
}
