// Every string a reader sees, from the server's message table (timeline/api/formatting.py,
// read from the gettext catalogues in timeline/api/locales).
// Dates are not formatted here: the API sends each one pre-formatted, only as precise as its
// sources (DateSpan.display), and date() passes it through.

export class Formatter {
  constructor(locale, messages) {
    this.locale = locale;
    this.messages = messages || {};
    this.pluralRules = new Intl.PluralRules(locale);
    this.numbers = new Intl.NumberFormat(locale);
  }

  t(key, params = {}) {
    const template = Object.hasOwn(this.messages, key) ? this.messages[key] : key;
    return template.replace(/\{(\w+)\}/g, (match, name) =>
      Object.hasOwn(params, name) ? String(params[name]) : match);
  }

  // The form CLDR's plural rule gives count in this language (the server's table has one
  // entry per category: events.count.one, events.count.many, events.count.other).
  plural(key, count, params = {}) {
    const category = this.pluralRules.select(count);
    const found = Object.hasOwn(this.messages, `${key}.${category}`) ? category : 'other';
    return this.t(`${key}.${found}`, { count: this.numbers.format(count), ...params });
  }

  category(value) {
    const label = this.messages[`category.${value}`];
    if (label !== undefined) return label;
    const words = words_(value);
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  role(value) {
    return this.messages[`role.${value}`] ?? words_(value);
  }

  kind(value) {
    const upper = String(value).toUpperCase();
    return this.messages[`kind.${upper}`] ?? upper.charAt(0) + upper.slice(1).toLowerCase();
  }

  relation(type, direction) {
    const label = this.messages[`relation.${type}.${direction}`];
    if (label !== undefined) return label;
    const words = words_(String(type).toLowerCase());
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  date(span) {
    return span ? String(span.display || span.edtf || '') : '';
  }

  join(names) {
    if (names.length <= 1) return names.join('');
    return names.slice(0, -1).join(', ') + this.t('embed.names_and') + names[names.length - 1];
  }
}

function words_(value) {
  return String(value).replace(/[_\s]+/g, ' ').trim();
}

/** The page's configuration: a JSON data block the server wrote (never executed). */
export function readConfig() {
  const node = document.getElementById('tl-config');
  return JSON.parse(node ? node.textContent : '{}');
}

export const reducedMotion = () =>
  window.matchMedia('(prefers-reduced-motion: reduce)').matches;
