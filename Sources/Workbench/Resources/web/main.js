// The workbench page: plain JavaScript modules over the server's JSON API and OGC API – Features.
// Colours, sizes and classes come from the server (GET /api/style, /api/themes/{theme}: the
// style the SVG maps are drawn in), never from these files.
import { wb } from './state.js';
import { api } from './api.js';
import { $, errorBox } from './dom.js';
import { setUpTabs } from './tabs.js';
import { setUpThemes } from './themes.js';
import { setUpMap } from './map.js';
import { drawTrajectory } from './trajectory.js';
import { setUpRenewal } from './renewal.js';
import { setUpSupply } from './supply.js';
import { setUpAllocation } from './allocation.js';
import { setUpTarget } from './target.js';
import { setUpSimulation } from './simulation.js';
import { startSession, setUpPlatform } from './platform.js';

async function start() {
  await startSession();  // on a platform server, after the login (docs/platform.md)
  [wb.config, wb.style] = await Promise.all([api('/api/config'), api('/api/style')]);
  const c = wb.config;
  $('district').textContent = `${c.name}${c.synthetic && !c.name.includes('synthetic') ? ' · synthetic data' : ''} · as of ${c.as_of_year}`;
  setUpTabs();
  setUpThemes();
  drawTrajectory();
  setUpRenewal();
  setUpSupply();
  setUpAllocation();
  setUpTarget();
  setUpSimulation();
  setUpPlatform();
  if (typeof L === 'undefined') {
    const m = $('map-message');
    m.hidden = false;
    m.append(errorBox(new Error(`Leaflet is not installed, so the map cannot be drawn: install Debian's libjs-leaflet (apt-get install libjs-leaflet); the server serves it from ${c.leaflet_path}. The analyses' tabs work without it.`)));
    return;
  }
  setUpMap();
}

start().catch((e) => { document.body.prepend(errorBox(e)); });
