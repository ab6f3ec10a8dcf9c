// The fleet dashboard: polls the operators' API every 2 s and redraws. No framework, no build step.
// Every value from the API is written with textContent, never as HTML: container names come from users.
(() => {
  'use strict';

  const STATUSES = ['HEALTHY', 'UNHEALTHY', 'RESTARTING', 'FAILED', 'UNKNOWN'];
  const SEVERITY = { FAILED: 0, RESTARTING: 1, UNHEALTHY: 2, UNKNOWN: 3, HEALTHY: 4 };
  const REFRESH_MS = 2000;
  const MAX_ROWS = 500;
  const ALERT_LIMIT = 15;
  const PAGE_SIZE = 1000; // the API's largest page
  const MAX_PAGES = 10;   // enough sessions to sort and filter here; the counts above come from /health

  const view = { statusFilter: '', textFilter: '', selected: null, sessions: [], more: false };
  const $ = (id) => document.getElementById(id);
  let refreshTimer = null;
  let refreshSeq = 0; // a click starts a new refresh; answers of an older one are ignored

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  async function getJson(path) {
    const response = await fetch(path, { cache: 'no-store', headers: { Accept: 'application/json' } });
    // /health answers 503 with a body while Streams is down; a 404 for a session is an answer too.
    if (!response.ok && response.status !== 503 && response.status !== 404) {
      throw new Error(path + ' answered HTTP ' + response.status);
    }
    return { status: response.status, body: await response.json() };
  }

  // Follows the API's cursor page by page, up to MAX_PAGES.
  async function getSessions(status) {
    const base = '/health/sessions?limit=' + PAGE_SIZE + (status ? '&status=' + encodeURIComponent(status) : '');
    let sessions = [];
    let cursor = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await getJson(base + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      if (answer.status !== 200) throw new Error('/health/sessions answered HTTP ' + answer.status);
      sessions = sessions.concat(answer.body.sessions);
      cursor = answer.body.nextCursor;
      if (!cursor) return { sessions, more: false };
    }
    return { sessions, more: true };
  }

  function ago(iso) {
    if (!iso) return '–';
    const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (seconds < 1) return 'just now';
    if (seconds < 120) return seconds + ' s ago';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min ago';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h ago';
    return new Date(iso).toLocaleString();
  }

  function statusBadge(status) {
    return el('span', 'status s-' + status, status);
  }

  function renderHealth(health) {
    const pill = $('api-status');
    pill.textContent = health.status;
    pill.className = 'pill ' + (health.status === 'UP' ? 'up' : 'down');
    $('streams-state').textContent = health.streamsState;
    $('hosts-known').textContent = health.hosts.known;
    $('hosts-silent').textContent = health.hosts.silent;

    const counts = $('counts');
    counts.replaceChildren(...STATUSES.map((status) => {
      const card = el('div', 'count s-' + status + (view.statusFilter === status ? ' active' : ''));
      card.id = 'count-' + status;
      card.dataset.status = status;
      card.title = 'show only ' + status + ' sessions';
      card.append(el('span', 'n', health.sessions[status] ?? 0), el('span', 'label', status));
      card.addEventListener('click', () => setStatusFilter(view.statusFilter === status ? '' : status));
      return card;
    }));
  }

  function matchesText(session, text) {
    if (!text) return true;
    return [session.sessionId, session.hostId, session.containerName, session.containerId, session.reason, session.lastErrorMessage]
      .some((value) => value && value.toLowerCase().includes(text));
  }

  function renderSessions() {
    const text = view.textFilter.trim().toLowerCase();
    const shown = view.sessions
      .filter((session) => matchesText(session, text))
      .sort((a, b) => (SEVERITY[a.status] - SEVERITY[b.status]) || a.sessionId.localeCompare(b.sessionId));
    const rows = shown.slice(0, MAX_ROWS).map((session) => {
      const row = el('tr', session.sessionId === view.selected ? 'selected' : '');
      row.dataset.sessionId = session.sessionId;
      const status = el('td');
      status.append(statusBadge(session.status));
      if (session.paused) status.append(el('span', 'muted', ' paused'));
      if (session.managed === false) status.append(el('span', 'muted not-managed', ' not managed'));
      row.append(
        el('td', 'session', session.sessionId),
        status,
        el('td', '', session.hostId),
        el('td', '', session.containerName),
        el('td', 'num', session.consecutiveFailures),
        el('td', 'num', session.restartAttempts),
        el('td', '', ago(session.lastCheckAt)),
        el('td', 'reason', session.reason));
      row.addEventListener('click', () => select(session.sessionId));
      return row;
    });
    $('sessions-body').replaceChildren(...rows);
    $('sessions-empty').hidden = shown.length > 0;
    const total = shown.length + (view.more ? '+' : '');
    $('session-count').textContent = shown.length > MAX_ROWS
      ? '(' + MAX_ROWS + ' of ' + total + ')' : '(' + total + ')';
  }

  function renderDetail(answer) {
    const fields = $('detail-fields');
    const timeline = $('timeline');
    const legend = $('timeline-legend');
    $('detail-id').textContent = view.selected || '';
    if (!view.selected || !answer || answer.status !== 200) {
      $('detail-hint').textContent = view.selected ? 'This session is no longer known.' : 'Click a session to see its recent checks.';
      $('detail-hint').hidden = false;
      fields.hidden = true;
      legend.hidden = true;
      timeline.replaceChildren();
      return;
    }
    const s = answer.body;
    $('detail-hint').hidden = true;
    const pairs = [
      ['status', statusBadge(s.status)],
      ['host', s.hostId],
      ['container', s.containerName + (s.containerId ? ' (' + s.containerId.slice(0, 12) + ')' : '')],
      ['failures in a row', s.consecutiveFailures],
      ['restart attempts', s.restartAttempts],
      ['managed', s.managed === false ? 'no: labelled fleet-health.enabled=false (never restarted, alerted or marked stale)' : 'yes'],
      ['restarts paused', s.paused ? 'yes' : 'no'],
      ['ignored labels', s.invalidOverrides ? s.invalidOverrides + ' (defaults apply)' : '–'],
      ['last check', ago(s.lastCheckAt)],
      ['status since', ago(s.lastTransitionAt)],
      ['reason', s.reason || '–'],
      ['last error', s.lastErrorCategory === 'NONE' ? '–' : s.lastErrorCategory + (s.lastErrorMessage ? ': ' + s.lastErrorMessage : '')],
    ];
    fields.replaceChildren(...pairs.flatMap(([name, value]) => {
      const dd = el('dd');
      if (value instanceof Node) dd.append(value); else dd.textContent = String(value);
      return [el('dt', '', name), dd];
    }));
    fields.hidden = false;

    timeline.replaceChildren(...s.history.map((check) => {
      const tick = el('div', 'tick s-' + check.status);
      tick.dataset.status = check.status;
      tick.title = new Date(check.time).toLocaleTimeString() + ' ' + check.status
        + (check.errorCategory !== 'NONE' ? ' (' + check.errorCategory + ')' : '')
        + ', ' + Math.round(check.responseTimeMs) + ' ms';
      return tick;
    }));
    legend.replaceChildren(el('span', '', s.history.length + ' checks, oldest first'), ...STATUSES.map((status) => {
      const item = el('span', '', status.toLowerCase());
      item.prepend(el('i', 's-' + status));
      return item;
    }));
    legend.hidden = false;
  }

  function renderAlerts(alerts) {
    const items = alerts.map((alert) => {
      const item = el('li');
      item.dataset.fingerprint = alert.fingerprint;
      item.append(
        el('span', alert.status === 'FIRING' ? 'firing' : 'resolved', alert.status.toLowerCase()),
        el('span', 'name', alert.alertname || 'alert'),
        el('span', 'mono', alert.sessionId || alert.hostId || ''),
        el('span', 'muted', ' · ' + ago(alert.status === 'FIRING' ? alert.startsAt : alert.endsAt)));
      if (alert.summary) item.append(el('span', 'summary', alert.summary));
      return item;
    });
    $('alerts-list').replaceChildren(...items);
    $('alerts-empty').hidden = items.length > 0;
  }

  async function refresh() {
    clearTimeout(refreshTimer);
    const seq = ++refreshSeq;
    try {
      const detailPath = view.selected ? '/health/container/' + encodeURIComponent(view.selected) : null;
      const [health, sessions, alerts, detail] = await Promise.all([
        getJson('/health'), getSessions(view.statusFilter), getJson('/api/alerts?limit=' + ALERT_LIMIT),
        detailPath ? getJson(detailPath) : Promise.resolve(null)]);
      if (seq !== refreshSeq) return;
      renderHealth(health.body);
      view.sessions = sessions.sessions;
      view.more = sessions.more;
      renderSessions();
      renderDetail(detail);
      renderAlerts(alerts.body.alerts);
      $('last-updated').textContent = new Date().toLocaleTimeString();
      $('conn-error').hidden = true;
    } catch (error) {
      if (seq !== refreshSeq) return;
      $('conn-error').textContent = 'Cannot reach the processor: ' + error.message + ' (retrying every 2 s)';
      $('conn-error').hidden = false;
    } finally {
      if (seq === refreshSeq) refreshTimer = setTimeout(refresh, REFRESH_MS);
    }
  }

  function setStatusFilter(status) {
    view.statusFilter = status;
    $('status-filter').value = status;
    refresh();
  }

  function select(sessionId) {
    view.selected = sessionId;
    renderSessions();
    refresh();
  }

  $('status-filter').addEventListener('change', (event) => setStatusFilter(event.target.value));
  $('text-filter').addEventListener('input', (event) => {
    view.textFilter = event.target.value;
    renderSessions();
  });
  refresh();
})();
