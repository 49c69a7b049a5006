// The live page: one server-sent event stream (/live/stream), read with fetch so that the admin's credentials can go
// along in a header (EventSource cannot send one). No build step, no library.
'use strict';

const state = {
  auth: null,          // "Basic …" once the admin signed in; kept in memory only
  limit: 200,          // rows shown at most; the server says how many it sent first
  rows: new Map(),     // productId -> {row, lastSequence}
  stream: null,        // AbortController of the open stream
  retry: 1000,
  replayPending: false, // a POST /admin/replay is on its way: statuses of the previous replay would flicker
  replayStartedAt: 0,   // the replay this page started; statuses of older ones are ignored
};

const $ = (id) => document.getElementById(id);
const number = new Intl.NumberFormat('en');

function connect() {
  if (state.stream) state.stream.abort();
  const controller = new AbortController();
  state.stream = controller;
  const headers = {Accept: 'text/event-stream'};
  if (state.auth) headers.Authorization = state.auth;
  setConnection('connecting', 'connecting…');
  fetch('/live/stream', {headers, signal: controller.signal, cache: 'no-store'})
    .then(async (response) => {
      if (!response.ok) {
        const retryAfter = Number(response.headers.get('Retry-After') || 0) * 1000;
        throw Object.assign(new Error('HTTP ' + response.status), {retryAfter});
      }
      state.retry = 1000;
      await read(response.body.getReader());
      throw new Error('stream ended');
    })
    .catch((error) => {
      if (controller.signal.aborted) return;
      setConnection('down', 'reconnecting (' + error.message + ')');
      const wait = Math.max(state.retry, error.retryAfter || 0);
      state.retry = Math.min(state.retry * 2, 10000);
      setTimeout(connect, wait);
    });
}

// Server-sent events: blocks separated by a blank line, "event:" and "data:" fields.
async function read(reader) {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, {stream: true}).replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) handle(event, JSON.parse(data.join('\n')));
    }
  }
}

function handle(event, data) {
  setConnection('live', 'live');
  if (event === 'snapshot') {
    state.limit = data.limit;
    data.products.forEach((product) => showProduct(product, false));
    showStatus(data.status);
  } else if (event === 'stock') {
    data.products.forEach((product) => showProduct(product, true));
  } else if (event === 'status') {
    showStatus(data);
  }
}

function showProduct(product, flash) {
  let entry = state.rows.get(product.productId);
  if (!entry) {
    if (state.rows.size >= state.limit) {
      $('stock-note').textContent = 'Showing ' + state.limit + ' products: the first by id, and those that changed.';
      return;
    }
    const row = document.createElement('tr');
    row.dataset.productId = product.productId;
    for (const cls of ['id', 'name', 'quantity num', 'sequence num']) {
      const cell = document.createElement('td');
      cell.className = cls;
      row.appendChild(cell);
    }
    row.cells[0].textContent = product.productId;
    entry = {row, lastSequence: -2};
    state.rows.set(product.productId, entry);
    insertSorted($('products').tBodies[0], row, product.productId);
  }
  if (product.lastSequence < entry.lastSequence) return; // an older push that crossed a newer one
  entry.lastSequence = product.lastSequence;
  const row = entry.row;
  row.cells[1].textContent = product.name;
  row.cells[2].textContent = number.format(product.quantity);
  row.cells[3].textContent = number.format(product.lastSequence + 1);
  row.dataset.quantity = product.quantity;
  row.dataset.updatedAt = Date.now();
  if (flash) {
    row.classList.remove('changed');
    void row.offsetWidth; // restart the animation
    row.classList.add('changed');
  }
}

function insertSorted(body, row, id) {
  for (const other of body.rows) {
    if (other.dataset.productId > id) {
      body.insertBefore(row, other);
      return;
    }
  }
  body.appendChild(row);
}

function showStatus(status) {
  if (!status || !status.sampledAt) {
    $('lag-note').textContent = 'No sample yet.';
    return;
  }
  $('lag-records').textContent = number.format(status.lagRecords);
  $('lag-seconds').textContent = status.lagSeconds.toFixed(1);
  $('lag-note').textContent = !status.processedHere ? 'This instance does not run the projection right now.'
    : !status.kafkaReachable ? 'Kafka cannot be reached: the last known lag.' : '';
  const body = $('partitions').tBodies[0];
  body.replaceChildren(...status.partitions.map((p) => tableRow(
    [p.partition, number.format(p.end), number.format(p.lagRecords), p.lagSeconds.toFixed(1)])));
  $('dead-letters-count').textContent = number.format(status.deadLetters);
  $('dead-letters').replaceChildren(...status.recentDeadLetters.map((letter) => {
    const item = document.createElement('li');
    item.textContent = 'partition ' + letter.partition + ' offset ' + letter.offset + ': ' + letter.kind
      + (letter.reason ? ' (' + letter.reason + ')' : '');
    return item;
  }));
  if (status.replay && !state.replayPending
      && (status.replay.startedAt ? Date.parse(status.replay.startedAt) : 0) >= state.replayStartedAt) {
    showReplay(status.replay);
  }
}

function tableRow(values) {
  const row = document.createElement('tr');
  values.forEach((value, i) => {
    const cell = document.createElement('td');
    cell.textContent = value;
    if (i > 0) cell.className = 'num';
    row.appendChild(cell);
  });
  return row;
}

function showReplay(replay) {
  const progress = $('replay-progress');
  const percent = replay.state === 'COMPLETED' ? 100 : replay.state === 'IDLE' ? 0
    : replay.recordsToReplay === 0 ? 100 : Math.floor(100 * replay.recordsReplayed / replay.recordsToReplay);
  progress.value = percent;
  progress.dataset.startedAt = replay.startedAt || '';
  if (replay.state !== 'IDLE') {
    const seen = progress.dataset.seen ? progress.dataset.seen.split(',') : [];
    if (seen[seen.length - 1] !== String(percent)) progress.dataset.seen = seen.concat(percent).slice(-50).join(',');
  }
  $('replay-state').textContent = replay.state;
  $('replay-text').textContent = replay.state === 'IDLE' ? 'no replay yet'
    : number.format(replay.recordsReplayed) + ' of ' + number.format(replay.recordsToReplay) + ' records ('
      + percent + '%)' + (replay.completedAt ? ', completed ' + new Date(replay.completedAt).toLocaleTimeString() : '');
  $('replay-start').disabled = replay.state === 'RUNNING' || replay.state === 'SWITCHING';
}

function setConnection(name, text) {
  const badge = $('connection');
  badge.dataset.state = name;
  badge.textContent = text;
}

async function signIn(event) {
  event.preventDefault();
  const auth = 'Basic ' + btoa(unescape(encodeURIComponent($('admin-user').value + ':' + $('admin-password').value)));
  const error = $('sign-in-error');
  const response = await fetch('/admin/replay', {headers: {Authorization: auth, Accept: 'application/json'}});
  if (!response.ok) {
    error.hidden = false;
    error.textContent = await problemText(response);
    return;
  }
  error.hidden = true;
  state.auth = auth;
  $('sign-in').hidden = true;
  $('replay').hidden = false;
  showReplay(await response.json());
  connect(); // again, with the credentials: the stream now carries the replay
}

async function startReplay() {
  const error = $('replay-error');
  $('replay-progress').dataset.seen = '';
  state.replayPending = true;
  try {
    const response = await fetch('/admin/replay', {method: 'POST', headers: {Authorization: state.auth,
      Accept: 'application/json'}});
    if (!response.ok) {
      error.hidden = false;
      error.textContent = await problemText(response);
      return;
    }
    error.hidden = true;
    const replay = await response.json();
    state.replayStartedAt = Date.parse(replay.startedAt);
    showReplay(replay);
  } finally {
    state.replayPending = false;
  }
}

async function problemText(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || 'HTTP ' + response.status;
  } catch (e) {
    return 'HTTP ' + response.status;
  }
}

$('sign-in').addEventListener('submit', signIn);
$('replay-start').addEventListener('click', startReplay);
connect();
