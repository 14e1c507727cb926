// The trajectory strip: the plan's path, the stock, and the supply scenarios and target
// programme run, in the trajectory chart's colours (/api/style).
import { wb } from './state.js';
import { api } from './api.js';
import { $, el, num, m2, pct, errorBox } from './dom.js';

// The largest 1, 2 or 5 × 10ⁿ that is at most `x`: the axis step.
function niceStep(x) {
  const e = Math.pow(10, Math.floor(Math.log10(x)));
  return [5, 2, 1].map((f) => f * e).find((v) => v <= x) || e;
}
export function drawTrajectory(scenarios) {
  api('/api/trajectory').then((t) => {
    wb.trajectory = t;
    const svg = $('trajectory-chart');
    const w = svg.clientWidth || 900, h = svg.clientHeight || 110;
    const ns = 'http://www.w3.org/2000/svg';
    const make = (tag, attrs, text) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text) e.textContent = text; return e; };
    svg.replaceChildren();
    svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    const years = [t.baseline.year, ...t.milestones.map((m) => m.year), t.as_of_year];
    const series = scenarios || [];
    for (const s of series) for (const y of s.years) years.push(y.year);
    const y0 = Math.min(...years), y1 = Math.max(...years);
    const top = Math.max(...t.milestones.map((m) => m.target_m2), t.stock_m2, ...series.flatMap((s) => s.years.map((y) => y.stock_m2 || 0))) * 1.08;
    const x = (year) => 60 + (year - y0) / Math.max(1, y1 - y0) * (w - 170);
    const y = (v) => h - 22 - v / top * (h - 34);
    const style = wb.style.trajectory;
    for (let year = y0; year <= y1; year++) svg.append(make('text', { x: x(year), y: h - 6, 'text-anchor': 'middle', class: 'year' }, String(year)));
    const step = niceStep(top / 2.5);
    for (let v = step; v < top; v += step) {
      svg.append(make('line', { x1: 60, x2: w - 30, y1: y(v), y2: y(v), stroke: style.grid }));
      svg.append(make('text', { x: 56, y: y(v) + 3, 'text-anchor': 'end', class: 'value' }, `${num(v / 1e6, v % 1e6 ? 1 : 0)} M m²`));
    }
    const path = [t.baseline, ...t.milestones.map((m) => ({ year: m.year, floor_area_m2: m.target_m2 }))];
    svg.append(make('polyline', { points: path.map((p) => `${x(p.year)},${y(p.floor_area_m2)}`).join(' '), fill: 'none', stroke: style.target.colour, 'stroke-width': style.target.width }));
    for (const p of path) {
      svg.append(make('circle', { cx: x(p.year), cy: y(p.floor_area_m2), r: style.target_marker_radius, fill: style.target.colour }));
      svg.append(make('text', { x: x(p.year) + 6, y: y(p.floor_area_m2) - 5, class: 'target' }, `${p.year}: ${num(p.floor_area_m2)} m²`));
    }
    const palette = style.series;
    series.forEach((s, k) => {
      const pts = s.years.filter((p) => p.stock_m2 !== null).map((p) => `${x(p.year)},${y(p.stock_m2)}`).join(' ');
      svg.append(make('polyline', { points: pts, fill: 'none', stroke: palette[k % palette.length], 'stroke-width': style.series_width, 'stroke-dasharray': style.series_dash }));
    });
    svg.append(make('circle', { cx: x(t.as_of_year), cy: y(t.stock_m2), r: style.stock_legend_radius, fill: style.stock }));
    svg.append(make('text', { x: x(t.as_of_year) + 8, y: y(t.stock_m2) + 12, class: 'stock' }, `stock ${t.as_of_year}: ${num(t.stock_m2)} m²`));
    const text = $('trajectory-text');
    text.replaceChildren(el('b', {}, 'Tech-cultivation space 科技培育空间'),
      el('div', {}, `stock ${t.as_of_year}: ${m2(t.stock_m2)} (occupied ${m2(t.occupied_m2)})`),
      ...t.milestones.map((m) => el('div', { 'data-year': m.year }, `${m.year} target ${m2(m.target_m2)}: ${pct(m.share)} reached, gap ${m2(m.gap_m2)}`)),
      ...series.map((s, k) => el('div', { style: `color:${palette[k % palette.length]}` }, `– – ${s.name}`)));
  }).catch((e) => $('trajectory-text').replaceChildren(errorBox(e)));
}
// The supply scenarios run and the target programme, drawn over the plan's path.
export function trajectorySeries() {
  const series = wb.supply ? [...wb.supply.scenarios] : [];
  if (wb.target) series.push({ name: 'Optimised programme 优化供给方案 (Target tab)', years: wb.target.summary.stock_by_year });
  return series;
}
window.addEventListener('resize', () => drawTrajectory(trajectorySeries()));
