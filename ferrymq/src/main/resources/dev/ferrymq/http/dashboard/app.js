'use strict';
// The FerryMQ dashboard. Everything it shows comes from the gateway's admin routes, relative to this page:
// GET stats/events (SSE, one snapshot a second), GET queues/{q}/dead-letters, POST queues/{q}/purge,
// POST queues/{q}/dead-letters/redrive, GET topics/{t}/events (SSE tail).
// Auth: fetch() calls carry "Authorization: Bearer" from the token kept in sessionStorage; EventSource cannot send
// headers, so the streams (GET only) ride on a SameSite=Strict session cookie. The gateway never accepts the cookie
// for a POST, so a cross-site page cannot purge or redrive.
(() => {
  const $ = id => document.getElementById(id);
  const meta = name => document.querySelector('meta[name="' + name + '"]').content;
  const AUTH = meta('ferrymq-auth') === 'on';
  const COOKIE = meta('ferrymq-cookie');
  const KEY = 'ferrymq.token';
  const WINDOW_MS = 120000;
  const BASE = location.pathname.replace(/[^/]*$/, '');
  const history = { queues: new Map(), topics: new Map() };
  let stats = null;
  let selected = null;
  let deadLetterQueue = null;
  let statsSource = null;
  let tailSource = null;
  let retry = null;

  // --- auth ------------------------------------------------------------------------------------------------------

  const token = () => sessionStorage.getItem(KEY);

  function setCookie(value, maxAge) {
    if (!AUTH) return;
    document.cookie = COOKIE + '=' + value + '; Path=' + BASE + '; SameSite=Strict'
      + (location.protocol === 'https:' ? '; Secure' : '') + (maxAge === 0 ? '; Max-Age=0' : '');
  }

  function signIn(t) {
    sessionStorage.setItem(KEY, t);
    setCookie(t);
    $('login').hidden = true;
    $('logout').hidden = false;
    start();
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    setCookie('', 0);
    stop();
    $('main').hidden = true;
    $('logout').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    live(false, 'signed out');
  }

  /** fetch() with the bearer token; a 401 or 403 sends the user back to the sign-in form. */
  async function api(method, path) {
    const headers = { Accept: 'application/json' };
    if (AUTH && token()) headers.Authorization = 'Bearer ' + token();
    const res = await fetch(path, { method, headers, credentials: 'omit' });
    const body = res.status === 204 ? null : await res.json().catch(() => null);
    if (res.status === 401 || res.status === 403) {
      signOut(res.status === 401 ? 'The token was refused: ' + ((body && body.detail) || 'unauthorized')
        : 'The token does not grant admin.');
      throw new Error('not authorized');
    }
    if (!res.ok) throw new Error((body && body.detail) || res.status + ' ' + res.statusText);
    return body;
  }

  // --- the stats stream ------------------------------------------------------------------------------------------

  function start() {
    stop();
    $('main').hidden = false;
    const limit = new URLSearchParams(location.search).get('limit');
    statsSource = new EventSource('stats/events' + (/^[0-9]+$/.test(limit || '') ? '?limit=' + limit : ''));
    statsSource.addEventListener('stats', e => {
      live(true, 'live');
      update(JSON.parse(e.data));
    });
    statsSource.onerror = () => {
      live(false, 'reconnecting');
      if (statsSource.readyState === EventSource.CLOSED) {
        // Refused (401/403) or a broken stream: EventSource gives up; ask once with fetch to learn why, then retry.
        statsSource = null;
        api('GET', 'cluster').then(() => { retry = setTimeout(start, 2000); }, e => {
          if (e.message !== 'not authorized') retry = setTimeout(start, 2000);
        });
      }
    };
  }

  function stop() {
    clearTimeout(retry);
    if (statsSource) statsSource.close();
    statsSource = null;
    stopTail();
  }

  function live(on, text) {
    $('live').className = 'pill ' + (on ? 'on' : 'off');
    $('live').textContent = text;
  }

  function remember(map, name, point) {
    let points = map.get(name);
    if (!points) map.set(name, points = []);
    points.push(point);
    while (points.length && points[0].t < point.t - WINDOW_MS) points.shift();
    return points;
  }

  /** Rates from two snapshots: in = taken in per second; out = in minus the change of depth. */
  function queuePoint(q, t, prev) {
    const p = { t, depth: q.depth, inFlight: q.inFlight, sent: q.sent, in: null, out: null };
    if (prev && t > prev.t) {
      const dt = (t - prev.t) / 1000;
      const taken = q.sent >= prev.sent ? q.sent - prev.sent : q.sent; // a new owner counts from 0
      p.in = taken / dt;
      p.out = Math.max(0, (taken - (q.depth - prev.depth)) / dt);
    }
    return p;
  }

  function update(s) {
    stats = s;
    const names = new Set();
    for (const q of s.queues) {
      names.add(q.queue);
      const points = history.queues.get(q.queue);
      remember(history.queues, q.queue, queuePoint(q, s.time, points && points[points.length - 1]));
    }
    for (const name of [...history.queues.keys()]) if (!names.has(name)) history.queues.delete(name);
    names.clear();
    for (const tp of s.topics) {
      names.add(tp.topic);
      const points = history.topics.get(tp.topic);
      const prev = points && points[points.length - 1];
      const rate = prev && s.time > prev.t ? Math.max(0, tp.lastSeq - prev.lastSeq) / ((s.time - prev.t) / 1000) : null;
      remember(history.topics, tp.topic, { t: s.time, lastSeq: tp.lastSeq, rate });
    }
    for (const name of [...history.topics.keys()]) if (!names.has(name)) history.topics.delete(name);
    if (selected === null || !history.queues.has(selected)) {
      selected = s.queues.length ? s.queues[0].queue : null;
    }
    render();
  }

  // --- rendering -------------------------------------------------------------------------------------------------

  const fmt = v => v == null ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: 1 });

  function cell(tr, text, cls, field) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    if (field) td.dataset.field = field;
    tr.appendChild(td);
    return td;
  }

  function button(td, text, action, cls) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    if (cls) b.className = cls;
    b.addEventListener('click', e => { e.stopPropagation(); action(); });
    td.appendChild(b);
  }

  function spark(tr, values, color) {
    const td = cell(tr, '');
    const c = document.createElement('canvas');
    c.className = 'spark';
    td.appendChild(c);
    return () => FerryCharts.spark(c, values, color);
  }

  function shortNode(id) {
    return id && id.length > 8 ? id.slice(0, 8) : (id || '–');
  }

  let pressed = false;
  document.addEventListener('pointerdown', () => { pressed = true; });
  document.addEventListener('pointerup', () => { pressed = false; setTimeout(() => stats && render(), 0); });

  function render() {
    if (pressed) return; // a button being clicked is not replaced under the pointer
    const c = stats.cluster;
    $('node').textContent = 'node ' + shortNode(c.node) + ' · ' + c.members.length + ' member'
      + (c.members.length === 1 ? '' : 's');
    $('safe').textContent = c.safe ? 'partitions safe' : 'migrating';
    $('safe').className = 'pill ' + (c.safe ? 'on' : 'off');
    const members = $('members').tBodies[0];
    members.replaceChildren();
    for (const m of c.members) {
      const tr = members.insertRow();
      cell(tr, m.id + (m.local ? '  (this node)' : ''));
      cell(tr, m.address);
      cell(tr, fmt(m.queues), 'num');
      cell(tr, fmt(m.topics), 'num');
    }
    const draws = [];
    const queues = $('queues').tBodies[0];
    queues.replaceChildren();
    for (const q of stats.queues) {
      const points = history.queues.get(q.queue) || [];
      const last = points[points.length - 1] || {};
      const tr = queues.insertRow();
      tr.dataset.queue = q.queue;
      if (q.kind === 'dead-letter') tr.className = 'dead-letter';
      if (q.queue === selected) tr.classList.add('selected');
      tr.addEventListener('click', () => { selected = q.queue; render(); });
      cell(tr, q.queue, '', 'name');
      cell(tr, shortNode(q.owner), '', 'owner');
      cell(tr, fmt(q.ready), 'num', 'ready');
      cell(tr, fmt(q.delayed), 'num', 'delayed');
      cell(tr, fmt(q.inFlight), 'num', 'inFlight');
      cell(tr, fmt(q.consumers), 'num', 'consumers');
      cell(tr, fmt(q.depth), 'num', 'depth');
      cell(tr, fmt(q.deadLetters), 'num', 'deadLetters');
      cell(tr, fmt(last.in), 'num', 'in');
      cell(tr, fmt(last.out), 'num', 'out');
      draws.push(spark(tr, points.map(p => p.depth), '#2a6fdb'));
      const actions = cell(tr, '');
      if (q.deadLetterQueue) button(actions, 'Dead letters', () => showDeadLetters(q.queue, q.deadLetterQueue));
      button(actions, 'Purge', () => confirmPurge(q.queue, q.ready + q.delayed), 'danger');
    }
    $('no-queues').hidden = stats.queues.length > 0;
    $('more-queues').textContent = stats.moreQueues ? '(the first ' + stats.queues.length + ' shown)' : '';
    const topics = $('topics').tBodies[0];
    topics.replaceChildren();
    for (const t of stats.topics) {
      const points = history.topics.get(t.topic) || [];
      const last = points[points.length - 1] || {};
      const tr = topics.insertRow();
      tr.dataset.topic = t.topic;
      cell(tr, t.topic, '', 'name');
      cell(tr, shortNode(t.owner), '', 'owner');
      cell(tr, fmt(t.lastSeq), 'num', 'lastSeq');
      cell(tr, fmt(t.oldestSeq), 'num', 'oldestSeq');
      cell(tr, fmt(t.subscribers), 'num', 'subscribers');
      cell(tr, fmt(last.rate), 'num', 'rate');
      draws.push(spark(tr, points.map(p => p.rate || 0), '#e07b00'));
      button(cell(tr, ''), 'Tail', () => startTail(t.topic));
    }
    $('no-topics').hidden = stats.topics.length > 0;
    $('more-topics').textContent = stats.moreTopics ? '(the first ' + stats.topics.length + ' shown)' : '';
    draws.forEach(d => d());
    renderCharts();
  }

  function renderCharts() {
    const points = selected === null ? null : history.queues.get(selected);
    $('queue-charts').hidden = !points;
    if (!points) return;
    $('chart-queue').textContent = selected;
    FerryCharts.line($('chart-depth'), [
      { label: 'depth', color: '#2a6fdb', points: points.map(p => [p.t, p.depth]) },
      { label: 'in flight', color: '#8e44ad', points: points.map(p => [p.t, p.inFlight]) }], WINDOW_MS);
    FerryCharts.line($('chart-rates'), [
      { label: 'in', color: '#1f8a4c', points: points.map(p => [p.t, p.in]) },
      { label: 'out', color: '#e07b00', points: points.map(p => [p.t, p.out]) }], WINDOW_MS);
  }

  // --- actions ---------------------------------------------------------------------------------------------------

  let pending = null;

  function ask(text, action) {
    pending = action;
    $('modal-text').textContent = text;
    $('modal').hidden = false;
    $('modal-cancel').focus();
  }

  function toast(text) {
    $('toast').textContent = text;
    $('toast').hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { $('toast').hidden = true; }, 4000);
  }

  const q = name => encodeURIComponent(name);

  function confirmPurge(queue, ready) {
    ask('Purge queue "' + queue + '"? Its ' + fmt(ready) + ' ready and delayed messages are deleted; messages in '
      + 'flight stay.', async () => {
      try {
        const r = await api('POST', 'queues/' + q(queue) + '/purge');
        toast('Purged ' + fmt(r.purged) + ' messages from ' + queue);
      } catch (e) {
        toast('Purge failed: ' + e.message);
      }
    });
  }

  async function showDeadLetters(queue, dlq) {
    deadLetterQueue = queue;
    $('dead-letters').hidden = false;
    $('dl-queue').textContent = queue;
    $('dl-dlq').textContent = dlq;
    const body = $('dl-table').tBodies[0];
    try {
      const list = await api('GET', 'queues/' + q(queue) + '/dead-letters?limit=50');
      body.replaceChildren();
      for (const m of list) {
        const tr = body.insertRow();
        cell(tr, m.messageId);
        cell(tr, fmt(m.deliveryCount), 'num');
        cell(tr, m.timestamp ? new Date(m.timestamp).toISOString() : '–');
        cell(tr, payload(m.data, m.encoding), 'payload');
      }
      $('dl-empty').hidden = list.length > 0;
    } catch (e) {
      toast('Dead letters not read: ' + e.message);
    }
  }

  function payload(data, encoding) {
    const text = encoding === 'base64' ? '(binary, ' + Math.floor(data.length * 3 / 4) + ' bytes)' : String(data);
    return text.length > 300 ? text.slice(0, 300) + '…' : text;
  }

  function redrive() {
    const queue = deadLetterQueue;
    ask('Move every dead letter of "' + queue + '" back to it?', async () => {
      try {
        const r = await api('POST', 'queues/' + q(queue) + '/dead-letters/redrive');
        toast('Redrove ' + fmt(r.redriven) + ' messages to ' + queue);
        showDeadLetters(queue, $('dl-dlq').textContent);
      } catch (e) {
        toast('Redrive failed: ' + e.message);
      }
    });
  }

  // --- the topic tail --------------------------------------------------------------------------------------------

  function startTail(topic) {
    stopTail();
    $('tail').hidden = false;
    $('tail-topic').textContent = topic;
    $('tail-list').replaceChildren();
    tailSource = new EventSource('topics/' + q(topic) + '/events?from=latest');
    tailSource.onopen = () => { $('tail-state').textContent = 'live'; $('tail-state').className = 'pill on'; };
    tailSource.onerror = () => { $('tail-state').textContent = 'reconnecting'; $('tail-state').className = 'pill off'; };
    tailSource.onmessage = e => {
      const li = document.createElement('li');
      const data = e.data.startsWith('base64:') ? '(binary)' : e.data;
      li.textContent = '#' + e.lastEventId + '  ' + (data.length > 300 ? data.slice(0, 300) + '…' : data);
      const list = $('tail-list');
      list.prepend(li);
      while (list.children.length > 100) list.lastChild.remove();
    };
    tailSource.addEventListener('gap', e => {
      const li = document.createElement('li');
      li.textContent = 'gap: ' + e.data;
      $('tail-list').prepend(li);
    });
  }

  function stopTail() {
    if (tailSource) tailSource.close();
    tailSource = null;
    $('tail').hidden = true;
  }

  // --- wiring ----------------------------------------------------------------------------------------------------

  $('login-form').addEventListener('submit', e => {
    e.preventDefault();
    const t = $('token').value.trim().replace(/^Bearer\s+/i, '');
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(t)) {
      $('login-error').textContent = 'That does not look like a JWT (three dot-separated parts).';
      return;
    }
    $('token').value = '';
    signIn(t);
  });
  $('logout').addEventListener('click', () => signOut());
  $('modal-ok').addEventListener('click', () => { $('modal').hidden = true; const a = pending; pending = null; a(); });
  $('modal-cancel').addEventListener('click', () => { $('modal').hidden = true; pending = null; });
  $('dl-refresh').addEventListener('click', () => showDeadLetters(deadLetterQueue, $('dl-dlq').textContent));
  $('dl-redrive').addEventListener('click', redrive);
  $('dl-close').addEventListener('click', () => { $('dead-letters').hidden = true; deadLetterQueue = null; });
  $('tail-stop').addEventListener('click', stopTail);
  window.addEventListener('resize', () => stats && renderCharts());

  if (!AUTH) {
    start();
  } else if (token()) {
    setCookie(token());
    $('logout').hidden = false;
    start();
  } else {
    $('login').hidden = false;
    live(false, 'signed out');
  }
})();
