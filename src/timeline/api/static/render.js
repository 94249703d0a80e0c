// Builds the markup of templates/_event.html in the browser, for pages loaded after the first.
// Data only ever reaches the page as text (textContent, setAttribute): never as HTML.

/** An element: el('p', {class: 'x'}, 'text', child, ...). Null/false children are skipped. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function domId(id) {
  return 'ev-' + String(id).toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
}

/** The explorer's address of an entity: /?entity=person:antony-blinken */
export function entityHref(base, id) {
  return `${base}?entity=${encodeURIComponent(id).replace(/%3A/gi, ':')}`;
}

/** An HTML datetime no more precise than the date: 2024, 2021-10 or 2022-04-20. */
export function datetimeAttr(date) {
  const day = String(date.start);
  if (date.precision === 'YEAR') return day.slice(0, 4);
  if (date.precision === 'MONTH') return day.slice(0, 7);
  return day;
}

/** Only http(s) links from the data become links. */
export function safeUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Hosts first, then the rest in the API's order; one entry per entity (roles joined).
 *  The same rule as key_participants() in timeline/api/pages.py. */
export function keyParticipants(participants, limit = 6) {
  const merged = new Map();
  for (const part of participants || []) {
    const entry = merged.get(part.entity.id) || { entity: part.entity, roles: [] };
    if (part.role && !entry.roles.includes(part.role)) entry.roles.push(part.role);
    merged.set(part.entity.id, entry);
  }
  const entries = [...merged.values()];
  const isHost = (e) => e.roles.some((r) => r === 'host' || r === 'co-host');
  const ordered = [...entries.filter(isHost), ...entries.filter((e) => !isHost(e))];
  return [ordered.slice(0, limit), Math.max(0, ordered.length - limit)];
}

/** How a source backs its fact, in words: "Stated: ..." or "Inferred: <note>".
 *  pages.basis_words says the same for pages rendered on the server. */
export function basisWords(source, fmt) {
  if (source.basis === 'INFERRED') {
    return source.note
      ? fmt.t('sources.inferred', { note: source.note })
      : fmt.t('sources.inferred_no_note');
  }
  return fmt.t('sources.stated');
}

/** The <li> items of a source list: the quote, how it backs the fact, then document title,
 *  publisher, date, link. */
export function sourceItems(sources, fmt) {
  return (sources || []).map((source) => {
    const doc = source.document || {};
    const url = safeUrl(doc.url);
    return el('li', { class: 'tl-source' },
      el('blockquote', { class: 'tl-quote' }, source.quote),
      source.basis
        ? el('p', { class: 'tl-basis', 'data-basis': source.basis.toLowerCase() }, basisWords(source, fmt))
        : null,
      el('p', { class: 'tl-cite' },
        el('cite', {}, doc.title),
        doc.publisher ? el('span', { class: 'tl-publisher' }, doc.publisher) : null,
        doc.published
          ? el('span', { class: 'tl-published' },
            fmt.t('sources.published', { date: fmt.date(doc.published) }))
          : null,
        url
          ? el('a', { class: 'tl-doc-link', href: url, target: '_blank', rel: 'noopener noreferrer' },
            fmt.t('sources.link'))
          : null));
  });
}

/** Why an event matched timeline(involving:), in one short line (edge.matchedBy). */
export function whyLine(matchedBy, fmt) {
  const lines = (matchedBy || []).map((reason) => reason.description);
  if (!lines.length) return null;
  return el('p', { class: 'tl-why', title: lines.join('\n') },
    el('span', { class: 'tl-label' }, fmt.t('event.why')), ' ', lines[0],
    lines.length > 1 ? [' ', el('span', { class: 'tl-why-more' }, fmt.plural('event.why_more', lines.length - 1))] : null);
}

/** One event as an <article> of a feed. options.link(e) gives the title's <a> attributes;
 *  options.heading its heading element (h2 by default); options.why the edge's matchedBy. */
export function renderEvent(e, position, total, fmt, options) {
  const key = domId(e.id);
  const [shown, more] = keyParticipants(e.participants);
  const planned = e.status === 'PLANNED';
  const article = el('article', {
    class: ['tl-event', options.fresh === false ? null : 'tl-new', planned ? 'tl-planned' : null]
      .filter(Boolean).join(' '),
    id: key, 'data-status': (e.status || 'OCCURRED').toLowerCase(), tabindex: '0', 'data-event-id': e.id, 'data-category': e.category,
    'aria-posinset': position, 'aria-setsize': total,
    'aria-labelledby': `${key}-title`, 'aria-describedby': `${key}-when`,
  });
  const when = el('div', { class: 'tl-when', id: `${key}-when` },
    el('time', {
      class: 'tl-date', datetime: datetimeAttr(e.date), 'data-precision': e.date.precision,
    }, fmt.date(e.date)));
  const body = el('div', { class: 'tl-body' },
    el('p', { class: 'tl-meta' },
      el('span', { class: 'tl-chip', 'data-category': e.category }, fmt.category(e.category)),
      planned
        ? el('span', { class: 'tl-planned-chip', title: fmt.t('event.planned_hint') }, fmt.t('event.planned'))
        : null,
      e.place ? el('span', { class: 'tl-place' }, e.place.name) : null),
    el(options.heading || 'h2', { class: 'tl-title', id: `${key}-title` }, el('a', options.link(e), e.name)),
    whyLine(options.why, fmt),
    e.partOf
      ? el('p', { class: 'tl-part-of' }, fmt.t('event.part_of'), ' ',
        el('span', { class: 'tl-parent' }, e.partOf.name))
      : null,
    e.description ? el('p', { class: 'tl-desc' }, e.description) : null,
    shown.length
      ? el('div', { class: 'tl-participants' },
        el('span', { class: 'tl-label' }, fmt.t('event.participants')),
        el('ul', { class: 'tl-people' },
          shown.map((p) => el('li', {},
            el('span', { class: 'tl-name' }, p.entity.name),
            p.roles.length ? [' ', el('span', { class: 'tl-role' }, p.roles.map((r) => fmt.role(r)).join(', '))] : null)),
          more ? el('li', { class: 'tl-more-people' }, fmt.plural('event.more_participants', more)) : null))
      : null,
    e.sources && e.sources.length
      ? el('details', { class: 'tl-sources' },
        el('summary', { class: 'tl-sources-toggle' }, fmt.plural('sources.toggle', e.sources.length)),
        el('ol', { class: 'tl-source-list' }, sourceItems(e.sources, fmt)))
      : null);
  article.append(when, body);
  return article;
}

/** PageUp/PageDown move between the articles of a feed (the ARIA feed pattern). */
export function feedKeys(feed) {
  feed.addEventListener('keydown', (event) => {
    if (event.key !== 'PageDown' && event.key !== 'PageUp') return;
    const article = event.target.closest('article');
    if (!article || !feed.contains(article)) return;
    const next = event.key === 'PageDown' ? article.nextElementSibling : article.previousElementSibling;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
}

/** POST one GraphQL operation; {data, errors} back, or an Error when there is no data. */
export async function graphql(endpoint, query, variables) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`HTTP ${response.status}`);
  }
  if (!body.data && body.errors && body.errors.length) throw new Error(body.errors[0].message);
  if (!body.data) throw new Error(`HTTP ${response.status}`);
  return body;
}
