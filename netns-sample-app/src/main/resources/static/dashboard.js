// netns dashboard: plain JavaScript over the sample's REST API (/api/namespaces), its stream of
// namespaces added and deleted (/api/namespaces/events, server-sent events) and the Actuator netns
// endpoint (/actuator/netns). No build step: this file is served as it is.
// While the stream is open the list follows its events and is not polled; the panels (handles,
// executors, threads, metrics) are still read every REFRESH_MS. When the stream drops, the whole
// page is polled until it is back.
'use strict';

const REFRESH_MS = 2000;
const MAX_DETAILED = 12; // namespaces whose interfaces are listed each refresh (a short-lived thread each)
const METRIC_POINTS = 60; // samples kept for the metrics panel: two minutes at one per refresh
const NAME_HINT = "Use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.";

const $ = (id) => document.getElementById(id);
const RESUBSCRIBE_MS = 5000; // after a refused or failed stream, the next try
const EVENT_SETTLE_MS = 150; // events in a burst are read with one refresh
const state = { list: null, netns: null, interfaces: new Map(), filter: '', timer: null, armed: null,
  stream: null, live: false, events: [], settle: null,
  metrics: { last: null, series: { rate: [], latency: [], errors: [], leaks: [] } } };
const ARM_MS = 5000; // how long a Delete button waits for its confirming click

function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const title = data && data.title ? data.title : response.status + ' ' + response.statusText;
    const error = new Error(title + (data && data.detail ? ': ' + data.detail : ''));
    error.status = response.status;
    throw error;
  }
  return data;
}

// Replaces an element's content only when it changed: no DOM churn every refresh, so a click or
// a text selection is not lost to a redraw that shows the same thing.
function setHtml(id, html) {
  const element = $(id);
  if (element.dataset.html !== html) {
    element.innerHTML = html;
    element.dataset.html = html;
  }
}

function say(text, isError) {
  const box = $('message');
  box.textContent = text;
  box.className = isError ? 'error' : '';
  box.hidden = false;
}

// A new action makes the last message stale, an error above all: it goes before the action runs.
function clearMessage() {
  const box = $('message');
  box.hidden = true;
  box.textContent = '';
  box.className = '';
}

// --- what to show ---------------------------------------------------------------------------

function entries(list) {
  const all = [{ kind: 'host', title: 'host', reference: 'host', sub: 'this JVM\'s own namespace ' + list.host }];
  for (const n of list.named) {
    all.push({ kind: 'named', title: n.name, reference: n.reference, sub: n.namespace ? 'namespace ' + n.namespace : 'cannot be opened',
      name: n.name, hostInterface: n.hostInterface, echo: n.echo });
  }
  for (const c of list.containers.items) {
    all.push({ kind: 'container', title: c.name, reference: c.reference, sub: c.image + ' · ' + c.id });
  }
  for (const a of list.aliases) {
    all.push({ kind: 'alias', title: a.alias, reference: a.alias, sub: 'alias of ' + a.reference });
  }
  return all;
}

function matches(entry) {
  const f = state.filter.trim().toLowerCase();
  return !f || entry.title.toLowerCase().includes(f) || entry.reference.toLowerCase().includes(f);
}

// --- rendering --------------------------------------------------------------------------------

function renderInterfaces(entry) {
  const result = state.interfaces.get(entry.reference);
  if (!result) {
    return '<p class="muted">loading interfaces…</p>';
  }
  if (result.error) {
    return '<p class="error-text">' + esc(result.error) + '</p>';
  }
  const rows = result.interfaces.map((link) => {
    const status = link.up ? (link.lowerUp || link.name === 'lo' ? 'up' : 'unknown') : 'down';
    const label = link.up ? (link.lowerUp || link.name === 'lo' ? 'UP' : 'NO-CARRIER') : 'DOWN';
    const addresses = link.addresses.length
      ? link.addresses.map((a) => '<div>' + esc(a.address).replace(/:/g, ':<wbr>') + '/' + a.prefixLength + (a.scope !== 'global' && a.scope !== 'link' ? ' <span class="muted">' + esc(a.scope) + '</span>' : '') + '</div>').join('')
      : '<span class="muted">no address</span>';
    const mac = link.mac && link.mac !== '00:00:00:00:00:00' ? '<div class="mac">' + esc(link.mac) + '</div>' : '';
    return '<tr data-interface="' + esc(link.name) + '"><td><b>' + esc(link.name) + '</b>' + mac + '</td><td><span class="state ' + status + '">' + label
      + '</span></td><td>' + link.mtu + '</td><td class="addr">' + addresses + '</td></tr>';
  }).join('');
  return '<table><thead><tr><th>interface</th><th>state</th><th>mtu</th><th>addresses</th></tr></thead><tbody>' + rows + '</tbody></table>';
}

function renderCard(entry) {
  const badges = ['<span class="badge kind">' + esc(entry.kind) + '</span>'];
  if (entry.hostInterface) {
    badges.push('<span class="badge veth">veth ↔ host ' + esc(entry.hostInterface) + '</span>');
  }
  if (entry.echo) {
    badges.push('<span class="badge echo">echo :' + entry.echo.port + ' · ' + entry.echo.connections + ' open · ' + entry.echo.served + ' served</span>');
  }
  const actions = [];
  if (entry.kind === 'named') {
    actions.push(entry.echo
      ? '<button class="secondary" data-action="echo-stop">Stop echo</button>'
      : '<button class="secondary" data-action="echo-start">Start echo :7</button>');
    const armed = state.armed && state.armed.reference === entry.reference && Date.now() - state.armed.at < ARM_MS;
    actions.push(armed ? '<button class="danger armed" data-action="delete">Confirm delete</button>'
      : '<button class="danger" data-action="delete">Delete</button>');
  }
  return '<article class="card kind-' + entry.kind + '" data-ref="' + esc(entry.reference) + '">'
    + '<div class="card-head"><div><div class="card-title">' + esc(entry.title) + '</div>'
    + '<div class="card-sub">' + esc(entry.sub) + '</div><div class="badges">' + badges.join('') + '</div></div>'
    + '<div class="card-actions">' + actions.join('') + '</div></div>'
    + renderInterfaces(entry) + '</article>';
}

function renderNamespaces() {
  const list = state.list;
  if (!list) {
    return;
  }
  const all = entries(list);
  const shown = all.filter(matches);
  const detailed = shown.slice(0, MAX_DETAILED);
  setHtml('cards', detailed.map(renderCard).join(''));
  $('shown-count').textContent = shown.length === all.length ? '(' + all.length + ')' : '(' + shown.length + ' of ' + all.length + ')';
  const rest = shown.slice(MAX_DETAILED);
  $('more').hidden = rest.length === 0;
  $('more').textContent = rest.length ? rest.length + ' more not shown: ' + rest.map((e) => e.title).join(', ') + '. Narrow the filter to see them.' : '';

  const select = $('probe-from');
  const chosen = select.value;
  setHtml('probe-from', all.map((e) => '<option value="' + esc(e.reference) + '">' + esc(e.title) + ' (' + esc(e.kind) + ')</option>').join(''));
  if (all.some((e) => e.reference === chosen)) {
    select.value = chosen;
  }
  return detailed;
}

function renderSummary() {
  const list = state.list;
  const netns = state.netns;
  if (list) {
    $('host-id').textContent = list.host;
    $('count-named').textContent = list.named.length;
    $('count-containers').textContent = list.containers.available ? list.containers.items.length : '–';
    const docker = $('docker-status');
    docker.textContent = list.containers.available ? 'Docker: ' + list.containers.items.length + ' running' : 'Docker: not available';
    docker.className = 'pill ' + (list.containers.available ? 'ok' : 'warn');
    docker.title = list.containers.error || '';
  }
  if (!netns) {
    return;
  }
  $('count-handles').textContent = netns.handles.length;
  $('count-executors').textContent = netns.executors.length;
  $('count-pinned').textContent = netns.executors.reduce((sum, e) => sum + e.threads, 0);
  $('count-strays').textContent = netns.strayThreads;
  $('stray-tile').className = 'tile ' + (netns.strayThreads > 0 ? 'alarm' : 'good');
  $('leaked').textContent = netns.leakedHandles ? '· ' + netns.leakedHandles + ' leaked' : '';

  setHtml('executors', netns.executors.length
    ? netns.executors.map((e) => '<tr><td title="' + esc(e.namespace) + '">' + esc(e.label) + '</td><td>' + e.threads + '</td><td>' + e.active
      + '</td><td>' + e.queued + '</td><td>' + e.completed + '</td><td>' + e.retired + '</td></tr>').join('')
    : '<tr><td colspan="6" class="muted">none: executors start with the first call into a namespace</td></tr>');

  const names = new Map();
  if (list) {
    for (const n of list.named) {
      if (n.namespace) names.set(n.namespace, n.name);
    }
  }
  setHtml('threads', netns.threads.map((group) => {
    const pinned = group.threads.filter((t) => t.pinnedWorker).length;
    const strays = group.threads.filter((t) => t.stray).length;
    const label = group.host ? 'host' : (names.get(group.namespace) || group.namespace);
    return '<tr class="' + (strays ? 'stray' : '') + '"><td title="' + esc(group.namespace) + '">' + esc(label) + '</td><td>' + group.threads.length
      + '</td><td>' + pinned + '</td><td>' + strays + '</td></tr>';
  }).join(''));
  const strayThreads = netns.threads.flatMap((group) => group.threads.filter((t) => t.stray).map((t) => t.name + ' (tid ' + t.tid + ') in ' + group.namespace));
  setHtml('stray-list', strayThreads.map((s) => '<li>' + esc(s) + '</li>').join(''));

  setHtml('handles', netns.handles.length
    ? netns.handles.map((h) => '<tr><td>' + h.fd + '</td><td class="mono">' + esc(h.source) + '</td><td>' + esc(age(h.age)) + '</td></tr>').join('')
    : '<tr><td colspan="3" class="muted">none open</td></tr>');
}

function age(duration) {
  // ISO-8601 durations as Jackson writes them (PT12.5S), or seconds as a number
  if (typeof duration === 'number') return Math.round(duration) + ' s';
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(String(duration));
  if (!m) return String(duration);
  const seconds = (+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0);
  return seconds >= 3600 ? Math.floor(seconds / 3600) + ' h' : seconds >= 60 ? Math.floor(seconds / 60) + ' min' : Math.round(seconds) + ' s';
}

// --- metrics -----------------------------------------------------------------------------------

// One Actuator meter's statistics by name ({COUNT: 3, TOTAL_TIME: 0.01, MAX: ...}); zeros when the
// meter does not exist yet (no call made, or no call with that tag).
async function meter(path) {
  try {
    const data = await api('GET', 'actuator/metrics/' + path);
    return Object.fromEntries(data.measurements.map((m) => [m.statistic, m.value]));
  } catch (e) {
    if (e.status === 404) {
      return {};
    }
    throw e;
  }
}

async function refreshMetrics() {
  const [execute, errors, leaked] = await Promise.all([
    meter('netns.execute'), meter('netns.execute?tag=outcome:error'), meter('netns.handles.leaked')]);
  const now = { at: Date.now(), count: execute.COUNT || 0, seconds: execute.TOTAL_TIME || 0, errors: errors.COUNT || 0,
    leaks: leaked.COUNT || 0 };
  const last = state.metrics.last;
  state.metrics.last = now;
  if (!last) {
    return;
  }
  const calls = Math.max(0, now.count - last.count);
  const point = {
    rate: calls / Math.max(0.001, (now.at - last.at) / 1000),
    latency: calls ? Math.max(0, now.seconds - last.seconds) * 1000 / calls : 0,
    errors: Math.max(0, now.errors - last.errors),
    leaks: now.leaks,
  };
  for (const [key, value] of Object.entries(point)) {
    const series = state.metrics.series[key];
    series.push(value);
    if (series.length > METRIC_POINTS) series.shift();
  }
  renderMetrics(point);
}

function sparkline(values) {
  const width = 150;
  const height = 28;
  const max = Math.max(...values, 1e-9);
  const step = width / Math.max(1, values.length - 1); // spans the width while the window fills
  const points = values.map((v, i) => (width - (values.length - 1 - i) * step).toFixed(1) + ',' + (height - 2 - (v / max) * (height - 4)).toFixed(1));
  return '<svg class="spark" viewBox="0 0 ' + width + ' ' + height + '" width="' + width + '" height="' + height + '" aria-hidden="true">'
    + '<rect width="' + width + '" height="' + height + '" rx="3"/><polyline points="' + points.join(' ') + '"/></svg>';
}

function renderMetrics(point) {
  const rows = [
    ['rate', 'executes', point.rate.toFixed(point.rate < 10 ? 1 : 0) + ' /s'],
    ['latency', 'mean latency', point.latency.toFixed(point.latency < 10 ? 2 : 0) + ' ms'],
    ['errors', 'errors', String(point.errors)],
    ['leaks', 'leaked handles', String(point.leaks)],
  ];
  setHtml('metrics', rows.map(([key, label, value]) => '<tr id="metric-' + key + '" data-points="' + state.metrics.series[key].length
    + '"><td>' + label + '</td><td class="value">' + esc(value) + '</td><td>' + sparkline(state.metrics.series[key]) + '</td></tr>').join(''));
}

// --- refreshing -------------------------------------------------------------------------------

function showStatus() {
  const status = $('refresh-status');
  status.textContent = state.live ? 'live · events' : 'polling · ' + new Date().toLocaleTimeString();
  status.className = 'pill ' + (state.live ? 'ok' : 'warn');
}

// The panels no event covers: handles, executors, threads, metrics.
async function refreshPanels() {
  try {
    state.netns = await api('GET', 'actuator/netns');
    renderSummary();
    await refreshMetrics().catch(() => null);
  } catch (e) {
    // the next tick tries again
  }
}

// A name added or deleted, from the stream: shown at once, its details read right after.
function onNamespaceEvent(event) {
  state.events.push(event);
  if (state.list) {
    const named = state.list.named.filter((n) => n.name !== event.name);
    if (event.kind === 'ADDED') {
      named.push({ name: event.name, reference: 'name:' + event.name, namespace: null });
      named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    state.list.named = named;
    renderNamespaces();
    $('count-named').textContent = named.length;
  }
  clearTimeout(state.settle);
  state.settle = setTimeout(refresh, EVENT_SETTLE_MS);
}

function subscribe() {
  if (!window.EventSource || state.stream) {
    return;
  }
  const source = new EventSource('api/namespaces/events');
  state.stream = source;
  source.addEventListener('ready', () => {
    state.live = true;
    showStatus();
    refresh(); // what changed while not subscribed
  });
  source.addEventListener('namespace', (message) => onNamespaceEvent(JSON.parse(message.data)));
  source.onerror = () => {
    state.live = false;
    showStatus();
    if (source.readyState === EventSource.CLOSED) { // refused (too many streams, stopping): try again later
      state.stream = null;
      setTimeout(subscribe, RESUBSCRIBE_MS);
    } // else EventSource reconnects by itself, and 'ready' comes again
  };
}

async function refresh() {
  try {
    const [list, netns] = await Promise.all([
      api('GET', 'api/namespaces'),
      api('GET', 'actuator/netns').catch(() => null),
    ]);
    state.list = list;
    state.netns = netns;
    const detailed = renderNamespaces() || [];
    renderSummary();
    const results = await Promise.all(detailed.map((entry) =>
      api('GET', 'api/namespaces/' + encodeURIComponent(entry.reference) + '/interfaces')
        .then((r) => [entry.reference, { interfaces: r.interfaces }])
        .catch((e) => [entry.reference, { error: e.message }])));
    state.interfaces = new Map(results);
    renderNamespaces();
    await refreshMetrics().catch(() => null); // the panel waits for the next refresh
    showStatus();
  } catch (e) {
    const status = $('refresh-status');
    status.textContent = 'refresh failed: ' + e.message;
    status.className = 'pill bad';
  }
}

function schedule() {
  clearTimeout(state.timer);
  state.timer = setTimeout(async () => {
    if (!document.hidden) {
      await (state.live ? refreshPanels() : refresh());
    }
    schedule();
  }, REFRESH_MS);
}

// --- actions ------------------------------------------------------------------------------

async function act(label, work) {
  clearMessage();
  try {
    const text = await work();
    say(text || label + ': done', false);
  } catch (e) {
    say(label + ' failed: ' + e.message, true);
  }
  await refresh();
}

$('create-veth').addEventListener('change', (event) => {
  $('create-host-address').disabled = !event.target.checked;
  $('create-ns-address').disabled = !event.target.checked;
});

// The browser's own message for a pattern mismatch says nothing of the rule: say it.
$('create-name').addEventListener('input', (event) => {
  const input = event.target;
  input.setCustomValidity('');
  if (input.validity.patternMismatch || input.validity.tooLong) {
    input.setCustomValidity('Invalid namespace name. ' + NAME_HINT);
  }
});

$('create-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('create-name').value.trim();
  const body = { name };
  if ($('create-veth').checked) {
    body.veth = { hostAddress: $('create-host-address').value.trim() || null, namespaceAddress: $('create-ns-address').value.trim() || null };
  }
  act('Create ' + name, async () => {
    const created = await api('POST', 'api/namespaces', body);
    $('create-name').value = '';
    return 'Created ' + created.name + ' (' + created.namespace + ')' + (created.hostInterface ? ' with veth ' + created.hostInterface + ' ↔ ' + created.namespaceInterface : '');
  });
});

$('cards').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) {
    return;
  }
  const reference = button.closest('.card').dataset.ref;
  const path = 'api/namespaces/' + encodeURIComponent(reference);
  const action = button.dataset.action;
  if (action === 'delete') {
    if (!button.classList.contains('armed')) {
      state.armed = { reference, at: Date.now() };
      button.classList.add('armed');
      button.textContent = 'Confirm delete';
      return; // a second click within ARM_MS deletes
    }
    state.armed = null;
    act('Delete ' + reference, async () => { await api('DELETE', path); return 'Deleted ' + reference; });
  } else if (action === 'echo-start') {
    act('Echo in ' + reference, async () => {
      const echo = await api('POST', path + '/echo', {});
      return 'Echo server listening on ' + echo.address + ' port ' + echo.port + ' inside ' + reference;
    });
  } else if (action === 'echo-stop') {
    act('Stop echo in ' + reference, async () => { await api('DELETE', path + '/echo'); return 'Echo server in ' + reference + ' stopped'; });
  }
});

$('probe-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const reference = $('probe-from').value;
  const body = { host: $('probe-host').value.trim(), port: Number($('probe-port').value) };
  const message = $('probe-message').value;
  if (message) {
    body.message = message;
  }
  const out = $('probe-result');
  clearMessage();
  out.hidden = false;
  out.textContent = 'probing…';
  try {
    const r = await api('POST', 'api/namespaces/' + encodeURIComponent(reference) + '/probe', body);
    out.textContent = (r.connected ? '✔ connected' : '✘ not connected') + ' from ' + r.reference + ' to ' + r.host + ':' + r.port
      + ' in ' + r.connectMillis + ' ms' + (r.received != null ? '\nreply: ' + r.received : '') + (r.error ? '\n' + r.error : '');
  } catch (e) {
    out.textContent = e.message;
  }
});

$('filter').addEventListener('input', (event) => {
  state.filter = event.target.value;
  const url = new URL(window.location.href);
  if (state.filter) url.searchParams.set('filter', state.filter); else url.searchParams.delete('filter');
  history.replaceState(null, '', url);
  refresh();
});

state.filter = new URLSearchParams(window.location.search).get('filter') || '';
$('filter').value = state.filter;
refresh().then(schedule);
subscribe();
