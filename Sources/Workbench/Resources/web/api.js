// The server's JSON API: one fetch wrapper and one way to follow an analysis run to its end.

// On a platform server (docs/platform.md): the session's CSRF token, sent with every change, and
// what to do when the server answers 401 (show the login form).
let csrfToken = null;
let unauthorized = null;
export const useSession = (token) => { csrfToken = token; };
export const onUnauthorized = (handler) => { unauthorized = handler; };

// GET (or `options`) a path; JSON answers are parsed; an error answer throws its message and
// details, with its status and body. The page marks every request, so a 401 brings no browser
// password dialog.
export async function api(path, options = {}) {
  const method = (options.method || 'GET').toUpperCase();
  const headers = { 'X-Requested-With': 'spaceplan-page', ...(options.headers || {}) };
  if (csrfToken && !['GET', 'HEAD', 'OPTIONS'].includes(method)) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, { ...options, headers });
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    const error = Object.assign(new Error(message), { status: response.status, body, details: (body && body.errors) || [] });
    if (response.status === 401 && unauthorized) unauthorized(error);
    throw error;
  }
  return body;
}

// A JSON body sent with `method` (POST, PATCH, DELETE).
export const send = (method, path, body) => api(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

// Starts a run (POST `path` with `options`) and polls /api/runs/{id} while it runs, telling
// `progress` its latest stage; returns the finished run, throws a failed run's error.
export async function runJob(path, options = { method: 'POST' }, progress = () => {}) {
  let run = await api(path, options);
  while (run.status === 'running') {
    progress(run.stages.slice(-1)[0] || '', run);
    await new Promise((ok) => setTimeout(ok, 400));
    run = await api(`/api/runs/${run.id}`);
  }
  if (run.status === 'failed') throw Object.assign(new Error(run.error), { details: run.errors || [] });
  return run;
}
