// The review page: an ingested article with its mentions highlighted, each proposal beside
// its sentence, accept / edit / reject over GraphQL (write scope). Text is only ever set
// with textContent: nothing from an article or a proposal is parsed as HTML.

const config = JSON.parse(document.getElementById("rv-config").textContent);
const $ = (id) => document.getElementById(id);
const KEY_STORE = "timeline.review.key";

function key() {
  return sessionStorage.getItem(KEY_STORE) || "";
}

function status(message, isError = false) {
  const box = $("rv-status");
  box.textContent = message;
  box.classList.toggle("rv-error", isError);
}

async function gql(query, variables = {}) {
  const headers = { "Content-Type": "application/json" };
  if (key()) headers.Authorization = `Bearer ${key()}`;
  const response = await fetch(config.graphql, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) {
    const error = new Error(body.errors[0].message);
    error.problems = (body.errors[0].extensions || {}).problems || [];
    throw error;
  }
  return body.data;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function summary(item) {
  switch (item.kind) {
    case "MENTION":
      return `${item.name} → ${item.entity}`;
    case "ENTITY":
      return `new ${item.entityKind}: ${item.name} (${item.proposedId})`;
    case "DATE":
      return `${item.name} = ${item.edtf} (${item.precision})`;
    case "FACT":
      return `${item.subject} ${item.relation} ${item.object}${item.role ? ` (${item.role})` : ""}`;
    case "EVENT":
      return `${item.entity ? "event " + item.entity : "new event " + item.proposedId}${
        item.edtf ? ", " + item.edtf : ""
      }`;
    default:
      return item.kind;
  }
}

function highlighted(text, sentence, items) {
  // the sentence's text with its mentions (known: mark.rv-mention; new: mark.rv-new)
  const spans = items
    .filter((i) => i.kind === "MENTION" || i.kind === "ENTITY")
    .map((i) => ({ start: i.quote.spanStart, end: i.quote.spanEnd, item: i }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out = el("p", { class: "rv-text", id: `rv-s-${sentence.start}` });
  let at = sentence.start;
  for (const span of spans) {
    if (span.start < at || span.end > sentence.end) continue; // overlaps one shown already
    out.append(text.slice(at, span.start));
    const title = span.item.kind === "MENTION" ? span.item.entity : `new ${span.item.entityKind}`;
    out.append(
      el("mark", { class: span.item.kind === "MENTION" ? "rv-mention" : "rv-new", title },
        text.slice(span.start, span.end)),
    );
    at = span.end;
  }
  out.append(text.slice(at, sentence.end));
  return out;
}

let current = null;

function proposalNode(item) {
  const node = el("li", {
    class: "rv-item",
    tabindex: "0",
    "data-id": item.id,
    "data-kind": item.kind,
    "data-status": item.status,
    "aria-label": `${item.kind} proposal: ${summary(item)}, ${item.status.toLowerCase()}`,
  });
  node.append(
    el("span", { class: "rv-kind", text: item.kind }),
    el("span", { class: "rv-summary", text: summary(item) }),
  );
  const meta = [`confidence ${Math.round(item.confidence * 100)}%`];
  if (item.basis) meta.push(item.basis);
  if (item.note) meta.push(item.note);
  if (item.context) meta.push(item.context);
  if (item.status === "REJECTED" && item.reason) meta.push(`rejected: ${item.reason}`);
  node.append(el("div", { class: "rv-meta", text: meta.join(" · ") }));
  const actions = el("div", { class: "rv-actions" });
  if (item.status === "PENDING") {
    const accept = el("button", { type: "button", "data-action": "accept", text: "Accept" });
    const edit = el("button", { type: "button", "data-action": "edit", text: "Edit" });
    const reject = el("button", { type: "button", "data-action": "reject", text: "Reject" });
    accept.addEventListener("click", () => act(item, "accept"));
    edit.addEventListener("click", () => openEdit(item, node));
    reject.addEventListener("click", () => openReject(item, node));
    actions.append(accept, edit, reject);
  }
  node.append(actions);
  return node;
}

function openEdit(item, node) {
  const actions = node.querySelector(".rv-actions");
  actions.replaceChildren();
  const label = `edits-${item.id}`;
  const area = el("textarea", { id: label, rows: "3", spellcheck: "false" });
  area.value = "{}";
  const save = el("button", { type: "button", text: "Accept with edits" });
  const cancel = el("button", { type: "button", text: "Cancel" });
  save.addEventListener("click", () => {
    let edits;
    try {
      edits = JSON.parse(area.value || "{}");
    } catch (error) {
      status(`The edits are not JSON: ${error.message}`, true);
      area.focus();
      return;
    }
    act(item, "accept", { edits });
  });
  cancel.addEventListener("click", () => render(current));
  actions.append(el("label", { for: label, text: "Edits (JSON fields that replace the proposal's)" }),
    area, save, cancel);
  area.focus();
}

function openReject(item, node) {
  const actions = node.querySelector(".rv-actions");
  actions.replaceChildren();
  const label = `reason-${item.id}`;
  const input = el("input", { id: label, type: "text" });
  const save = el("button", { type: "button", text: "Reject" });
  const cancel = el("button", { type: "button", text: "Cancel" });
  const send = () => act(item, "reject", { reason: input.value });
  save.addEventListener("click", send);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") send();
    if (event.key === "Escape") render(current);
  });
  cancel.addEventListener("click", () => render(current));
  actions.append(el("label", { for: label, text: "Reason" }), input, save, cancel);
  input.focus();
}

async function act(item, action, extra = {}) {
  try {
    if (action === "accept") {
      await gql(config.queries.accept, { id: item.id, edits: extra.edits || null });
      status(`Accepted: ${summary(item)}`);
    } else {
      await gql(config.queries.reject, { id: item.id, reason: extra.reason || "" });
      status(`Rejected: ${summary(item)}`);
    }
    await openSet(current.id, item.id);
  } catch (error) {
    const problems = error.problems.map((p) => `${p.path}: ${p.reason}`).join("; ");
    status(`${action === "accept" ? "Not accepted" : "Not rejected"}: ${error.message}${
      problems ? ` (${problems})` : ""}`, true);
  }
}

function render(set, focusId = null) {
  current = set;
  $("rv-article").hidden = false;
  $("rv-article-title").textContent = `${set.title} (${set.published})`;
  const rows = $("rv-rows");
  rows.replaceChildren();
  const bySentence = new Map();
  for (const item of set.items) {
    const k = `${item.quote.start}:${item.quote.end}`;
    if (!bySentence.has(k)) bySentence.set(k, { start: item.quote.start, end: item.quote.end, items: [] });
    bySentence.get(k).items.push(item);
  }
  const sentences = [...bySentence.values()].sort((a, b) => a.start - b.start);
  let at = 0;
  const plain = (from, to) => {
    const text = set.text.slice(from, to).trim();
    if (text) rows.append(el("div", { class: "rv-row" }, el("p", { class: "rv-text", text }), el("div")));
  };
  for (const sentence of sentences) {
    if (sentence.start < at) continue;
    plain(at, sentence.start);
    const list = el("ul", { class: "rv-items", "aria-label": "Proposals for this sentence" });
    for (const item of sentence.items) list.append(proposalNode(item));
    rows.append(el("div", { class: "rv-row" }, highlighted(set.text, sentence, sentence.items), list));
    at = sentence.end;
  }
  plain(at, set.text.length);
  const focus = focusId && rows.querySelector(`[data-id="${CSS.escape(focusId)}"]`);
  if (focus) focus.focus();
}

async function openSet(id, focusId = null) {
  const data = await gql(config.queries.set, { id });
  if (!data.proposalSet) {
    status(`No article ${id}`, true);
    return;
  }
  render(data.proposalSet, focusId);
}

async function loadSets() {
  if (!key()) {
    status("Give an API key with the write scope to review.");
    return;
  }
  try {
    const data = await gql(config.queries.list);
    const list = $("rv-sets");
    list.replaceChildren();
    for (const set of data.proposals) {
      const pending = set.items.filter((i) => i.status === "PENDING").length;
      const link = el("a", { href: `?set=${encodeURIComponent(set.id)}`, "data-set": set.id },
        `${set.title} (${pending} pending)`);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        history.pushState(null, "", link.getAttribute("href"));
        openSet(set.id).catch((error) => status(error.message, true));
      });
      list.append(el("li", {}, link));
    }
    if (!data.proposals.length) status("No ingested articles yet.");
    const wanted = new URLSearchParams(location.search).get("set");
    if (wanted) await openSet(wanted);
  } catch (error) {
    status(error.message, true);
  }
}

function moveFocus(step) {
  const items = [...document.querySelectorAll(".rv-item")];
  if (!items.length) return;
  const at = items.indexOf(document.activeElement.closest(".rv-item"));
  const next = items[Math.max(0, Math.min(items.length - 1, at < 0 ? 0 : at + step))];
  next.focus();
}

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (target.matches("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "j") { moveFocus(1); event.preventDefault(); return; }
  if (event.key === "k") { moveFocus(-1); event.preventDefault(); return; }
  const node = target.closest && target.closest(".rv-item");
  if (!node || !current) return;
  const item = current.items.find((i) => i.id === node.dataset.id);
  if (!item || item.status !== "PENDING") return;
  if (event.key === "a") { act(item, "accept"); event.preventDefault(); }
  if (event.key === "e") { openEdit(item, node); event.preventDefault(); }
  if (event.key === "r") { openReject(item, node); event.preventDefault(); }
});

$("rv-key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORE, $("rv-key").value.trim());
  $("rv-key").value = "";
  loadSets();
});

$("rv-ingest-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const input = {
    text: form.get("text"),
    title: form.get("title"),
    published: form.get("published"),
    language: form.get("language"),
  };
  if (form.get("publisher")) input.publisher = form.get("publisher");
  try {
    const data = await gql(config.queries.ingest, { input });
    status(`Ingested: ${data.ingest.items.length} proposals`);
    history.pushState(null, "", `?set=${encodeURIComponent(data.ingest.id)}`);
    await loadSets();
  } catch (error) {
    status(`Not ingested: ${error.message}`, true);
  }
});

window.addEventListener("popstate", () => loadSets());
loadSets();
