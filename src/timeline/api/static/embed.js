// The embed: the first page comes rendered from the server; later pages come from /graphql
// with the same query document, as the reader scrolls near the end or presses "More events".
import { Formatter, readConfig, reducedMotion } from './format.js';
import { entityHref, feedKeys, graphql, renderEvent } from './render.js';

const config = readConfig();
const fmt = new Formatter(config.locale, config.messages);
const feed = document.querySelector('.tl-feed');
const button = document.querySelector('.tl-more-button');
const status = document.querySelector('.tl-status');
const link = (e) => ({ href: entityHref(config.explorer, e.id), target: '_blank', rel: 'noopener' });

let hasNextPage = Boolean(config.hasNextPage);
let endCursor = config.endCursor;
let total = config.total;
let loading = false;

async function loadMore({ focus = false } = {}) {
  if (loading || !hasNextPage) return;
  loading = true;
  feed.setAttribute('aria-busy', 'true');
  button.disabled = true;
  status.textContent = fmt.t('events.loading');
  try {
    const variables = { ...config.variables, first: config.pageSize, after: endCursor };
    const { data } = await graphql(config.graphql, config.query, variables);
    const page = data.timeline;
    total = page.totalCount;
    const start = feed.querySelectorAll('article').length;
    const added = page.edges.map((edge, i) => renderEvent(edge.node, start + i + 1, total, fmt, { link, why: edge.matchedBy }));
    feed.append(...added);
    for (const article of feed.querySelectorAll('article')) article.setAttribute('aria-setsize', total);
    hasNextPage = page.pageInfo.hasNextPage && added.length > 0;
    endCursor = page.pageInfo.endCursor;
    status.textContent = fmt.plural('events.loaded', added.length);
    if (focus && added.length) {
      added[0].focus({ preventScroll: true });
      added[0].scrollIntoView({ block: 'start', behavior: reducedMotion() ? 'auto' : 'smooth' });
    }
    if (!hasNextPage) {
      button.hidden = true;
      status.textContent += ` · ${fmt.t('events.end')}`;
    }
  } catch (error) {
    status.textContent = fmt.t('events.failed');
    console.warn('timeline: could not load more events:', error);
  } finally {
    loading = false;
    button.disabled = false;
    feed.setAttribute('aria-busy', 'false');
  }
}

button.addEventListener('click', () => loadMore({ focus: true }));
feedKeys(feed);

if ('IntersectionObserver' in window) {
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) loadMore();
  }, { rootMargin: '0px 0px 300px 0px' });
  observer.observe(button);
}

// Responsive height: tell the page around us how tall the content is, whenever it changes
// (more events, sources opened, a narrower column). /embed.js on that page sizes the
// iframe; an AMP page's <amp-iframe resizable> reads the 'embed-size' message.
const framed = window.parent !== window;
let lastHeight = 0;
function reportHeight(force = false) {
  if (!framed) return;
  const height = Math.ceil(document.querySelector('.tl-embed').getBoundingClientRect().height);
  if (!force && Math.abs(height - lastHeight) < 2) return;
  lastHeight = height;
  window.parent.postMessage({ type: 'timeline:resize', height }, '*');
  window.parent.postMessage({ sentinel: 'amp', type: 'embed-size', height }, '*');
}
if (framed) {
  if ('ResizeObserver' in window) new ResizeObserver(() => reportHeight()).observe(document.querySelector('.tl-embed'));
  window.addEventListener('load', () => reportHeight(true));
  window.addEventListener('message', (event) => {
    if (event.source === window.parent && event.data && event.data.type === 'timeline:measure') reportHeight(true);
  });
  reportHeight(true);
}

// Print: every event's sources, open.
const closed = [];
window.addEventListener('beforeprint', () => {
  for (const details of document.querySelectorAll('details:not([open])')) {
    details.open = true;
    closed.push(details);
  }
});
window.addEventListener('afterprint', () => {
  while (closed.length) closed.pop().open = false;
});
