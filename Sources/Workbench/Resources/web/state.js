// The page's state, one object shared by every module; window.workbench for the browser tests
// and for a curious planner's console.
export const wb = { config: null, style: null, map: null, layers: {}, data: {}, counts: {}, generalised: {}, theme: 'space',
                    visible: {}, allocation: null, renewalUnits: null, supply: null, scenarios: [], target: null, simulation: null,
                    platform: false, publicRead: false, session: null, live: null };
window.workbench = wb;
