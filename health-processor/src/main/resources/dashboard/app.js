// The fleet dashboard, an operator console: polls the operators' API every 2 s and redraws. No framework, no
// build step. Every value from the API is written with textContent, never as HTML: container names come from users.
// One time convention: absolute times in UTC ("2025-03-01 12:00:05Z"), with how long ago next to them.
// The admin token is asked for when an action needs it and kept in this tab's memory only (never stored).
(() => {
  'use strict';

  const STATUSES = ['HEALTHY', 'UNHEALTHY', 'RESTARTING', 'FAILED', 'UNKNOWN'];
  const REFRESH_MS = 2000;
  const PAGE_SIZE = 100;   // rows shown per page
  const API_PAGE = 1000;   // the API's largest page
  const MAX_PAGES = 10;    // up to 10,000 sessions fetched to sort worst first and filter here
  const SEVERITY = { FAILED: 0, RESTARTING: 1, UNHEALTHY: 2, UNKNOWN: 3, HEALTHY: 4 };
  const ALERT_LIMIT = 15;
  const OPERATOR_ACTIONS = ['OPERATOR_RESET', 'OPERATOR_PAUSE', 'OPERATOR_RESUME'];

  const view = { statusFilter: '', hostFilter: '', textFilter: '', offset: 0, selected: null, detail: null,
    sessions: [], more: false, hosts: {} };
  const $ = (id) => document.getElementById(id);
  let refreshTimer = null;
  let refreshSeq = 0; // a click starts a new refresh; answers of an older one are ignored
  let adminToken = null; // this tab's memory only
  let pendingAction = null; // the action waiting for the token form

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

  /** Follows the API's cursor page by page (the host filter applied by the server), up to MAX_PAGES. */
  async function getSessions() {
    const params = new URLSearchParams({ limit: String(API_PAGE) });
    if (view.statusFilter) params.set('status', view.statusFilter);
    if (view.hostFilter) params.set('host', view.hostFilter);
    let sessions = [];
    let cursor = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await getJson('/health/sessions?' + params + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      if (answer.status !== 200) throw new Error('/health/sessions answered HTTP ' + answer.status);
      sessions = sessions.concat(answer.body.sessions);
      cursor = answer.body.nextCursor;
      if (!cursor) return { sessions, more: false };
    }
    return { sessions, more: true };
  }

  /** UTC, to the second: "2025-03-01 12:00:05Z". */
  function utc(iso) {
    if (!iso) return '–';
    return new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function ago(iso) {
    if (!iso) return '–';
    const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (seconds < 1) return 'just now';
    if (seconds < 120) return seconds + ' s ago';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min ago';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h ago';
    return Math.round(seconds / 86400) + ' days ago';
  }

  /** The convention everywhere: "12:00:05Z (40 s ago)" today, the date in front otherwise. */
  function when(iso) {
    if (!iso) return '–';
    const text = utc(iso);
    const today = new Date().toISOString().slice(0, 10);
    return (text.startsWith(today) ? text.slice(11) : text) + ' (' + ago(iso) + ')';
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

  /** The host picker: every host seen in an unfiltered listing, with its sessions. */
  function renderHosts() {
    if (!view.hostFilter && !view.statusFilter) {
      view.hosts = {};
      view.sessions.forEach((s) => { view.hosts[s.hostId] = (view.hosts[s.hostId] || 0) + 1; });
    }
    const hosts = view.hosts;
    const select = $('host-filter');
    const names = Object.keys(hosts || {});
    if (view.hostFilter && !names.includes(view.hostFilter)) names.push(view.hostFilter);
    const options = [el('option', '', 'all')];
    options[0].value = '';
    names.sort().forEach((host) => {
      const option = el('option', '', host + (hosts && hosts[host] !== undefined ? ' (' + hosts[host] + ')' : ''));
      option.value = host;
      options.push(option);
    });
    select.replaceChildren(...options);
    select.value = view.hostFilter;
  }

  function matchesText(session, text) {
    if (!text) return true;
    return [session.sessionId, session.hostId, session.containerName, session.containerId, session.reason, session.lastErrorMessage]
      .some((value) => value && value.toLowerCase().includes(text));
  }

  /** Worst first, then by id; filtered by text here; shown PAGE_SIZE rows at a time. */
  function renderSessions() {
    const text = view.textFilter.trim().toLowerCase();
    const shown = view.sessions
      .filter((session) => matchesText(session, text))
      .sort((a, b) => (SEVERITY[a.status] - SEVERITY[b.status]) || a.sessionId.localeCompare(b.sessionId));
    if (view.offset >= shown.length) view.offset = Math.max(0, Math.floor((shown.length - 1) / PAGE_SIZE) * PAGE_SIZE);
    const page = { count: shown.length, offset: view.offset, sessions: shown.slice(view.offset, view.offset + PAGE_SIZE) };
    const rows = page.sessions.map((session) => {
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
        el('td', '', when(session.lastCheckAt)),
        el('td', 'reason', session.reason));
      row.addEventListener('click', () => select(session.sessionId));
      return row;
    });
    $('sessions-body').replaceChildren(...rows);
    $('sessions-empty').hidden = page.count > 0;
    const first = page.count === 0 ? 0 : page.offset + 1;
    const last = page.offset + page.sessions.length;
    const total = page.count + (view.more ? '+' : '');
    $('session-count').textContent = '(' + total + ')';
    $('page-info').textContent = first + '–' + last + ' of ' + total;
    $('page-prev').disabled = page.offset === 0;
    $('page-next').disabled = last >= page.count;
  }

  function renderDetail(answer) {
    const fields = $('detail-fields');
    const timeline = $('timeline');
    const legend = $('timeline-legend');
    $('detail-id').textContent = view.selected || '';
    view.detail = answer && answer.status === 200 ? answer.body : null;
    if (!view.selected || !view.detail) {
      $('detail-hint').textContent = view.selected ? 'This session is no longer known.' : 'Click a session to see its recent checks.';
      $('detail-hint').hidden = false;
      fields.hidden = true;
      legend.hidden = true;
      $('actions').hidden = true;
      timeline.replaceChildren();
      $('marks-list').replaceChildren();
      return;
    }
    const s = view.detail;
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
      ['last check', when(s.lastCheckAt)],
      ['status since', when(s.lastTransitionAt)],
      ['reason', s.reason || '–'],
      ['last error', s.lastErrorCategory === 'NONE' ? '–' : s.lastErrorCategory + (s.lastErrorMessage ? ': ' + s.lastErrorMessage : '')],
    ];
    fields.replaceChildren(...pairs.flatMap(([name, value]) => {
      const dd = el('dd');
      if (value instanceof Node) dd.append(value); else dd.textContent = String(value);
      return [el('dt', '', name), dd];
    }));
    fields.hidden = false;

    $('actions').hidden = false;
    $('action-reset').disabled = s.status !== 'FAILED';
    $('action-reset').title = s.status === 'FAILED' ? 'revive the session: restart attempts start from zero' : 'only a FAILED session can be reset';
    $('action-pause').disabled = s.paused;
    $('action-resume').disabled = !s.paused;

    renderTimeline(s);
    legend.replaceChildren(el('span', '', s.history.length + ' checks and ' + (s.marks || []).length + ' events, oldest first'),
      ...STATUSES.map((status) => {
        const item = el('span', '', status.toLowerCase());
        item.prepend(el('i', 's-' + status));
        return item;
      }), markLegend('restart', 'mark'), markLegend('operator', 'mark operator'));
    legend.hidden = false;

    $('marks-list').replaceChildren(...(s.marks || []).slice().reverse().map((mark) => {
      const item = el('li');
      item.dataset.action = mark.action;
      item.append(el('span', 'when', when(mark.time)), el('span', 'what', describeMark(mark)),
        el('span', 'muted', (mark.actor ? mark.actor + ': ' : '') + (mark.reason || '')));
      return item;
    }));
  }

  function markLegend(label, className) {
    const item = el('span', '', label);
    const swatch = el('i', className);
    swatch.style.width = '3px';
    item.prepend(swatch);
    return item;
  }

  function describeMark(mark) {
    return {
      COMMAND_ISSUED: 'restart issued', COMMAND_SUCCEEDED: 'restarted', COMMAND_FAILED: 'restart failed',
      COMMAND_REJECTED: 'restart rejected', COMMAND_EXPIRED: 'restart expired', SESSION_FAILED: 'gave up (FAILED)',
      SESSION_RECOVERED: 'recovered', OPERATOR_RESET: 'reset', OPERATOR_PAUSE: 'paused', OPERATOR_RESUME: 'resumed',
    }[mark.action] || mark.action.toLowerCase();
  }

  /** Checks as ticks and restarts / operator actions as thin marks between them, in time order. */
  function renderTimeline(s) {
    const checks = s.history.map((check) => ({ time: Date.parse(check.time), check }));
    const oldest = checks.length ? checks[0].time : -Infinity;
    const events = (s.marks || []).filter((mark) => Date.parse(mark.time) >= oldest)
      .map((mark) => ({ time: Date.parse(mark.time), mark }));
    const all = checks.concat(events).sort((a, b) => (a.time - b.time) || (a.mark ? 1 : -1));
    $('timeline').replaceChildren(...all.map((entry) => {
      if (entry.check) {
        const check = entry.check;
        const tick = el('div', 'tick s-' + check.status);
        tick.dataset.status = check.status;
        tick.title = utc(check.time) + ' ' + check.status
          + (check.errorCategory !== 'NONE' ? ' (' + check.errorCategory + ')' : '')
          + ', ' + Math.round(check.responseTimeMs) + ' ms';
        return tick;
      }
      const mark = el('div', 'mark' + (OPERATOR_ACTIONS.includes(entry.mark.action) ? ' operator' : ''));
      mark.dataset.action = entry.mark.action;
      mark.title = utc(entry.mark.time) + ' ' + describeMark(entry.mark) + (entry.mark.actor ? ' by ' + entry.mark.actor : '');
      return mark;
    }));
  }

  function alertItem(alert) {
    const item = el('li');
    item.dataset.fingerprint = alert.fingerprint;
    item.append(
      el('span', alert.status === 'FIRING' ? 'firing' : 'resolved', alert.status.toLowerCase()),
      el('span', 'name', alert.alertname || 'alert'),
      el('span', 'mono', alert.sessionId || alert.hostId || ''),
      el('span', 'muted', ' · ' + (alert.status === 'FIRING' ? 'since ' + when(alert.startsAt) : 'ended ' + when(alert.endsAt))));
    if (alert.summary) item.append(el('span', 'summary', alert.summary));
    if (alert.sessionId) item.addEventListener('click', () => select(alert.sessionId));
    return item;
  }

  function renderAlerts(body) {
    const active = body.active || [];
    $('active-alerts').replaceChildren(...active.map(alertItem));
    $('active-empty').hidden = active.length > 0;
    $('active-count').textContent = active.length ? '(' + active.length + ')' : '';
    const history = body.alerts.map(alertItem);
    $('alerts-list').replaceChildren(...history);
    $('alerts-empty').hidden = history.length > 0;
  }

  async function refresh() {
    clearTimeout(refreshTimer);
    const seq = ++refreshSeq;
    try {
      const detailPath = view.selected ? '/health/container/' + encodeURIComponent(view.selected) : null;
      const [health, sessions, alerts, detail] = await Promise.all([
        getJson('/health'), getSessions(), getJson('/api/alerts?limit=' + ALERT_LIMIT),
        detailPath ? getJson(detailPath) : Promise.resolve(null)]);
      if (seq !== refreshSeq) return;
      renderHealth(health.body);
      view.sessions = sessions.sessions;
      view.more = sessions.more;
      renderHosts();
      renderSessions();
      renderDetail(detail);
      renderAlerts(alerts.body);
      $('last-updated').textContent = utc(new Date().toISOString()).slice(11);
      $('conn-error').hidden = true;
    } catch (error) {
      if (seq !== refreshSeq) return;
      $('conn-error').textContent = 'Cannot reach the processor: ' + error.message + ' (retrying every 2 s)';
      $('conn-error').hidden = false;
    } finally {
      if (seq === refreshSeq) refreshTimer = setTimeout(refresh, REFRESH_MS);
    }
  }

  function showResult(text, isError) {
    const result = $('action-result');
    result.textContent = text;
    result.className = 'action-result' + (isError ? ' error' : '');
    result.hidden = false;
  }

  /** Reset, pause or resume the selected session; asks for the admin token first when this tab has none. */
  async function act(action) {
    if (!view.selected) return;
    if (!adminToken) {
      pendingAction = action;
      $('token-form').hidden = false;
      $('token-input').focus();
      showResult('The ' + action + ' needs the admin token (FLEET_ADMIN_TOKEN).', false);
      return;
    }
    const sessionId = view.selected;
    let response;
    try {
      response = await fetch('/health/sessions/' + encodeURIComponent(sessionId) + '/' + action, {
        method: 'POST', cache: 'no-store',
        headers: { Authorization: 'Bearer ' + adminToken, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ reason: 'from the dashboard' }),
      });
    } catch (error) {
      showResult('The ' + action + ' could not be sent: ' + error.message, true);
      return;
    }
    let message = '';
    try { message = (await response.json()).error || ''; } catch (ignored) { /* no body */ }
    if (response.status === 202) {
      showResult(action + ' of ' + sessionId + ' requested; the session changes once the processor has decided it.', false);
    } else if (response.status === 401) {
      adminToken = null;
      pendingAction = action;
      $('token-form').hidden = false;
      showResult('401: the token was not accepted. Enter the processor\'s FLEET_ADMIN_TOKEN again.', true);
    } else if (response.status === 403) {
      showResult('403: actions are disabled on this processor: it runs without FLEET_ADMIN_TOKEN. ' + message, true);
    } else {
      showResult(response.status + ': ' + (message || 'the ' + action + ' was refused'), true);
    }
    refresh();
  }

  function setStatusFilter(status) {
    view.statusFilter = status;
    view.offset = 0;
    $('status-filter').value = status;
    refresh();
  }

  function setHostFilter(host) {
    view.hostFilter = host;
    view.offset = 0;
    refresh();
  }

  function select(sessionId) {
    view.selected = sessionId;
    $('action-result').hidden = true;
    $('token-form').hidden = true;
    history.replaceState(null, '', '#session=' + encodeURIComponent(sessionId));
    refresh();
  }

  /** Links from alerts (generatorURL) open a session (#session=id) or a host's sessions (#host=id). */
  function followHash() {
    const hash = new URLSearchParams(location.hash.slice(1));
    if (hash.get('session')) view.selected = hash.get('session');
    if (hash.get('host')) view.hostFilter = hash.get('host');
  }

  $('status-filter').addEventListener('change', (event) => setStatusFilter(event.target.value));
  $('host-filter').addEventListener('change', (event) => setHostFilter(event.target.value));
  $('text-filter').addEventListener('input', (event) => {
    view.textFilter = event.target.value;
    view.offset = 0;
    renderSessions();
  });
  $('page-prev').addEventListener('click', () => { view.offset = Math.max(0, view.offset - PAGE_SIZE); renderSessions(); });
  $('page-next').addEventListener('click', () => { view.offset += PAGE_SIZE; renderSessions(); });
  ['reset', 'pause', 'resume'].forEach((action) =>
    $('action-' + action).addEventListener('click', () => act(action)));
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token-input').value.trim();
    $('token-input').value = '';
    if (!token) return;
    adminToken = token;
    $('token-form').hidden = true;
    const action = pendingAction;
    pendingAction = null;
    if (action) act(action);
  });
  window.addEventListener('hashchange', () => { followHash(); refresh(); });
  followHash();
  refresh();
})();
