// The explorer: search, entity pages (timeline, relations, positions, graph), a path finder and
// a sources panel for every fact. The address says what is shown, so every view can be linked:
//   /                          all events
//   /?entity=person:antony-blinken
//   /?path=person:antony-blinken,country:gt
// Data reaches the page as text only (textContent / setAttribute), never as HTML.
// The first view comes rendered from the server (templates/_explorer.html) with the answers
// it was made from (config.initial): the script builds the same view from them and keeps the
// server's elements when they are the same, binding its handlers to them.
import { Formatter, readConfig, reducedMotion } from './format.js';
import { el, entityHref, feedKeys, graphql, renderEvent, sourceItems } from './render.js';

const config = readConfig();
const fmt = new Formatter(config.locale, config.messages);
const view = document.getElementById('ex-view');
const sourcesPanel = document.getElementById('ex-sources');
const sourcesFact = document.getElementById('ex-sources-fact');
const sourcesList = document.getElementById('ex-sources-list');
const pathHint = document.getElementById('ex-path-hint');
const BASE = '/';
const ID = /^[a-z]+:[a-z0-9]+(-[a-z0-9]+)*$/;

let renderToken = 0;
// The server rendered #ex-view for this address: the first route adopts it.
let initial = config.initial || null;
let serverView = Boolean(initial);
// What to bind once a view is in the page: each gets a function from the elements built to
// the ones in the page (the server's, when kept).
let binders = [];
const afterMount = (bind) => binders.push(bind);

// Every query gets the page's locale: dates come back written in it (DateSpan.display).
const query = (name, variables) =>
  graphql(config.graphql, config.queries[name], { ...variables, locale: config.locale });
const href = (id) => entityHref(BASE, id);
const navLink = (id, text, attrs = {}) => el('a', { href: href(id), 'data-nav': true, ...attrs }, text);
const kindChip = (kind) => el('span', { class: 'ex-kind', 'data-kind': kind }, fmt.kind(kind));

// --- routing -------------------------------------------------------------------------------

function stateFromUrl() {
  const params = new URLSearchParams(window.location.search);
  const entity = params.get('entity');
  if (entity) return { entity: entity.trim() };
  const path = params.get('path');
  if (path) {
    const [from, to] = path.split(',').map((part) => part.trim());
    return { path: [from || '', to || ''] };
  }
  return { home: true };
}

function pathHref(from, to) {
  return `${BASE}?path=${[from, to].map((id) => encodeURIComponent(id).replace(/%3A/gi, ':')).join(',')}`;
}

function navigate(url) {
  if (url === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', url);
  route({ focus: true });
}

window.addEventListener('popstate', () => route({ focus: true }));

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-nav]');
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});

async function route({ focus = false } = {}) {
  const token = ++renderToken;
  const state = stateFromUrl();
  const current = () => token === renderToken;
  const kind = state.entity ? 'entity' : state.path ? 'path' : 'home';
  const preloaded = initial && initial.route === kind ? initial : null;
  initial = null;
  binders = [];
  if (!preloaded) {
    serverView = false;
    view.setAttribute('aria-busy', 'true');
    view.replaceChildren(el('p', { class: 'ex-loading' }, fmt.t('explorer.loading')));
  }
  destroyGraph();
  try {
    if (state.entity) await showEntity(state.entity, current, preloaded);
    else if (state.path) await showPath(state.path, current, preloaded);
    else await showHome(current, preloaded);
  } catch (error) {
    if (!current()) return;
    serverView = false;
    view.replaceChildren(el('p', { class: 'ex-error', role: 'alert' },
      fmt.t('explorer.failed', { message: error.message })));
  } finally {
    if (current()) view.setAttribute('aria-busy', 'false');
  }
  if (focus && current()) {
    const heading = view.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
    window.scrollTo({ top: 0, behavior: reducedMotion() ? 'auto' : 'smooth' });
  }
}

// --- putting a view in the page ------------------------------------------------------------

// Two trees are the same view when their elements, attributes and words are (whitespace
// between elements, and whether a <details> is open, aside).
const IGNORED = new Set(['open']);
const kids = (node) => [...node.childNodes].filter((child) =>
  child.nodeType === Node.ELEMENT_NODE || (child.nodeType === Node.TEXT_NODE && child.data.trim()));
const words = (text) => text.replace(/\s+/g, ' ').trim();

function sameTree(a, b) {
  if (a.nodeType !== b.nodeType) return false;
  if (a.nodeType === Node.TEXT_NODE) return words(a.data) === words(b.data);
  if (a.tagName !== b.tagName) return false;
  const names = (node) => node.getAttributeNames().filter((name) => !IGNORED.has(name)).sort();
  const an = names(a);
  const bn = names(b);
  if (an.join() !== bn.join() || an.some((name) => a.getAttribute(name) !== b.getAttribute(name))) return false;
  return sameChildren(a, b);
}

function sameChildren(a, b) {
  const ak = kids(a);
  const bk = kids(b);
  return ak.length === bk.length && ak.every((child, i) => sameTree(child, bk[i]));
}

function pairUp(built, shown, pairs) {
  pairs.set(built, shown);
  const elements = (node) => kids(node).filter((n) => n.nodeType === Node.ELEMENT_NODE);
  const shownKids = elements(shown);
  elements(built).forEach((child, i) => pairUp(child, shownKids[i], pairs));
}

/** Show a view built of nodes: the server's elements stay when they are the same view (the
 *  first route), otherwise the new ones replace what is shown; then bind the handlers. */
function mount(...nodes) {
  const built = el('div', {}, ...nodes);
  built.normalize();
  let live = (node) => node;
  const kept = serverView && sameChildren(view, built);
  if (kept) {
    const pairs = new Map();
    pairUp(built, view, pairs);
    live = (node) => pairs.get(node) || node;
  } else {
    view.replaceChildren(...built.childNodes);
  }
  view.dataset.rendered = kept ? 'server' : 'script';
  serverView = false;
  const bind = binders;
  binders = [];
  bind.forEach((fn) => fn(live));
}

// --- event lists ---------------------------------------------------------------------------

/** A feed of events with a "More events" button; fetchPage(after) gives an EventConnection.
 *  heading: the events' heading element, one level below the feed's own heading. */
function eventFeed(labelId, first, fetchPage, current, heading = 'h3') {
  const feed = el('div', { class: 'tl-feed', role: 'feed', 'aria-busy': 'false', 'aria-labelledby': labelId });
  const button = el('button', { type: 'button', class: 'tl-more-button' }, fmt.t('events.more'));
  const status = el('p', { class: 'tl-status', role: 'status', 'aria-live': 'polite' });
  const link = (e) => ({ href: href(e.id), 'data-nav': true });
  const articles = (connection, start, fresh) => connection.edges.map((edge, i) =>
    renderEvent(edge.node, start + i + 1, connection.totalCount, fmt,
      { link, heading, fresh, why: edge.matchedBy }));
  const shown = articles(first, 0, false);
  feed.append(...shown);
  button.hidden = !first.pageInfo.hasNextPage || shown.length === 0;
  afterMount((live) => bindFeed(live(feed), live(button), live(status), first, fetchPage, articles, current));
  const empty = first.edges.length ? null : el('p', { class: 'tl-empty' }, fmt.t('explorer.no_events'));
  return el('div', { class: 'ex-events' }, feed, empty, el('div', { class: 'tl-pager' }, button, status));
}

function bindFeed(feed, button, status, first, fetchPage, articles, current) {
  let page = first;
  feedKeys(feed);
  button.addEventListener('click', async () => {
    button.disabled = true;
    feed.setAttribute('aria-busy', 'true');
    status.textContent = fmt.t('events.loading');
    try {
      const next = await fetchPage(page.pageInfo.endCursor);
      if (!current()) return;
      page = next;
      const added = articles(next, feed.querySelectorAll('article').length, true);
      feed.append(...added);
      button.hidden = !next.pageInfo.hasNextPage || added.length === 0;
      status.textContent = fmt.plural('events.loaded', added.length);
      if (added.length) added[0].focus();
    } catch (error) {
      status.textContent = fmt.t('events.failed');
    } finally {
      button.disabled = false;
      feed.setAttribute('aria-busy', 'false');
    }
  });
}

// --- home ----------------------------------------------------------------------------------

async function showHome(current, preloaded) {
  const variables = { first: config.pageSize, after: null };
  const { data } = preloaded || await query('timeline', variables);
  if (!current()) return;
  document.title = fmt.t('explorer.title');
  mount(
    el('header', { class: 'ex-entity-header' },
      el('h1', { id: 'ex-title' }, fmt.t('explorer.home')),
      el('p', { class: 'ex-lede' }, fmt.t('explorer.tagline'), ' ', fmt.t('explorer.home_intro')),
      el('div', { class: 'ex-actions' }, downloads(null))),
    el('section', { class: 'ex-section', 'aria-labelledby': 'ex-title' },
      eventFeed('ex-title', data.timeline, async (after) =>
        (await query('timeline', { ...variables, after })).data.timeline, current, 'h2')));
}

// --- an entity -----------------------------------------------------------------------------

async function showEntity(id, current, preloaded) {
  const [{ data }, neighbors] = preloaded
    ? [preloaded, { data: { neighbors: preloaded.neighbors } }]
    : await Promise.all([
      query('entity', { id, first: config.pageSize }),
      query('neighbors', { id }).catch(() => null),
    ]);
  if (!current()) return;
  const entity = data.entity;
  if (!entity) {
    document.title = fmt.t('explorer.title');
    mount(el('h1', {}, fmt.t('explorer.not_found', { id })));
    return;
  }
  document.title = `${entity.name} — ${fmt.t('explorer.title')}`;
  const graph = neighbors && neighbors.data && neighbors.data.neighbors;
  const graphBox = el('div', {
    class: 'ex-graph', id: 'ex-graph', role: 'img',
    'aria-label': graph
      ? fmt.t('explorer.graph_label', { name: entity.name, count: Math.max(0, graph.nodes.length - 1) })
      : null,
  });
  const graphSection = el('section', { class: 'ex-section ex-graph-section', 'aria-labelledby': 'ex-graph-heading' },
    el('h2', { id: 'ex-graph-heading' }, fmt.t('explorer.graph')),
    // a phone shows the graph when asked (explorer.css shows this button at that width only)
    graph
      ? el('button', { type: 'button', class: 'ex-button ex-graph-show', 'aria-controls': 'ex-graph' }, fmt.t('explorer.graph_show'))
      : null,
    graphBox,
    graph
      ? el('ul', { class: 'ex-legend', 'aria-hidden': 'true' },
        [...new Set(graph.nodes.map((node) => node.kind))].sort().map((kind) => el('li', { 'data-kind': kind }, fmt.kind(kind))))
      : null);

  const sections = [
    entityHeader(entity),
    graphSection,
    el('section', { class: 'ex-section', 'aria-labelledby': 'ex-events-heading' },
      el('h2', { id: 'ex-events-heading' }, fmt.t('explorer.timeline'),
        el('span', { class: 'ex-count' }, data.timeline.totalCount)),
      eventFeed('ex-events-heading', data.timeline, async (after) =>
        (await query('entityEvents', { id, first: config.pageSize, after })).data.timeline, current)),
  ];
  if (entity.positions && entity.positions.length) sections.push(positionsSection(entity));
  sections.push(relationsSection(entity));
  let box = graphBox;
  afterMount((live) => { box = live(graphBox); });
  mount(...sections);

  if (graph) {
    const section = box.closest('.ex-graph-section');
    const draw = () => {
      section.classList.add('ex-graph-shown');
      drawGraph(box, graph.nodes, graph.edges, entity.id, 'concentric');
    };
    if (window.matchMedia(`(max-width: ${NARROW}px)`).matches) {
      // A phone shows the graph when asked (Relations lists the same links): the viewer
      // and its layout cost nothing until then. The page has the button from the start
      // (CSS hides the box at this width), so nothing moves when the script arrives.
      section.querySelector('.ex-graph-show').addEventListener('click', draw, { once: true });
    } else {
      draw();
    }
  }
}

function entityHeader(entity) {
  const facts = [];
  if (entity.code) facts.push(entity.code);
  if (entity.acronym) facts.push(entity.acronym);
  if (entity.category) facts.push(fmt.category(entity.category));
  if (entity.status === 'PLANNED') facts.push(fmt.t('event.planned'));
  if (entity.date) facts.push(fmt.date(entity.date));
  if (entity.agreementDate) facts.push(fmt.date(entity.agreementDate));
  const embedUrl = `${config.embed}?involving=${encodeURIComponent(entity.id).replace(/%3A/gi, ':')}`;
  const snippet = `<iframe src="${embedUrl}" width="640" height="600" style="border:0;max-width:100%" title="${entity.name.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}" loading="lazy"></iframe>`;
  return el('header', { class: 'ex-entity-header' },
    el('p', { class: 'ex-eyebrow' }, kindChip(entity.kind),
      facts.map((fact) => el('span', { class: 'ex-fact' }, fact)),
      entity.place ? el('span', { class: 'ex-fact' }, navLink(entity.place.id, entity.place.name)) : null),
    el('h1', { id: 'ex-title' }, entity.name),
    entity.description ? el('p', { class: 'ex-lede' }, entity.description) : null,
    entity.aliases && entity.aliases.length
      ? el('p', { class: 'ex-aliases' }, el('span', { class: 'tl-label' }, fmt.t('explorer.aliases')), ' ',
        entity.aliases.join(' · '))
      : null,
    el('div', { class: 'ex-actions' },
      sourcesButton(entity.name, entity.sources),
      el('details', { class: 'ex-embed' },
        el('summary', {}, fmt.t('explorer.embed')),
        el('p', {}, el('a', { href: embedUrl, target: '_blank', rel: 'noopener' }, embedUrl)),
        el('pre', { class: 'ex-snippet' }, el('code', {}, snippet))),
      downloads(entity.id)));
}

const EXPORTS = [['graphml', 'GraphML'], ['gexf', 'GEXF'], ['json', 'JSON'], ['csv', 'CSV']];

/** "Download" links to GET /export/{format}: the whole graph, or one entity's timeline. */
function downloads(id) {
  const filter = id ? `?involving=${encodeURIComponent(id).replace(/%3A/gi, ':')}` : '';
  const link = (format, label) => el('a', { href: `${config.export}/${format}${filter}`, download: '', class: 'ex-download-link' }, label);
  return el('details', { class: 'ex-embed ex-download' },
    el('summary', {}, fmt.t('explorer.download')),
    el('p', {}, fmt.t(id ? 'explorer.download_entity' : 'explorer.download_all'), ' ',
      EXPORTS.flatMap(([format, label], i) => [i ? ' · ' : '', link(format, label)]),
      ' · ', link('seeds', fmt.t('explorer.download_seeds'))));
}

function positionsSection(entity) {
  return el('section', { class: 'ex-section', 'aria-labelledby': 'ex-positions-heading' },
    el('h2', { id: 'ex-positions-heading' }, fmt.t('explorer.positions')),
    el('ul', { class: 'ex-facts' }, entity.positions.map((position) => {
      const start = fmt.date(position.start);
      const end = fmt.date(position.end);
      let span = '';
      if (start && end) span = fmt.t('explorer.position_span', { start, end });
      else if (start) span = fmt.t('explorer.position_since', { start });
      else if (end) span = fmt.t('explorer.position_until', { end });
      const org = position.organization;
      const label = org ? `${position.title}, ${org.name}` : position.title;
      return el('li', { class: 'ex-fact-row' },
        el('span', { class: 'ex-fact-main' }, el('strong', {}, position.title),
          org ? [', ', navLink(org.id, org.name)] : null),
        span ? el('span', { class: 'ex-fact-date' }, span) : null,
        inferredTag(position),
        sourcesButton(`${entity.name}: ${label}`, position.sources));
    })));
}

function relationsSection(entity) {
  const groups = new Map();
  for (const relation of entity.relations) {
    const key = `${relation.type}.${relation.direction}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(relation);
  }
  const section = el('section', { class: 'ex-section', 'aria-labelledby': 'ex-relations-heading' },
    el('h2', { id: 'ex-relations-heading' }, fmt.t('explorer.relations'),
      el('span', { class: 'ex-count' }, entity.relations.length)));
  if (!groups.size) section.append(el('p', { class: 'ex-hint' }, fmt.t('explorer.no_relations')));
  for (const [key, relations] of groups) {
    const [type, direction] = key.split('.');
    const label = fmt.relation(type, direction);
    const headingId = `ex-rel-${type.toLowerCase()}-${direction.toLowerCase()}`;
    section.append(el('div', { class: 'ex-group' },
      el('h3', { id: headingId }, label, el('span', { class: 'ex-count' }, relations.length)),
      el('ul', { class: 'ex-facts', 'aria-labelledby': headingId }, relations.map((relation) => {
        const other = relation.other;
        const fact = direction === 'OUT'
          ? `${entity.name} — ${label} — ${other.name}`
          : `${other.name} — ${fmt.relation(type, 'OUT')} — ${entity.name}`;
        return el('li', { class: 'ex-fact-row' },
          el('span', { class: 'ex-fact-main' }, kindChip(other.kind), ' ', navLink(other.id, other.name),
            relation.role ? el('span', { class: 'tl-role' }, fmt.role(relation.role)) : null),
          relation.date ? el('span', { class: 'ex-fact-date' }, fmt.date(relation.date)) : null,
          inferredTag(relation),
          sourcesButton(fact, relation.sources));
      }))));
  }
  return section;
}

// --- sources panel -------------------------------------------------------------------------

/** A fact no source states (basis INFERRED) says so beside its sources button. */
function inferredTag(fact) {
  if (fact.basis !== 'INFERRED') return null;
  return el('span', { class: 'ex-basis', 'data-basis': 'inferred', title: fmt.t('explorer.inferred_hint') },
    fmt.t('explorer.inferred'));
}

function sourcesButton(fact, sources) {
  const count = (sources || []).length;
  const button = el('button', {
    type: 'button', class: 'ex-src-button', 'aria-controls': 'ex-sources', 'data-fact': fact,
  }, fmt.plural('sources.toggle', count));
  afterMount((live) => live(button).addEventListener('click', () => showSources(fact, sources)));
  return button;
}

function showSources(fact, sources) {
  sourcesFact.textContent = fmt.t('explorer.sources_for', { fact });
  const items = sourceItems(sources, fmt);
  sourcesList.replaceChildren(...(items.length ? items : [el('li', {}, fmt.t('sources.none'))]));
  sourcesPanel.classList.add('ex-flash');
  window.setTimeout(() => sourcesPanel.classList.remove('ex-flash'), 600);
  sourcesPanel.focus({ preventScroll: true });
  sourcesPanel.scrollIntoView({ block: 'nearest', behavior: reducedMotion() ? 'auto' : 'smooth' });
}

// --- the graph -----------------------------------------------------------------------------

let cy = null;

function destroyGraph() {
  if (cy) cy.destroy();
  cy = null;
  window.cy = null;
}

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function shortLabel(name) {
  return name.length > 34 ? `${name.slice(0, 32)}…` : name;
}

// The graph viewer (Cytoscape, the explorer's largest file) loads only when a graph's box
// comes near the screen: a page whose reader never scrolls to it never downloads it.
let viewer = null;
function loadViewer() {
  if (typeof window.cytoscape === 'function') return Promise.resolve();
  if (!config.cytoscape) return Promise.reject(new Error('no graph viewer'));
  viewer = viewer || new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = config.cytoscape;
    script.onload = () => resolve();
    script.onerror = () => { viewer = null; reject(new Error('the graph viewer did not load')); };
    document.head.append(script);
  });
  return viewer;
}

function whenShown(container, draw) {
  const run = () => loadViewer().then(draw, () => draw());
  if (!('IntersectionObserver' in window)) { run(); return; }
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    run();
  }, { rootMargin: '100px 0px' });
  observer.observe(container);
}

function drawGraph(container, nodes, edges, focusIds, layoutName) {
  whenShown(container, () => {
    if (container.isConnected) drawGraphNow(container, nodes, edges, focusIds, layoutName);
  });
}

// On a phone the graph names only the entity shown and its best-connected neighbours; the
// others say their name when tapped (a second tap opens them), and all of them are listed,
// with their relation, under Relations.
const NARROW = 560;
const NARROW_LABELS = 6;

/** Drop the labels that would overlap a more important one or leave the box (the entity
 *  shown first, then by connections); a dropped one shows again when its node is tapped. */
function keepReadableLabels(cy, container, focus) {
  const width = container.clientWidth;
  const height = container.clientHeight;
  const kept = [];
  const order = cy.nodes().filter((n) => n.data('named') === 1)
    .sort((a, b) => (focus.has(b.id()) ? 1 : 0) - (focus.has(a.id()) ? 1 : 0) || b.degree() - a.degree());
  const hits = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  order.forEach((node) => {
    const box = node.renderedBoundingBox({ includeLabels: true, includeOverlays: false });
    const inside = box.x1 >= 0 && box.y1 >= 0 && box.x2 <= width && box.y2 <= height;
    if (focus.has(node.id()) || (inside && !kept.some((other) => hits(box, other)))) {
      kept.push(box);
    } else {
      node.data('named', 0);
    }
  });
}

function drawGraphNow(container, nodes, edges, focusIds, layoutName) {
  if (typeof window.cytoscape !== 'function') {
    container.replaceChildren(el('p', { class: 'ex-hint' }, fmt.t('explorer.graph_unavailable')));
    return;
  }
  const focus = new Set([].concat(focusIds));
  const ids = new Set(nodes.map((n) => n.id));
  const narrow = container.clientWidth < NARROW && layoutName === 'concentric';
  const degree = new Map();
  for (const e of edges) {
    for (const end of [e.source, e.target]) degree.set(end, (degree.get(end) || 0) + 1);
  }
  const named = new Set(nodes.filter((n) => !focus.has(n.id))
    .sort((a, b) => (degree.get(b.id) || 0) - (degree.get(a.id) || 0) || a.id.localeCompare(b.id))
    .slice(0, NARROW_LABELS).map((n) => n.id));
  const elements = [
    ...nodes.map((node) => ({
      group: 'nodes',
      data: {
        id: node.id, label: shortLabel(node.name), kind: node.kind, focus: focus.has(node.id) ? 1 : 0,
        named: !narrow || focus.has(node.id) || named.has(node.id) ? 1 : 0,
      },
    })),
    ...edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((edge, i) => ({
      group: 'edges', data: { id: `edge-${i}`, source: edge.source, target: edge.target, type: edge.type },
    })),
  ];
  const kinds = ['EVENT', 'PERSON', 'COUNTRY', 'ORGANIZATION', 'AGREEMENT', 'PLACE'];
  const text = cssVar('--fg', '#1b1f24');
  const halo = cssVar('--bg', '#ffffff');
  const style = [
    {
      selector: 'node',
      style: {
        'background-color': cssVar('--kind-other', '#888'),
        label: 'data(label)', color: text, 'font-size': 11, 'font-family': 'system-ui, sans-serif',
        'text-valign': 'bottom', 'text-margin-y': 4, 'text-wrap': 'wrap', 'text-max-width': 110,
        'text-outline-color': halo, 'text-outline-width': 2, width: 16, height: 16,
      },
    },
    ...kinds.map((kind) => ({
      selector: `node[kind = "${kind}"]`,
      style: { 'background-color': cssVar(`--kind-${kind.toLowerCase()}`, '#888') },
    })),
    {
      selector: 'node[focus = 1]',
      style: { width: 34, height: 34, 'font-size': 13, 'font-weight': 'bold', 'border-width': 3, 'border-color': text },
    },
    {
      selector: 'edge',
      style: {
        width: 1.2, 'line-color': cssVar('--edge', '#b9c0c8'), 'curve-style': 'bezier',
        'target-arrow-shape': 'triangle', 'target-arrow-color': cssVar('--edge', '#b9c0c8'), 'arrow-scale': 0.7,
      },
    },
    { selector: 'node[named = 0]', style: { label: '' } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': cssVar('--accent', '#0b5cad'), label: 'data(label)' } },
  ];
  // An entity's neighbourhood: the entity in the middle, its events around it, then the
  // people, countries and the rest; a path: a column from one end to the other.
  const ring = { EVENT: 2, AGREEMENT: 1, PLACE: 1, PERSON: 0, COUNTRY: 0, ORGANIZATION: 0 };
  const layout = layoutName === 'concentric'
    ? {
      name: 'concentric', animate: false, padding: 24, minNodeSpacing: 26, avoidOverlap: true,
      concentric: (node) => (node.data('focus') ? 10 : ring[node.data('kind')] ?? 0),
      levelWidth: () => 1,
    }
    : { name: 'breadthfirst', directed: false, roots: [...focus].slice(0, 1), animate: false, padding: 30, spacingFactor: 1.1 };
  cy = window.cytoscape({
    container, elements, style, layout,
    minZoom: 0.3, maxZoom: 3, boxSelectionEnabled: false, autoungrabify: false,
  });
  if (layoutName === 'concentric') {
    // Stretch the rings to the box's shape, so labels get room in a wide box.
    const stretch = Math.min(2.4, Math.max(1, container.clientWidth / Math.max(1, container.clientHeight)));
    cy.nodes().positions((node) => ({ x: node.position('x') * stretch, y: node.position('y') }));
    cy.fit(undefined, 24);
  }
  if (narrow) keepReadableLabels(cy, container, focus);
  cy.on('tap', 'node', (event) => {
    const node = event.target;
    if (!node.data('named') && !node.selected()) {
      cy.nodes().unselect();
      node.select();  // a phone's first tap names it
      return;
    }
    navigate(href(node.id()));
  });
  cy.on('mouseover', 'node', () => { container.style.cursor = 'pointer'; });
  cy.on('mouseout', 'node', () => { container.style.cursor = ''; });
  window.cy = cy; // for tests and the curious
}

// --- the path finder -----------------------------------------------------------------------

const fromInput = document.getElementById('ex-path-from');
const toInput = document.getElementById('ex-path-to');

async function showPath([from, to], current, preloaded) {
  const valid = ID.test(from) && ID.test(to);
  if (!valid) {
    mount(el('h1', {}, fmt.t('path.heading')), el('p', { class: 'ex-hint' }, fmt.t('path.pick')));
    return;
  }
  const { data } = preloaded || await query('path', { from, to, maxLength: config.pathMaxLength });
  if (!current()) return;
  const a = data.a;
  const b = data.b;
  if (!a || !b) {
    mount(el('h1', {}, fmt.t('explorer.not_found', { id: !a ? from : to })));
    return;
  }
  fromInput.value = a.name;
  fromInput.dataset.id = a.id;
  toInput.value = b.name;
  toInput.dataset.id = b.id;
  document.title = `${a.name} → ${b.name} — ${fmt.t('explorer.title')}`;
  const heading = el('h1', { id: 'ex-title' }, a.name, el('span', { class: 'ex-arrow', 'aria-hidden': 'true' }, ' → '),
    el('span', { class: 'ex-visually-hidden' }, ' / '), b.name);
  const path = data.shortestPath;
  if (!path) {
    mount(el('header', { class: 'ex-entity-header' }, el('p', { class: 'ex-eyebrow' }, fmt.t('path.heading')), heading),
      el('p', { class: 'ex-hint', role: 'status' }, fmt.t('path.none', { max: config.pathMaxLength })));
    return;
  }
  const steps = el('ol', { class: 'ex-path-steps' });
  path.nodes.forEach((node, i) => {
    steps.append(el('li', { class: 'ex-step' }, kindChip(node.kind), ' ', navLink(node.id, node.name)));
    const edge = path.edges[i];
    if (edge) {
      const forward = edge.source === node.id;
      steps.append(el('li', { class: 'ex-step-edge', 'aria-label': fmt.relation(edge.type, forward ? 'OUT' : 'IN') },
        el('span', { 'aria-hidden': 'true' }, forward ? '↓ ' : '↑ '),
        fmt.relation(edge.type, forward ? 'OUT' : 'IN'),
        edge.role ? el('span', { class: 'tl-role' }, fmt.role(edge.role)) : null));
    }
  });
  const graphBox = el('div', { class: 'ex-graph ex-graph-path', id: 'ex-graph', role: 'img', 'aria-label': fmt.plural('path.result', path.length) });
  let box = graphBox;
  afterMount((live) => { box = live(graphBox); });
  mount(
    el('header', { class: 'ex-entity-header' }, el('p', { class: 'ex-eyebrow' }, fmt.t('path.heading')), heading,
      el('p', { class: 'ex-lede', role: 'status' }, fmt.plural('path.result', path.length))),
    el('section', { class: 'ex-section ex-path-layout' }, steps, graphBox));
  drawGraph(box, path.nodes, path.edges, [a.id, b.id], 'breadthfirst');
}

// --- type-ahead ----------------------------------------------------------------------------

function combobox(input, onSelect) {
  const listbox = document.getElementById(input.getAttribute('aria-controls'));
  let hits = [];
  let active = -1;
  let seq = 0;
  let timer = 0;

  const close = () => {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const setActive = (index) => {
    const options = [...listbox.querySelectorAll('[role="option"]')];
    if (!hits.length) return;
    active = (index + hits.length) % hits.length;
    options.forEach((option, i) => option.setAttribute('aria-selected', i === active ? 'true' : 'false'));
    input.setAttribute('aria-activedescendant', options[active].id);
    options[active].scrollIntoView({ block: 'nearest' });
  };
  const choose = (index) => {
    const hit = hits[index];
    if (!hit) return;
    input.value = hit.node.name;
    input.dataset.id = hit.node.id;
    close();
    onSelect(hit.node);
  };
  const show = (text) => {
    listbox.replaceChildren();
    if (!hits.length) {
      listbox.append(el('li', { class: 'ex-option ex-option-empty', role: 'option', 'aria-disabled': 'true', id: `${listbox.id}-none` },
        fmt.t('explorer.search_empty', { text })));
    }
    hits.forEach((hit, i) => {
      const option = el('li', { class: 'ex-option', role: 'option', id: `${listbox.id}-${i}`, 'aria-selected': 'false', 'data-id': hit.node.id },
        el('span', { class: 'ex-option-text' }, ...suggestionText(hit)), kindChip(hit.node.kind));
      option.addEventListener('mousedown', (event) => event.preventDefault());
      option.addEventListener('click', () => choose(i));
      listbox.append(option);
    });
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
  };
  const update = async () => {
    const text = input.value.trim();
    const mine = ++seq;
    if (text.length < 2) {
      hits = [];
      close();
      return;
    }
    try {
      const { data } = await query('search', { text });
      if (mine !== seq) return;
      hits = data.search || [];
      show(text);
    } catch {
      if (mine === seq) close();
    }
  };
  input.addEventListener('input', () => {
    delete input.dataset.id;
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 120);
  });
  input.addEventListener('keydown', (event) => {
    const open = !listbox.hidden;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) update(); else setActive(active + 1);
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      setActive(active - 1);
    } else if (event.key === 'Enter' && open && hits.length) {
      event.preventDefault();
      choose(active >= 0 ? active : 0);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => window.setTimeout(close, 150));
  return { choose, hasHits: () => hits.length > 0 };
}

// A suggestion: the name, with the words the query matched marked; when the match was in
// another field (an alias, acronym, venue, position, type or description), that text too,
// marked, on a second line (a description shortened around its first match).
const SNIPPET = 60;

function marked(parts, shorten = false) {
  let pieces = parts;
  if (shorten) {
    const first = parts.findIndex((p) => p.matched);
    const before = parts.slice(0, first).map((p) => p.text).join('');
    const lead = before.length > SNIPPET / 2 ? `…${before.slice(-SNIPPET / 2)}` : before;
    pieces = [{ text: lead, matched: false }, ...parts.slice(first)];
    let total = 0;
    const kept = [];
    for (const piece of pieces) {
      if (total >= SNIPPET * 2) { kept.push({ text: '…', matched: false }); break; }
      kept.push(piece);
      total += piece.text.length;
    }
    pieces = kept;
  }
  return pieces.filter((p) => p.text).map((p) => (p.matched ? el('mark', { class: 'ex-match' }, p.text) : p.text));
}

function suggestionText(hit) {
  const matched = hit.matched || [];
  const name = matched.find((m) => m.field === 'NAME');
  const line = [el('span', { class: 'ex-option-name' }, ...(name ? marked(name.parts) : [hit.node.name]))];
  // Another field only when it says more than the name: matched first (most words), or alone.
  const other = matched.find((m) => m.field !== 'NAME');
  if (other && (!name || matched.indexOf(other) < matched.indexOf(name))) {
    const field = other.field.toLowerCase();
    line.push(el('span', { class: 'ex-option-why', 'data-field': field },
      `${fmt.t(`explorer.match.${field}`)}: `, ...marked(other.parts, field === 'description')));
  }
  return line;
}

const search = document.getElementById('ex-search');
const searchBox = combobox(search, (node) => {
  search.value = '';
  navigate(href(node.id));
});
document.getElementById('ex-search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (searchBox.hasHits()) searchBox.choose(0);
  else if (ID.test(search.value.trim())) navigate(href(search.value.trim()));
});

combobox(fromInput, () => toInput.focus());
combobox(toInput, () => {});
document.getElementById('ex-path-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const pick = (input) => input.dataset.id || (ID.test(input.value.trim()) ? input.value.trim() : '');
  const from = pick(fromInput);
  const to = pick(toInput);
  if (!from || !to) {
    pathHint.textContent = fmt.t('path.pick');
    return;
  }
  pathHint.textContent = '';
  navigate(pathHref(from, to));
});

route();
