// The legend: the theme's sections as its SVG map draws them (/api/themes/{theme}), the
// generalised layers' ramps, and the analyses' layers drawn over the theme.
import { wb } from './state.js';
import { $, el, swatch } from './dom.js';
import { DYNAMIC } from './themes.js';

const entry = (colour, label, symbol, dash) => el('div', { class: 'legend-entry', 'data-colour': colour }, swatch(colour, symbol, dash), label);

export function drawLegend() {
  const box = $('legend');
  box.replaceChildren();
  const info = wb.themeInfo;
  if (info) {
    box.append(el('h3', {}, info.title));
    for (const s of info.sections || []) {
      box.append(el('div', { class: 'legend-section', 'data-layer': s.layer }, el('h4', {}, s.title),
        ...s.entries.map((e) => entry(e.colour, e.label, e.symbol, e.dash))));
    }
    if (info.note) box.append(el('div', { class: 'note' }, info.note));
  }
  for (const id of DYNAMIC) {
    const g = wb.generalised[id];
    if (wb.visible[id] && g && g.ramp) {
      box.append(el('h3', {}, g.label), el('div', { class: 'legend-entry' }, ...g.ramp.map((c) => swatch(c)), ' low → high'));
    }
  }
  if (wb.allocation && wb.visible.allocation) {
    box.append(el('h3', {}, 'Allocation 分配'), entry(wb.style.symbols.allocation, 'carrier with placed firms (area ∝ m² let)', 'circle'));
  }
  if (wb.target && wb.visible.target) {
    const used = new Set(wb.target.projects.map((p) => p.mode));
    box.append(el('h3', {}, 'Target programme 供给方案 (buildings by mode)'),
      ...wb.target.modes.filter((m) => used.has(m.id)).map((m) => entry(m.colour, m.label)));
  }
}
