/* global document, location, fetch, URL, setTimeout, clearTimeout */
// The dashboard's Trends panel: completed articles per published day (bars), the top and rising key
// phrases of the chosen period, and, for a clicked phrase, its articles with their summaries. Reads
// /_dashboard/trends.json and /_dashboard/trends/articles.json; refreshes every 30 s. Every string
// from the server reaches the page as text (textContent / append), never as markup: keys, titles,
// phrases and summaries all come from users' articles.
(() => {
  'use strict';

  const REFRESH_MS = 30_000;
  const byId = (id) => document.getElementById(id);
  const el = (tag, className, ...children) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.append(...children.filter((c) => c !== undefined && c !== null).map((c) => (typeof c === 'number' ? String(c) : c)));
    return node;
  };
  const state = { data: undefined, period: undefined, phrase: undefined, loads: 0 };
  const periodLabel = (p) => (p.start === p.end ? p.start : `${p.start} – ${p.end}`);

  const getJson = async (path, params) => {
    const url = new URL(path, location.href);
    for (const [name, value] of Object.entries(params)) if (value) url.searchParams.set(name, value);
    const res = await fetch(url, { cache: 'no-store' });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message || `HTTP ${res.status}`);
    return body;
  };

  const drawBars = (data) => {
    const max = Math.max(1, ...data.days.map((d) => d.articles));
    const bars = data.days.map((d) => {
      const bar = el('button', 'trend-bar', el('span', 'fill'), el('span', 'n', d.articles || ''));
      bar.type = 'button';
      bar.dataset.day = d.day;
      bar.dataset.articles = String(d.articles);
      bar.title = `${d.day}: ${d.articles} article(s)`;
      bar.querySelector('.fill').style.height = `${Math.round((d.articles / max) * 100)}%`;
      const period = data.periods.find((p) => p.start <= d.day && d.day <= p.end);
      if (period && state.period && period.start === state.period.start) bar.classList.add('selected');
      bar.addEventListener('click', () => period && selectPeriod(period));
      return bar;
    });
    byId('trend-bars').replaceChildren(...bars);
    const first = data.days[0];
    const last = data.days[data.days.length - 1];
    byId('trend-axis').textContent = first && last ? `${first.day} … ${last.day}` : '';
  };

  const phraseItem = (phrase, detail) => {
    const button = el('button', 'phrase', phrase);
    button.type = 'button';
    button.addEventListener('click', () => showArticles(phrase));
    const item = el('li', '', button, el('span', 'detail', detail));
    item.dataset.phrase = phrase;
    return item;
  };

  const drawPeriod = () => {
    const p = state.period;
    byId('trend-period').textContent = p ? `${periodLabel(p)} · ${p.articles} article(s)` : 'no articles in this range';
    const top = p ? p.top.map((t) => phraseItem(t.phrase, `${t.count}`)) : [];
    const rising = p ? p.rising.map((r) => phraseItem(r.phrase, `z ${r.score.toFixed(2)} · ${r.count}`)) : [];
    byId('trend-top').replaceChildren(...(top.length ? top : [el('li', 'empty', 'none')]));
    byId('trend-rising').replaceChildren(...(rising.length ? rising : [el('li', 'empty', 'none (no earlier articles to compare with)')]));
    if (state.data) drawBars(state.data);
  };

  const selectPeriod = (period) => {
    state.period = period;
    state.phrase = undefined;
    byId('trend-articles-title').textContent = 'Click a phrase to see its articles.';
    byId('trend-articles').replaceChildren();
    drawPeriod();
  };

  const showArticles = async (phrase) => {
    const p = state.period;
    if (!p) return;
    state.phrase = phrase;
    byId('trend-articles-title').textContent = `“${phrase}” · ${periodLabel(p)} · loading…`;
    try {
      const data = await getJson('/_dashboard/trends/articles.json', { phrase, from: p.start, to: p.end });
      if (state.phrase !== phrase) return;
      byId('trend-articles-title').textContent = `“${phrase}” · ${periodLabel(p)} · ${data.articles.length} article(s)`;
      byId('trend-articles').replaceChildren(
        ...data.articles.map((a) => {
          const item = el(
            'li',
            '',
            el('div', 'head', el('strong', '', a.title || a.key), el('code', '', a.key), el('span', 'detail', a.publishedDay)),
            el('p', 'summary', a.summary),
          );
          item.dataset.key = a.key;
          return item;
        }),
      );
    } catch (error) {
      byId('trend-articles-title').textContent = `“${phrase}”: ${error.message}`;
    }
  };

  let timer;
  const load = async () => {
    clearTimeout(timer);
    try {
      const data = await getJson('/_dashboard/trends.json', {
        from: byId('trend-from').value,
        to: byId('trend-to').value,
        by: byId('trend-by').value,
      });
      state.data = data;
      if (!byId('trend-from').value) byId('trend-from').value = data.from;
      if (!byId('trend-to').value) byId('trend-to').value = data.to;
      // Keep the chosen period across refreshes; else the latest one with articles.
      const kept = state.period && data.periods.find((p) => p.start === state.period.start);
      state.period = kept || [...data.periods].reverse().find((p) => p.articles > 0) || data.periods[data.periods.length - 1];
      byId('trend-error').textContent = '';
      drawPeriod();
      state.loads += 1;
      byId('trends').dataset.loads = String(state.loads);
    } catch (error) {
      byId('trend-error').textContent = `no trends: ${error.message}`;
    } finally {
      timer = setTimeout(load, REFRESH_MS);
    }
  };

  for (const id of ['trend-from', 'trend-to', 'trend-by']) {
    byId(id).addEventListener('change', () => {
      state.period = undefined;
      load();
    });
  }
  load();
})();
