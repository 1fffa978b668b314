// The dashboard: one page, sections chosen by the URL hash. Plain JS against the server's own JSON
// routes (/list, /alive, /activate, /metrics, the predict entry points and /ui/api/*); no framework.
import { gaugeValue, liveStats, parsePrometheus, routeTotals } from './prom-text.js';

const LIVE_INTERVAL_MS = 3000;
const state = { info: undefined, list: undefined, live: undefined, liveTimer: undefined };

// ---- HTTP --------------------------------------------------------------------------------------

function authHeaders() {
  const header = sessionStorage.getItem('pld-auth-header');
  const value = sessionStorage.getItem('pld-auth-value');
  return header && value ? { [header]: value } : {};
}

/** fetch with the tab's credentials; JSON answers are parsed, errors become Error with the server's message. */
async function request(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { accept: 'application/json', ...authHeaders(), ...(options.headers ?? {}) } });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const meta = typeof body === 'object' && body !== null ? (body.metadata ?? body.error ?? body) : {};
    const error = new Error(meta.error_message ?? meta.message ?? `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.code = meta.error_type ?? meta.code;
    error.body = body;
    throw error;
  }
  return body;
}

// ---- Small DOM helpers -------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Number.POSITIVE_INFINITY)) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

function replace(id, ...children) {
  document.getElementById(id).replaceChildren(...children);
}

function banner(message, kind = 'info') {
  const node = document.getElementById('banner');
  node.textContent = message;
  node.className = kind === 'error' ? 'banner error' : 'banner';
  node.hidden = !message;
}

function errorState(error, what) {
  const hint = error.status === 401 || error.status === 403 ? ' Enter credentials under "Credentials" if the server requires them.' : '';
  return el('p', { class: 'empty', role: 'alert' }, `Could not load ${what}: ${error.message}${error.code ? ` (${error.code})` : ''}.${hint}`);
}

const fmt = {
  num: (value, digits = 4) => (typeof value === 'number' && Number.isFinite(value) ? String(Number(value.toFixed(digits))) : '–'),
  time: (iso) => (iso ? new Date(iso).toLocaleString() : '–'),
  bytes: (n) => (typeof n !== 'number' ? '–' : n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`),
  seconds: (s) => (typeof s !== 'number' ? '–' : s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`),
  ms: (s) => (typeof s !== 'number' ? '–' : `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms`),
  // Set parameters only (null is the estimator's default), so the table stays narrow.
  params: (params) =>
    params
      ? Object.entries(params)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => `${k}=${fmt.json(v)}`)
          .join(', ')
      : '–',
  json: (value) => (value === undefined ? '–' : typeof value === 'object' ? JSON.stringify(value) : String(value)),
};

function confirmAction(text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

// ---- Data --------------------------------------------------------------------------------------

async function loadInfo() {
  try {
    state.info = await request('/ui/api/services');
  } catch (error) {
    state.info = { admin: false, metrics: true, services: [], error };
  }
}

async function loadList() {
  state.list = await request('/list');
  return state.list;
}

function activeVersion() {
  const active = state.list?.properties?.['active-model'];
  return active === undefined ? undefined : Number(active);
}

// ---- Models ------------------------------------------------------------------------------------

async function showModels() {
  const admin = state.info?.admin;
  replace(
    'models-mode',
    admin
      ? 'Admin mode: activate, roll back and delete are on (guarded by the activate_decorators hooks).'
      : 'Read-only: add "activate" to the config\'s server.routes to activate, roll back and delete versions here.',
  );
  let list;
  try {
    list = await loadList();
  } catch (error) {
    replace('models-body', errorState(error, 'the model list'));
    replace('history-body');
    return;
  }
  if (list.models.length === 0) {
    replace(
      'models-body',
      el(
        'div',
        { class: 'empty' },
        el('p', {}, 'No model yet. Fit and activate the first version with:'),
        el('pre', {}, el('code', {}, 'pld fit --config config.json')),
        el('p', { class: 'muted' }, 'then reload this page.'),
      ),
    );
    replace('history-body', el('p', { class: 'muted' }, 'No activations yet.'));
    return;
  }
  const active = activeVersion();
  const rows = [...list.models].reverse().map((m) => modelRow(m, m.version === active, admin));
  const rollback = admin
    ? el('p', {}, el('button', { type: 'button', id: 'rollback', onclick: () => doRollback(), disabled: !canRollBack() }, 'Roll back to the previous version'))
    : undefined;
  replace(
    'models-body',
    rollback,
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { id: 'models-table' },
        el('caption', { class: 'muted small' }, `${list.models.length} version(s); active: ${active ?? 'none'}`),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ['Version', 'Status', 'Score (train)', 'Score (test)', 'CV score', 'Parameters', 'Data', 'Trained', 'Fit time', 'Size', 'Actions'].map((h) =>
              el('th', { scope: 'col' }, h),
            ),
          ),
        ),
        el('tbody', {}, rows),
      ),
    ),
  );
  replace('history-body', historyTable(list.history));
}

function canRollBack() {
  const active = activeVersion();
  const record = state.list?.history?.findLast((entry) => entry.version === active);
  return record !== undefined && record.previous !== null;
}

function modelRow(m, isActive, admin) {
  const data = m.data ? `${m.data.rows} rows × ${m.data.columns.length} cols, ${m.data.hash.slice(0, 12)}` : '–';
  const actions =
    admin && !isActive
      ? el(
          'div',
          { class: 'actions' },
          el('button', { type: 'button', class: 'primary', 'data-activate': m.version, onclick: () => doActivate(m.version) }, `Activate ${m.version}`),
          el('button', { type: 'button', class: 'danger', 'data-delete': m.version, onclick: () => doDelete(m.version) }, `Delete ${m.version}`),
        )
      : '';
  return el(
    'tr',
    { class: isActive ? 'active' : undefined, 'data-version': m.version },
    el('th', { scope: 'row' }, String(m.version)),
    el('td', {}, isActive ? el('span', { class: 'badge' }, 'active') : ''),
    el('td', { class: 'num' }, fmt.num(m.score_train)),
    el('td', { class: 'num' }, fmt.num(m.score_test)),
    el('td', { class: 'num' }, fmt.num(m.best_score)),
    el('td', { class: 'params' }, el('code', {}, fmt.params(m.params))),
    el('td', { title: m.data?.hash ?? '' }, data),
    el('td', {}, fmt.time(m.train_timestamp)),
    el('td', { class: 'num' }, fmt.seconds(m.fit_duration)),
    el('td', { class: 'num' }, fmt.bytes(m.size)),
    el('td', {}, actions),
  );
}

function historyTable(history) {
  if (history === undefined) return el('p', { class: 'muted' }, 'This model store keeps no activation history.');
  if (history.length === 0) return el('p', { class: 'muted' }, 'No activations yet.');
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { id: 'history-table' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['When', 'Version', 'Previous', 'By', 'Via'].map((h) => el('th', { scope: 'col' }, h)),
        ),
      ),
      el(
        'tbody',
        {},
        [...history]
          .reverse()
          .map((h) =>
            el('tr', {}, el('td', {}, fmt.time(h.at)), el('td', {}, String(h.version)), el('td', {}, h.previous ?? '–'), el('td', {}, h.by ?? '–'), el('td', {}, h.via ?? '–')),
          ),
      ),
    ),
  );
}

async function adminAction(question, action, done) {
  if (!(await confirmAction(question))) return;
  try {
    const message = await action();
    banner(typeof message === 'string' ? message : done);
  } catch (error) {
    banner(`${error.message}${error.code ? ` (${error.code})` : ''}`, 'error');
  }
  await showModels();
}

function doActivate(version) {
  return adminAction(
    `Activate version ${version}? The server will answer predictions with it right away.`,
    () => request('/activate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model_version: String(version) }) }),
    `Version ${version} is active.`,
  );
}

function doRollback() {
  return adminAction(
    'Roll back to the version that was active before the current one?',
    async () => {
      const result = await request('/ui/api/rollback', { method: 'POST' });
      return `Rolled back from version ${result.from} to version ${result.version}.`;
    },
    'Rolled back.',
  );
}

function doDelete(version) {
  return adminAction(
    `Delete version ${version} from the store? This cannot be undone.`,
    () => request(`/ui/api/models/${version}`, { method: 'DELETE' }),
    `Version ${version} deleted.`,
  );
}

// ---- Compare -----------------------------------------------------------------------------------

async function showCompare() {
  try {
    await loadList();
  } catch (error) {
    replace('compare-body', errorState(error, 'the model list'));
    return;
  }
  const models = state.list.models;
  if (models.length < 1) {
    replace('compare-body', el('p', { class: 'empty' }, 'No model yet: run pld fit, then come back to compare versions.'));
    return;
  }
  const a = document.getElementById('compare-a');
  const b = document.getElementById('compare-b');
  const keep = [a.value, b.value];
  for (const select of [a, b]) select.replaceChildren(...models.map((m) => el('option', { value: m.version }, `Version ${m.version}`)));
  a.value = keep[0] || String(models[Math.max(0, models.length - 2)].version);
  b.value = keep[1] || String(models[models.length - 1].version);
  renderCompare();
}

function renderCompare() {
  const find = (id) => state.list.models.find((m) => String(m.version) === document.getElementById(id).value);
  const ma = find('compare-a');
  const mb = find('compare-b');
  if (!ma || !mb) return;
  const keys = [
    ['score_train', (m) => fmt.num(m.score_train)],
    ['score_test', (m) => fmt.num(m.score_test)],
    ['best_score (CV)', (m) => fmt.num(m.best_score)],
    ...[...new Set([...Object.keys(ma.scores ?? {}), ...Object.keys(mb.scores ?? {})])].map((k) => [`scores.${k}`, (m) => fmt.num(m.scores?.[k])]),
    ['factory', (m) => m.factory ?? '–'],
    ...[...new Set([...Object.keys(ma.params ?? {}), ...Object.keys(mb.params ?? {})])].map((k) => [`params.${k}`, (m) => fmt.json(m.params?.[k])]),
    ['data', (m) => (m.data ? `${m.data.rows} rows, ${m.data.hash.slice(0, 12)}` : '–')],
    ['train_timestamp', (m) => fmt.time(m.train_timestamp)],
    ['fit_duration', (m) => fmt.seconds(m.fit_duration)],
    ['size', (m) => fmt.bytes(m.size)],
  ];
  const table = el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { id: 'compare-table' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Field'), el('th', { scope: 'col' }, `Version ${ma.version}`), el('th', { scope: 'col' }, `Version ${mb.version}`))),
      el(
        'tbody',
        {},
        keys.map(([name, get]) => {
          const [va, vb] = [get(ma), get(mb)];
          return el('tr', { class: va !== vb ? 'diff' : undefined }, el('th', { scope: 'row' }, name), el('td', {}, va), el('td', {}, vb));
        }),
      ),
    ),
  );
  const plots = [ma, mb].filter((m, i, all) => Array.isArray(m.cv_results) && all.indexOf(m) === i).map(cvPlots);
  replace(
    'compare-body',
    table,
    ...(plots.length ? plots : [el('p', { class: 'muted' }, 'Neither version has grid-search results (cv_results); pld grid-search --persist-best stores them.')]),
  );
}

/** One small SVG per parameter: mean test score of each grid-search candidate against the parameter's value. */
function cvPlots(model) {
  const records = model.cv_results.filter((r) => r && typeof r.params === 'object' && typeof r.mean_test_score === 'number');
  const names = [...new Set(records.flatMap((r) => Object.keys(r.params)))];
  return el(
    'div',
    {},
    el('h3', {}, `Grid search of version ${model.version}: mean test score per parameter`),
    el(
      'div',
      { class: 'plots' },
      names.map((name) => el('figure', { class: 'plot' }, scatter(records, name), el('figcaption', { class: 'small' }, name))),
    ),
  );
}

function scatter(records, name) {
  const W = 320;
  const H = 200;
  const pad = { l: 48, r: 12, t: 12, b: 32 };
  const points = records.filter((r) => name in r.params).map((r) => ({ x: r.params[name], y: r.mean_test_score }));
  const numeric = points.every((p) => typeof p.x === 'number');
  const categories = numeric ? [] : [...new Set(points.map((p) => JSON.stringify(p.x)))];
  const xs = numeric ? points.map((p) => p.x) : points.map((p) => categories.indexOf(JSON.stringify(p.x)));
  const ys = points.map((p) => p.y);
  const span = (values) => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    // A margin, so points on the extremes are not drawn on the axes.
    const margin = lo === hi ? 0.5 : (hi - lo) * 0.08;
    return [lo - margin, hi + margin];
  };
  const [x0, x1] = numeric ? span(xs) : [-0.5, Math.max(categories.length - 0.5, 0.5)];
  const [y0, y1] = span(ys);
  const sx = (x) => pad.l + ((x - x0) / (x1 - x0)) * (W - pad.l - pad.r);
  const sy = (y) => H - pad.b - ((y - y0) / (y1 - y0)) * (H - pad.t - pad.b);
  const NS = 'http://www.w3.org/2000/svg';
  const svg = (tag, attrs, text) => {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Mean test score against ${name}` });
  root.append(svg('title', {}, `Mean test score against ${name}`));
  root.append(svg('line', { x1: pad.l, y1: H - pad.b, x2: W - pad.r, y2: H - pad.b, stroke: '#56606b' }));
  root.append(svg('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: H - pad.b, stroke: '#56606b' }));
  root.append(svg('text', { x: 4, y: pad.t + 8, 'font-size': 10, fill: '#1d2228' }, fmt.num(y1, 3)));
  root.append(svg('text', { x: 4, y: H - pad.b, 'font-size': 10, fill: '#1d2228' }, fmt.num(y0, 3)));
  const ticks = numeric ? [...new Set(xs)].sort((a, b) => a - b) : categories.map((_, i) => i);
  for (const t of ticks.slice(0, 12)) {
    root.append(svg('text', { x: sx(t), y: H - pad.b + 14, 'font-size': 10, 'text-anchor': 'middle', fill: '#1d2228' }, numeric ? fmt.num(t, 3) : categories[t]));
  }
  points.forEach((p, i) => {
    root.append(svg('circle', { cx: sx(xs[i]), cy: sy(p.y), r: 4, fill: '#0a5cad', 'fill-opacity': 0.7 }));
  });
  return root;
}

// ---- Live --------------------------------------------------------------------------------------

async function refreshLive() {
  try {
    const alive = await request('/alive').catch((error) => error.body);
    const version = alive?.model?.metadata?.version;
    document.getElementById('live-version').textContent = version === undefined ? 'none (no model loaded)' : String(version);
  } catch {
    document.getElementById('live-version').textContent = 'unknown';
  }
  if (state.info && state.info.metrics === false) {
    replace(
      'live-body',
      el(
        'p',
        { class: 'empty' },
        'Metrics are off on this server (metrics: false in the config), so there is nothing to show. Remove that setting to see request rates and latencies here.',
      ),
    );
    return;
  }
  let text;
  try {
    text = await request('/metrics', { headers: { accept: 'text/plain' } });
  } catch (error) {
    replace('live-body', error.status === 404 ? el('p', { class: 'empty' }, 'Metrics are off on this server (no /metrics route).') : errorState(error, 'the metrics'));
    return;
  }
  const samples = parsePrometheus(text);
  const now = performance.now();
  const totals = routeTotals(samples);
  const previous = state.live;
  state.live = { totals, at: now };
  const rows = liveStats(previous?.totals, totals, previous ? (now - previous.at) / 1000 : 0);
  const gauge = gaugeValue(samples, 'pld_model_active_version');
  if (gauge !== undefined) document.getElementById('live-version').textContent = String(gauge);
  document.getElementById('live-updated').textContent =
    `updated ${new Date().toLocaleTimeString()}, every ${LIVE_INTERVAL_MS / 1000} s${previous ? '' : ' (first scrape: totals since start)'}`;
  const entryPoints = new Set((state.info?.services ?? []).map((s) => s.entry_point));
  // The dashboard's own files and API calls would only show this page's polling.
  const shown = rows.filter((r) => r.route !== '/ui' && !r.route.startsWith('/ui/'));
  shown.sort((x, y) => Number(entryPoints.has(y.route)) - Number(entryPoints.has(x.route)));
  replace(
    'live-body',
    shown.length === 0
      ? el('p', { class: 'empty' }, 'No requests yet.')
      : el(
          'div',
          { class: 'table-wrap' },
          el(
            'table',
            { id: 'live-table' },
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ['Route', 'Requests', 'Req/s', 'p50', 'p95', 'p99', 'Error rate'].map((h) => el('th', { scope: 'col' }, h)),
              ),
            ),
            el(
              'tbody',
              {},
              shown.map((r) =>
                el(
                  'tr',
                  { 'data-route': r.route },
                  el('th', { scope: 'row' }, r.route, entryPoints.has(r.route) ? el('span', { class: 'muted small' }, ' (predict)') : ''),
                  el('td', { class: 'num' }, String(r.requests)),
                  el('td', { class: 'num' }, r.rps === undefined ? '–' : r.rps.toFixed(2)),
                  el('td', { class: 'num' }, fmt.ms(r.p50)),
                  el('td', { class: 'num' }, fmt.ms(r.p95)),
                  el('td', { class: 'num' }, `${(r.errorRate * 100).toFixed(1)} %`),
                ),
              ),
            ),
          ),
        ),
  );
}

function startLive() {
  stopLive();
  state.live = undefined;
  state.liveTimer = setInterval(refreshLive, LIVE_INTERVAL_MS);
  // The section counts as shown once the first scrape is on screen.
  return refreshLive();
}

function stopLive() {
  if (state.liveTimer !== undefined) clearInterval(state.liveTimer);
  state.liveTimer = undefined;
}

// ---- Try it ------------------------------------------------------------------------------------

function showTry() {
  const info = state.info;
  if (info?.error) {
    replace('try-body', errorState(info.error, 'the predict services'));
    return;
  }
  if (!info || info.services.length === 0) {
    replace('try-body', el('p', { class: 'empty' }, 'This config has no predict service (add predict_service with a mapping).'));
    return;
  }
  replace('try-body', ...info.services.map(serviceForm));
}

function serviceForm(service, index) {
  const out = el('pre', { 'aria-live': 'polite', 'data-output': service.entry_point }, 'The answer appears here.');
  const inputs = service.mapping.map(([field, type], i) => {
    const id = `try-${index}-${i}`;
    const numeric = type !== 'str';
    return [
      el('label', { for: id }, `${field} `, el('span', { class: 'muted small' }, `(${type})`)),
      el('input', { id, name: field, type: numeric ? 'number' : 'text', step: type === 'int' ? '1' : numeric ? 'any' : undefined, required: true }),
    ];
  });
  const form = el(
    'form',
    {
      class: 'try-form',
      'data-entry-point': service.entry_point,
      onsubmit: async (event) => {
        event.preventDefault();
        const query = new URLSearchParams(new FormData(event.target));
        out.textContent = 'Predicting…';
        try {
          out.textContent = JSON.stringify(await request(`${service.entry_point}?${query}`), null, 2);
        } catch (error) {
          out.textContent = JSON.stringify(error.body ?? { error: error.message }, null, 2);
        }
      },
    },
    inputs,
    el('button', { type: 'submit', class: 'primary' }, 'Predict'),
  );
  return el('div', {}, el('h3', {}, el('code', {}, `GET ${service.entry_point}`)), form, out);
}

// ---- Routing -----------------------------------------------------------------------------------

const SECTIONS = { models: showModels, compare: showCompare, live: startLive, try: showTry };

async function route() {
  const name = location.hash.slice(1) in SECTIONS ? location.hash.slice(1) : 'models';
  for (const page of document.querySelectorAll('[data-page]')) page.hidden = page.id !== name;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.section === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (name !== 'live') stopLive();
  banner('');
  await SECTIONS[name]();
  document.body.dataset.ready = name;
}

async function main() {
  const form = document.getElementById('auth-form');
  form.header.value = sessionStorage.getItem('pld-auth-header') ?? 'x-api-key';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    sessionStorage.setItem('pld-auth-header', form.header.value.trim());
    sessionStorage.setItem('pld-auth-value', form.value.value);
    await loadInfo();
    await route();
  });
  for (const id of ['compare-a', 'compare-b']) document.getElementById(id).addEventListener('change', renderCompare);
  await loadInfo();
  request('/alive')
    .catch((error) => error.body)
    .then((alive) => {
      const name = alive?.service_metadata?.service_name;
      if (typeof name === 'string') document.getElementById('service-name').textContent = name;
    });
  window.addEventListener('hashchange', route);
  await route();
}

main();
