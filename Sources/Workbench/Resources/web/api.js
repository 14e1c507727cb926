// The server's JSON API: one fetch wrapper and one way to follow an analysis run to its end.

// GET (or `options`) a path; JSON answers are parsed; an error answer throws its message and details.
export async function api(path, options) {
  const response = await fetch(path, options);
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    const error = new Error(message);
    error.details = (body && body.errors) || [];
    throw error;
  }
  return body;
}

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
