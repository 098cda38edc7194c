/* global document, window, location, fetch, URL, ResizeObserver, setTimeout, clearTimeout, uPlot */
// The local cloud's live dashboard, in the browser: polls /_dashboard/data.json every second and
// updates the charts and tables in place. Plain browser JavaScript, no build step. Every string from
// the server reaches the page as text (textContent / append), never as markup: ledger keys and
// summaries are user input.
(() => {
  'use strict';

  const POLL_MS = 1000;
  const HIDDEN_POLL_MS = 5000;
  const C = { blue: '#1f77b4', orange: '#ff7f0e', green: '#2ca02c', red: '#d62728', purple: '#9467bd', grey: '#7f7f7f', teal: '#17becf' };
  const STATES = [
    ['QUEUED', 'waiting for the endpoint'],
    ['COMPLETED', 'summarized'],
    ['FAILED', 'submit or inference failed'],
    ['REJECTED', 'not summarizable'],
    ['EXPIRED', 'waited past RequestTTL'],
  ];

  // One entry per chart; `field` is the MetricDatapoint property, `label` the CloudWatch metric name.
  const CHARTS = [
    {
      id: 'backlog',
      title: 'Backlog',
      unit: 'requests',
      stat: 'Average · ApproximateBacklogSize (queued + in flight)',
      integer: true,
      series: [{ field: 'ApproximateBacklogSize', label: 'ApproximateBacklogSize', color: C.blue, fill: true }],
    },
    {
      id: 'backlogPerInstance',
      title: 'Backlog per instance',
      unit: 'requests / instance',
      stat: 'Average · the target-tracking metric',
      series: [{ field: 'ApproximateBacklogSizePerInstance', label: 'ApproximateBacklogSizePerInstance', color: C.orange, fill: true }],
    },
    {
      id: 'oldestRequest',
      title: 'Age of oldest request',
      unit: 'simulated time',
      stat: 'Maximum · ApproximateAgeOfOldestRequest',
      format: 's',
      series: [{ field: 'ApproximateAgeOfOldestRequest', label: 'ApproximateAgeOfOldestRequest', color: C.purple, fill: true }],
    },
    {
      id: 'backlogWithoutCapacity',
      title: 'Backlog without capacity',
      unit: '0 / 1',
      stat: 'Maximum · 1 = waiting for the first instance (scale-from-zero alarm)',
      boolean: true,
      series: [{ field: 'HasBacklogWithoutCapacity', label: 'HasBacklogWithoutCapacity', color: C.red, fill: true, stepped: true }],
    },
    {
      id: 'instances',
      title: 'Instances',
      unit: 'instances',
      stat: 'InService and desired count, end of each minute',
      integer: true,
      series: [
        { field: 'InstanceCount', label: 'InService', color: C.green, fill: true, stepped: true },
        { field: 'DesiredInstanceCount', label: 'Desired', color: C.grey, stepped: true, dash: [6, 4] },
      ],
    },
    {
      id: 'invocations',
      title: 'Invocations',
      unit: 'per simulated minute',
      stat: 'Sum · processed, failed and expired requests',
      integer: true,
      series: [
        { field: 'InvocationsProcessed', label: 'InvocationsProcessed', color: C.blue, fill: true },
        { field: 'InvocationFailures', label: 'InvocationFailures', color: C.red },
        { field: 'ExpiredRequests', label: 'ExpiredRequests', color: C.orange },
      ],
    },
    {
      id: 'processingTime',
      title: 'Processing time',
      unit: 'per request',
      stat: 'Average · TotalProcessingTime and TimeInBacklog simulated (left), ModelLatency real (right)',
      format: 'ms',
      leftAxis: 'simulated',
      rightAxis: 'model, real',
      series: [
        { field: 'TotalProcessingTimeMs', label: 'TotalProcessingTime', color: C.blue, gaps: true },
        { field: 'TimeInBacklogMs', label: 'TimeInBacklog', color: C.orange, gaps: true },
        { field: 'ModelLatencyMs', label: 'ModelLatency', color: C.green, gaps: true, scale: 'real' },
      ],
    },
    {
      id: 'deliveryFailures',
      title: 'Notification and S3 failures',
      unit: 'per simulated minute',
      stat: 'Sum · outcomes that could not be delivered',
      integer: true,
      series: [
        { field: 'NotificationFailures', label: 'NotificationFailures', color: C.red },
        { field: 'RequestDownloadFailures', label: 'RequestDownloadFailures', color: C.purple },
        { field: 'ResponseUploadFailures', label: 'ResponseUploadFailures', color: C.teal },
      ],
    },
  ];

  // --- small helpers -------------------------------------------------------------------------

  /** An element with a class and children; strings become text nodes (Element.append), never markup. */
  const el = (tag, className, ...children) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.append(...children.filter((c) => c !== undefined && c !== null).map((c) => (typeof c === 'number' ? String(c) : c)));
    return node;
  };
  const byId = (id) => document.getElementById(id);

  const formatNumber = (v) => {
    if (v === null || v === undefined || Number.isNaN(v)) return '–';
    const a = Math.abs(v);
    if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
    if (a >= 1e4) return `${Math.round(v / 1e3)}k`;
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
  };
  const trim = (v) => String(Math.round(v * 10) / 10);
  /** Milliseconds as people read them: 500 ms, 1.5 s, 4 min, 2 h. */
  const formatMsValue = (ms) => {
    if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
    if (ms === 0) return '0';
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 60_000) return `${trim(ms / 1000)} s`;
    if (ms < 3_600_000) return `${trim(ms / 60_000)} min`;
    return `${trim(ms / 3_600_000)} h`;
  };
  // Axis values and the steps between ticks, per unit: round durations for times, integers for counts.
  const DURATION_MS_INCRS = [
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 144e5, 288e5, 864e5,
  ];
  const FORMATS = {
    number: { value: (v) => formatNumber(v) },
    ms: { value: formatMsValue, incrs: DURATION_MS_INCRS },
    s: {
      value: (v) => (v === null || v === undefined ? '–' : formatMsValue(v * 1000)),
      incrs: DURATION_MS_INCRS.filter((n) => n >= 1000).map((n) => n / 1000),
    },
  };
  const formatDuration = (seconds) => {
    if (!seconds) return '0 s';
    if (seconds < 60) return `${Math.round(seconds)} s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
    return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  };
  const formatMs = (ms) => (ms === undefined ? '–' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
  const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString('en-GB', { hour12: false }) : '–');
  const dayAndClock = (iso) => {
    if (!iso) return '–';
    const d = new Date(iso);
    return `${d.toLocaleDateString('en-CA')} ${d.toLocaleTimeString('en-GB', { hour12: false })}`;
  };

  // --- status tiles and ledger counts ---------------------------------------------------------

  const tiles = {};
  const makeTile = (id, label) => {
    const value = el('div', 'value', '–');
    const detail = el('div', 'detail', '');
    const tile = el('div', 'tile', el('div', 'label', label), value, detail);
    tile.id = `tile-${id}`;
    byId('status').append(tile);
    tiles[id] = { value, detail };
  };
  const setTile = (id, value, detail) => {
    tiles[id].value.textContent = value;
    tiles[id].detail.textContent = detail;
  };
  [
    ['clock', 'Simulated clock'],
    ['instances', 'Instances in service'],
    ['backlog', 'Backlog'],
    ['oldest', 'Oldest queued request'],
    ['totals', 'Endpoint outcomes'],
    ['processes', 'Processes'],
  ].forEach(([id, label]) => makeTile(id, label));

  const counts = {};
  for (const [state, meaning] of STATES) {
    const value = el('div', 'value', '–');
    const card = el('div', `count state-${state.toLowerCase()}`, el('div', 'label', state), value, el('div', 'detail', meaning));
    card.id = `count-${state}`;
    card.dataset.state = state;
    byId('counts').append(card);
    counts[state] = { card, value };
  }
  const totalValue = el('div', 'value', '–');
  const totalCard = el('div', 'count state-total', el('div', 'label', 'TOTAL'), totalValue, el('div', 'detail', 'rows in the ledger'));
  totalCard.id = 'count-TOTAL';
  byId('counts').append(totalCard);

  // --- charts --------------------------------------------------------------------------------

  const charts = {};
  const axisFont = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const axisStyle = {
    stroke: '#5b6675',
    font: axisFont,
    grid: { stroke: '#edf0f3', width: 1 },
    ticks: { stroke: '#dfe3e8', width: 1, size: 4 },
  };
  const alpha = (hex, a) => {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
  };
  const fromZero = (_u, _min, max) => uPlot.rangeNum(0, Math.max(max || 0, 1), 0.1, true);
  const integerIncrs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];
  /** 24-hour clock labels, with the date under the first tick of each day. */
  const timeAxisValues = (_u, splits) => {
    let lastDay;
    return splits.map((seconds) => {
      const d = new Date(seconds * 1000);
      const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
      const day = d.toLocaleDateString('en-CA').slice(5);
      const label = day === lastDay ? time : `${time}\n${day}`;
      lastDay = day;
      return label;
    });
  };

  const chartWidth = (body) => Math.max(240, body.clientWidth);

  const makeChart = (def) => {
    const body = el('div', 'chart-body');
    const figure = el(
      'figure',
      'card chart',
      el('figcaption', '', el('span', 'title', def.title), el('span', 'unit', def.unit), el('div', 'stat', def.stat)),
      body,
    );
    figure.id = `chart-${def.id}`;
    figure.dataset.points = '0';
    byId('charts').append(figure);

    const format = FORMATS[def.format || 'number'];
    const valueAxis = (extra) => ({
      ...axisStyle,
      size: 60,
      values: (_u, splits) => splits.map(format.value),
      ...(def.boolean ? { splits: () => [0, 1] } : def.integer ? { incrs: integerIncrs } : format.incrs ? { incrs: format.incrs } : {}),
      ...extra,
    });
    const scales = { x: { time: true }, y: def.boolean ? { range: [0, 1.25] } : { range: fromZero } };
    const axes = [
      { ...axisStyle, space: 64, values: timeAxisValues },
      valueAxis(def.leftAxis ? { label: def.leftAxis, labelSize: 16, labelFont: axisFont } : {}),
    ];
    if (def.rightAxis) {
      scales.real = { range: fromZero };
      axes.push(valueAxis({ scale: 'real', side: 1, grid: { show: false }, label: def.rightAxis, labelSize: 16, labelFont: axisFont }));
    }
    const plot = new uPlot(
      {
        width: chartWidth(body),
        height: 190,
        scales,
        axes,
        cursor: { drag: { x: false, y: false } },
        legend: { live: true },
        series: [
          { value: (_u, v) => (v === null ? '–' : dayAndClock(new Date(v * 1000).toISOString())) },
          ...def.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            scale: s.scale || 'y',
            fill: s.fill ? alpha(s.color, 0.1) : undefined,
            dash: s.dash,
            spanGaps: Boolean(s.gaps),
            paths: s.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
            points: { size: 5, fill: s.color },
            value: (_u, v) => format.value(v),
          })),
        ],
      },
      [[], ...def.series.map(() => [])],
      body,
    );
    new ResizeObserver(() => {
      const width = chartWidth(body);
      if (width !== plot.width) plot.setSize({ width, height: 190 });
    }).observe(body);
    charts[def.id] = { def, plot, figure };
  };
  CHARTS.forEach(makeChart);

  // --- state and drawing ---------------------------------------------------------------------

  const state = { points: [], windowPoints: Number(byId('window').value), generation: 0, polls: 0, lastError: undefined };

  /** Appends datapoints newer than the last one held, keeping the chosen window. */
  const merge = (metrics) => {
    const last = state.points.length > 0 ? Date.parse(state.points[state.points.length - 1].timestamp) : -Infinity;
    for (const d of metrics) if (Date.parse(d.timestamp) > last) state.points.push(d);
    if (state.points.length > state.windowPoints) state.points.splice(0, state.points.length - state.windowPoints);
  };

  const drawCharts = () => {
    const xs = state.points.map((d) => Date.parse(d.timestamp) / 1000);
    for (const { def, plot, figure } of Object.values(charts)) {
      plot.setData([xs, ...def.series.map((s) => state.points.map((d) => d[s.field]))]);
      // The legend shows the newest datapoint unless the pointer is over the chart.
      if (xs.length > 0 && !(plot.cursor.left >= 0)) plot.setLegend({ idx: xs.length - 1 });
      figure.dataset.points = String(xs.length);
    }
  };

  // The local cloud restarts DynamoDB and replaces model servers that die; a crash loop stops that.
  const drawProcesses = (processes) => {
    const failed = processes.filter((p) => p.state === 'failed');
    const restarting = processes.filter((p) => p.state === 'restarting');
    const names = (list) => list.map((p) => p.name).join(', ');
    const value =
      failed.length > 0
        ? `${names(failed)} stopped`
        : restarting.length > 0
          ? `${names(restarting)} restarting`
          : processes.length > 0
            ? 'all running'
            : '–';
    const detail =
      failed.length > 0
        ? failed.map((p) => p.reason).join(' · ')
        : processes.map((p) => `${p.name}: ${formatNumber(p.restarts)} ${p.restarts === 1 ? 'restart' : 'restarts'}`).join(' · ');
    setTile('processes', value, detail);
    byId('tile-processes').dataset.state = failed.length > 0 ? 'failed' : restarting.length > 0 ? 'restarting' : 'running';
  };

  const drawStatus = (data) => {
    const s = data.status;
    byId('endpoint-name').textContent = `${s.endpointName} / ${s.variantName}`;
    const scale = data.timeScale ? `time scale ≈ ${data.timeScale}×` : 'measuring time scale…';
    setTile('clock', clock(s.time), `${new Date(s.time).toLocaleDateString('en-CA')} · ${scale}`);
    const i = s.instances;
    setTile('instances', String(i.inService), `desired ${s.desiredInstanceCount} · starting ${i.pending} · stopping ${i.terminating}`);
    setTile('backlog', formatNumber(s.backlog), `${formatNumber(s.queued)} queued · ${formatNumber(s.inFlight)} in flight`);
    setTile('oldest', formatDuration(s.oldestRequestAgeS), 'simulated time, still queued');
    const t = s.totals;
    setTile(
      'totals',
      formatNumber(t.completed),
      `completed · ${formatNumber(t.failed)} failed · ${formatNumber(t.expired)} expired · ${formatNumber(t.notificationFailures)} not notified`,
    );

    drawProcesses(data.processes || []);

    const note = byId('time-note');
    if (data.timeScale) {
      const realSeconds = 60 / data.timeScale;
      const per =
        Math.abs(realSeconds - 1) < 0.05
          ? 'real second'
          : realSeconds > 1
            ? `${trim(realSeconds)} real seconds`
            : `${Math.round(realSeconds * 1000)} real ms`;
      note.textContent = `Each datapoint is one simulated minute (the 1-minute period of the CloudWatch dashboard). The local cloud runs at ≈${data.timeScale}× time: a simulated minute passes every ${per}. Chart times and scaling activities are on the simulated clock; ModelLatency is real time, the model runs for real.`;
    }
  };

  const drawCounts = (ledger) => {
    let total = 0;
    for (const [stateName] of STATES) {
      const n = ledger.counts[stateName] ?? 0;
      total += n;
      counts[stateName].value.textContent = formatNumber(n);
      counts[stateName].card.dataset.count = String(n);
    }
    totalValue.textContent = formatNumber(total);
    totalCard.dataset.count = String(total);
  };

  const emptyRow = (columns, text) => {
    const td = el('td', 'empty', text);
    td.colSpan = columns;
    return el('tr', '', td);
  };

  const drawLatest = (latest) => {
    const rows = latest.map((r) => {
      const key = el('td', 'key', el('code', '', r.key));
      key.title = r.key;
      // A long article in progress shows its parts ("QUEUED · 3/7 parts"); a finished one its summary.
      const progress = r.progress ? el('div', 'progress', `${r.state} · ${r.progress}`) : '';
      // A document's own title and format above its summary (article text is hostile: el() sets text only).
      const title = r.title ? el('div', 'title', r.format ? el('span', 'format', r.format) : '', r.title) : '';
      const summary = el('td', 'summary', title, progress, r.summary);
      return el('tr', '', key, summary, el('td', 'when', dayAndClock(r.completedAt)), el('td', 'num', formatMs(r.totalMs)));
    });
    const body = byId('latest').tBodies[0];
    body.replaceChildren(
      ...(rows.length > 0 ? rows : [emptyRow(4, 'No summaries yet. Drop articles under input/, e.g. npm run drop -- samples/')]),
    );
    byId('latest').dataset.rows = String(rows.length);
  };

  // One row per message of the ArticleEventsTopic (what an e-mail or SQS subscriber received); the event
  // id, which a subscriber de-duplicates on, on hover.
  const drawEvents = (events) => {
    const rows = (events || []).map((e) => {
      const key = el('td', 'key', el('code', '', e.key));
      key.title = `${e.key}\nevent ${e.eventId}`;
      const text = el('td', 'summary', e.title ? el('div', 'progress', e.title) : '', e.text);
      const row = el(
        'tr',
        '',
        el('td', 'when', dayAndClock(e.deliveredAt)),
        el('td', `state ${e.state.toLowerCase()}`, e.state),
        key,
        text,
        el('td', 'num', e.costUsd === undefined ? '–' : `$${e.costUsd.toFixed(6)}`),
      );
      row.dataset.event = e.eventId;
      return row;
    });
    const body = byId('events').tBodies[0];
    body.replaceChildren(...(rows.length > 0 ? rows : [emptyRow(5, 'No article has ended yet: each one that does sends one message.')]));
    byId('events').dataset.rows = String(rows.length);
  };

  // One row per batch: a bar of finished articles (failed ones in their own colour), the ETA as
  // `npm run status` computes it, and the cost so far (instance time; the rows' costUsd on hover).
  const drawBatches = (batches) => {
    const rows = (batches || []).map((b) => {
      const finished = b.total - b.byState.QUEUED;
      const share = b.total === 0 ? 0 : finished / b.total;
      const bar = el('div', 'bar', el('div', 'fill'), el('div', 'fill bad'));
      bar.children[0].style.width = `${(100 * (b.byState.COMPLETED / Math.max(1, b.total))).toFixed(1)}%`;
      bar.children[1].style.width = `${(100 * ((finished - b.byState.COMPLETED) / Math.max(1, b.total))).toFixed(1)}%`;
      bar.title = STATES.map(([s]) => `${s} ${b.byState[s]}`).join(' · ');
      const cost = el('td', 'num', `$${b.costUsd.instances.toFixed(4)}`);
      cost.title = `instance time since the batch began × price; the rows' costUsd (time in the endpoint, queueing included): $${b.costUsd.articles.toFixed(4)}`;
      const eta = b.etaSeconds === 0 ? 'done' : formatDuration(b.etaSeconds);
      const row = el(
        'tr',
        '',
        el('td', 'key', el('code', '', b.prefix)),
        el('td', 'progress-cell', bar, ` ${Math.floor(share * 100)}%`),
        el('td', 'num', `${formatNumber(finished)} / ${formatNumber(b.total)}`),
        el('td', 'num', String(b.completedPerMinute)),
        el('td', 'num', eta),
        cost,
      );
      row.dataset.batch = b.prefix;
      return row;
    });
    const body = byId('batches').tBodies[0];
    body.replaceChildren(
      ...(rows.length > 0
        ? rows
        : [emptyRow(6, 'No batches yet. Drop articles under a folder of input/, e.g. npm run drop -- --prefix batch-1 samples/')]),
    );
    byId('batches').dataset.rows = String(rows.length);
  };

  const drawActivities = (activities) => {
    const rows = activities.map((a) => {
      const direction = a.to > a.from ? 'up' : a.to < a.from ? 'down' : 'same';
      const change = el('td', `num change ${direction}`, `${a.from} → ${a.to}`);
      const cause = el('td', 'cause', a.cause);
      cause.title = a.description;
      return el('tr', '', el('td', 'when', dayAndClock(a.time)), change, el('td', 'policy', el('code', '', a.policyName)), cause);
    });
    const body = byId('activities').tBodies[0];
    body.replaceChildren(...(rows.length > 0 ? rows : [emptyRow(4, 'No scaling activity yet.')]));
    byId('activities').dataset.rows = String(rows.length);
  };

  const setConnection = (kind, text) => {
    const node = byId('connection');
    node.dataset.state = kind;
    node.querySelector('.text').textContent = text;
  };

  // --- polling -------------------------------------------------------------------------------

  // One request at a time; a change of window discards an answer already on its way (generation).
  let timer;
  let polling = false;
  let again = false;
  const poll = async () => {
    if (polling) {
      again = true;
      return;
    }
    polling = true;
    clearTimeout(timer);
    const generation = state.generation;
    try {
      const url = new URL('/_dashboard/data.json', location.href);
      url.searchParams.set('points', String(state.windowPoints));
      if (state.points.length > 0) url.searchParams.set('since', state.points[state.points.length - 1].timestamp);
      const res = await fetch(url, { cache: 'no-store' });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(data.message || `HTTP ${res.status}`);
      if (generation === state.generation) {
        merge(data.metrics);
        drawCharts();
        drawStatus(data);
        drawCounts(data.ledger);
        drawLatest(data.ledger.latest);
        drawBatches(data.batches);
        drawEvents(data.articleEvents);
        drawActivities(data.scalingActivities);
        state.polls += 1;
        document.body.dataset.polls = String(state.polls);
      }
      state.lastError = undefined;
      setConnection('live', `live · ${clock(data.generatedAt)}`);
    } catch (error) {
      state.lastError = String(error && error.message ? error.message : error);
      setConnection('offline', `no data: ${state.lastError}`);
    } finally {
      polling = false;
      if (again) {
        again = false;
        poll();
      } else {
        timer = setTimeout(poll, document.hidden ? HIDDEN_POLL_MS : POLL_MS);
      }
    }
  };

  byId('window').addEventListener('change', (event) => {
    state.windowPoints = Number(event.target.value);
    state.points = [];
    state.generation += 1;
    poll();
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) poll();
  });

  // For people in the console and for the browser test: the uPlot instances and the poll state.
  window.dashboard = { charts: Object.fromEntries(Object.entries(charts).map(([id, c]) => [id, c.plot])), state };
  poll();
})();
