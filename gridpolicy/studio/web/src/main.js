// 规则工作室 The rule studio: CodeMirror 6 editor, live diagnostics, try an item, diff, save.
// Built into ../static/studio.js by scripts/build-studio.sh (esbuild); served by gridpolicy.studio.
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { StreamLanguage, HighlightStyle, syntaxHighlighting, bracketMatching } from "@codemirror/language";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { tags } from "@lezer/highlight";

const api = (path, body) =>
  fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, data: await r.json() }));

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
};

// ---- the rule language, for highlighting --------------------------------------------------

function gpLanguage(vocab) {
  const decl = new Set(vocab.declarations);
  const props = new Set(vocab.properties);
  const words = new Set(vocab.operators);
  const units = new Set(vocab.units);
  return StreamLanguage.define({
    name: "gridpolicy",
    startState: () => ({ block: false }),
    token(stream, state) {
      if (state.block) {
        if (stream.skipTo('"""')) { stream.match('"""'); state.block = false; } else stream.skipToEnd();
        return "string";
      }
      if (stream.eatSpace()) return null;
      if (stream.match("#")) { stream.skipToEnd(); return "comment"; }
      if (stream.match('"""')) { state.block = true; return "string"; }
      if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
      if (stream.match(/^\d{4}-\d{2}-\d{2}(T[\d:]+([+-]\d{2}:\d{2}|Z)?)?/)) return "number";
      if (stream.match(/^\d+(\.\d+)?%?/)) return "number";
      if (stream.match(/^[^\W\d][\w]*/u)) {
        const w = stream.current();
        if (decl.has(w)) return "keyword";
        if (units.has(w)) return "unit";
        if (words.has(w)) return "operatorKeyword";
        if (props.has(w)) return "propertyName";
        return "variableName";
      }
      if (stream.match(/^(==|!=|<=|>=|\.\.|[<>+\-*/%=])/)) return "operator";
      stream.next();
      return "punctuation";
    },
    languageData: { commentTokens: { line: "#" } },
    tokenTable: { unit: tags.unit },
  });
}

const style = HighlightStyle.define([
  { tag: tags.keyword, color: "#7b2cbf", fontWeight: "bold" },
  { tag: tags.propertyName, color: "#0b5394" },
  { tag: tags.string, color: "#2b7a0b" },
  { tag: tags.number, color: "#b45309" },
  { tag: tags.unit, color: "#b45309" },
  { tag: tags.comment, color: "#6b7280", fontStyle: "italic" },
  { tag: tags.operatorKeyword, color: "#c2185b" },
  { tag: tags.operator, color: "#c2185b" },
]);

// ---- state ---------------------------------------------------------------------------------

const S = { files: [], texts: {}, saved: {}, active: null, views: {}, diagnostics: [], language: null };

function texts() {
  const out = {};
  for (const name of S.files) out[name] = S.views[name] ? S.views[name].state.doc.toString() : S.texts[name];
  return out;
}

function changed() {
  const now = texts();
  return S.files.filter((f) => now[f] !== S.saved[f]);
}

function render(status, data) {
  const box = $("#status");
  box.textContent = status;
  box.dataset.errors = String(data.errors);
  box.className = data.errors ? "bad" : data.warnings ? "warn" : "good";
}

async function check() {
  const { data } = await api("api/check", { texts: texts() });
  S.diagnostics = data.diagnostics;
  render(data.errors ? `${data.errors} 个错误 errors，${data.warnings} 个警告 warnings`
    : `没有错误 no errors${data.warnings ? `，${data.warnings} 个警告 warnings` : ""}`, data);
  const list = $("#diagnostics");
  list.replaceChildren();
  for (const d of data.diagnostics) {
    const item = el("li", { class: d.severity, "data-file": d.file, "data-line": String(d.line) },
      el("span", { class: "where", text: `${d.file}:${d.line}:${d.column}` }),
      el("span", { class: "code", text: d.code }),
      el("span", { class: "msg", text: d.message_zh }),
      el("span", { class: "en", text: d.message_en }));
    item.addEventListener("click", () => openFile(d.file, d.line));
    list.append(item);
  }
  $("#dirty").textContent = changed().length ? `未保存 unsaved: ${changed().join("、")}` : "已保存 saved";
  return data;
}

function lintSource(name) {
  return async (view) => {
    const data = await check();
    const doc = view.state.doc;
    const pos = (line, col) => {
      const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
      return Math.min(l.from + Math.max(col - 1, 0), l.to);
    };
    return data.diagnostics.filter((d) => d.file === name).map((d) => {
      const from = pos(d.line, d.column);
      let to = d.end_line ? pos(d.end_line, d.end_column) : from;
      if (to <= from) to = Math.min(from + 1, doc.length);
      return { from, to, severity: d.severity, source: d.code,
        message: `${d.message_zh}\n${d.message_en}${d.hint_zh ? `\n提示 hint: ${d.hint_zh} ${d.hint_en}` : ""}` };
    });
  };
}

function makeView(name) {
  const state = EditorState.create({
    doc: S.texts[name],
    extensions: [
      lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(), highlightSelectionMatches(),
      keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, indentWithTab]),
      S.language, syntaxHighlighting(style), lintGutter(), linter(lintSource(name), { delay: 400 }),
      EditorView.lineWrapping,
    ],
  });
  return new EditorView({ state });
}

function openFile(name, line) {
  if (!S.files.includes(name)) return;
  S.active = name;
  if (!S.views[name]) S.views[name] = makeView(name);
  const host = $("#editor");
  host.replaceChildren(S.views[name].dom);
  for (const b of document.querySelectorAll("#files button")) b.classList.toggle("active", b.dataset.file === name);
  const view = S.views[name];
  if (line) {
    const l = view.state.doc.line(Math.min(line, view.state.doc.lines));
    view.dispatch({ selection: { anchor: l.from }, scrollIntoView: true });
  }
  view.focus();
  forceLinting(view);
}

// ---- try an item ----------------------------------------------------------------------------

function buildForm(schema) {
  const form = $("#try-form");
  form.replaceChildren();
  const required = new Set(schema.required || []);
  const unwrap = (p) => {
    const alt = (p.anyOf || p.oneOf || []).find((a) => a.type && a.type !== "null");
    return alt ? { ...p, ...alt } : p;
  };
  for (const [key, raw] of Object.entries(schema.properties || {})) {
    const prop = unwrap(raw);
    const label = el("label", { for: `f-${key}` },
      el("span", { class: "zh", text: (prop.title || key) + (required.has(key) ? " *" : "") }),
      el("span", { class: "key", text: key }));
    let input;
    const kinds = [].concat(prop.type || []);
    const options = prop.enum || [];
    if (kinds.includes("array") && prop.items && prop.items.enum) {
      input = el("select", { id: `f-${key}`, name: key, multiple: "", "data-type": "multi", size: "3" });
      for (const v of prop.items.enum) input.append(el("option", { value: String(v), text: String(v) }));
    } else if (options.length) {
      input = el("select", { id: `f-${key}`, name: key });
      input.append(el("option", { value: "", text: "—" }));
      for (const v of options) input.append(el("option", { value: String(v), text: String(v) }));
    } else if (kinds.includes("boolean")) {
      input = el("select", { id: `f-${key}`, name: key, "data-type": "boolean" },
        el("option", { value: "", text: "—" }), el("option", { value: "true", text: "是 true" }),
        el("option", { value: "false", text: "否 false" }));
    } else if (kinds.includes("array")) {
      input = el("input", { id: `f-${key}`, name: key, "data-type": "array", placeholder: "a、b" });
    } else {
      const numeric = kinds.includes("integer") || kinds.includes("number");
      input = el("input", { id: `f-${key}`, name: key, type: numeric ? "number" : "text",
        "data-type": numeric ? "number" : "string", placeholder: prop.examples ? String(prop.examples[0]) : "" });
    }
    if (prop.description) input.title = prop.description;
    if (prop.default !== undefined && prop.default !== null && input.tagName === "SELECT" && !input.multiple) input.value = String(prop.default);
    form.append(el("div", { class: "field" }, label, input));
  }
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}:00+08:00`;
  if ($("#f-id")) $("#f-id").value = "studio-1";
  if ($("#f-reported_at")) $("#f-reported_at").value = stamp;
}

function formItem() {
  const item = {};
  for (const input of document.querySelectorAll("#try-form [name]")) {
    if (input.dataset.type === "multi") {
      const picked = [...input.selectedOptions].map((o) => o.value);
      if (picked.length) item[input.name] = picked;
      continue;
    }
    const v = input.value.trim();
    if (!v) continue;
    const t = input.dataset.type;
    item[input.name] = t === "number" ? Number(v) : t === "boolean" ? v === "true"
      : t === "array" ? v.split(/[、,，\s]+/).filter(Boolean) : v;
  }
  return item;
}

async function tryItem(event) {
  event.preventDefault();
  const out = $("#decision");
  out.replaceChildren(el("p", { text: "正在判断… deciding…" }));
  const { data } = await api("api/try", { texts: texts(), item: formItem() });
  out.replaceChildren();
  if (!data.ok) {
    out.append(el("p", { class: "bad", text: data.message_zh }), el("p", { class: "en", text: data.message_en }));
    for (const e of data.errors || []) out.append(el("p", { class: "bad", text: `${e.field ?? ""} ${e.message_zh ?? e.message ?? ""}` }));
    return;
  }
  const d = data.decision;
  out.append(el("dl", {},
    el("dt", { text: "结论 outcome" }), el("dd", { "data-field": "outcome", text: d.outcome }),
    el("dt", { text: "层级 tier" }), el("dd", { "data-field": "tier", text: d.tier ? `${d.tier.name}（${d.tier.code}）` : "—" }),
    el("dt", { text: "承办 handlers" }), el("dd", { text: [...d.handlers.roles.map((r) => r.name), d.handlers.department?.name].filter(Boolean).join("、") || "—" }),
    el("dt", { text: "截止 deadline" }), el("dd", { text: d.deadline || "—" })));
  out.append(el("h4", { text: "依据 reasons" }));
  const reasons = el("ul", { id: "reasons" });
  for (const r of d.reasons) reasons.append(el("li", { text: r.text_zh }, el("span", { class: "en", text: r.text_en })));
  out.append(reasons, el("pre", { class: "explain", text: data.explanation }));
  out.append(el("h4", { text: `为什么没有用前面的规则 why not the earlier routes（${data.why_not.length}）` }));
  const why = el("ol", { id: "why-not" });
  for (const m of data.why_not) {
    const li = el("li", { "data-route": m.route },
      el("a", { href: "#", text: `${m.name}（${m.route}）`, onclick: (e) => { e.preventDefault(); openFile(m.file, m.line); } }));
    if (m.continued) li.append(el("span", { class: "note", text: " 已适用并继续匹配 applied and matching went on" }));
    for (const c of m.clauses) {
      li.append(el("div", { class: "clause" }, el("code", { text: c.text }), el("span", { text: " 不成立 does not hold" }),
        ...c.values.map(([k, v]) => el("span", { class: "value", text: ` ${k} = ${v}` }))));
    }
    why.append(li);
  }
  out.append(why);
}

// ---- diff and save ---------------------------------------------------------------------------

async function showDiff() {
  const out = $("#diff");
  out.replaceChildren(el("p", { text: "正在对比… comparing…" }));
  const { data } = await api("api/diff", { texts: texts() });
  out.replaceChildren();
  if (!data.ok) {
    out.append(el("p", { class: "bad", text: data.message_zh }), el("p", { class: "en", text: data.message_en }));
    return;
  }
  if (!data.changes.length) out.append(el("p", { text: "与上次保存的版本相比没有语义变化 no change in meaning since the last save" }));
  const list = el("ul", { id: "changes" });
  for (const c of data.changes) list.append(el("li", { class: c.change }, el("span", { text: c.text_zh }), el("span", { class: "en", text: c.text_en })));
  out.append(list);
  const im = data.impact;
  if (im) {
    out.append(el("h4", { text: `决定改变的样例 items decided differently：${im.changed} / ${im.items}` }));
    const items = el("ul", { id: "impact" });
    for (const d of im.decisions) {
      items.append(el("li", {}, el("b", { text: d.item_id }), el("span", {
        text: " " + Object.entries(d.changes).map(([k, [a, b]]) => `${k}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`).join("; ") })));
    }
    out.append(items);
  }
}

async function save() {
  const out = $("#save-result");
  out.className = "";
  out.textContent = "正在检查并运行规则测试… checking and running the rule tests…";
  const { data } = await api("api/save", { texts: texts() });
  out.replaceChildren();
  out.className = data.ok ? "good" : "bad";
  out.append(el("p", { text: `${data.message_zh}` }), el("p", { class: "en", text: data.message_en }));
  for (const f of data.failures || []) out.append(el("p", { class: "failure", text: f }));
  if (data.ok) {
    Object.assign(S.saved, texts());
    await check();
  }
}

// ---- start ------------------------------------------------------------------------------------

async function start() {
  const [{ data: vocab }, { data: files }, { data: schema }] = await Promise.all([
    api("api/vocabulary"), api("api/files"), api("api/schema")]);
  S.language = gpLanguage(vocab);
  S.files = files.files.map((f) => f.name);
  for (const f of files.files) { S.texts[f.name] = f.text; S.saved[f.name] = f.text; }
  const nav = $("#files");
  for (const name of S.files) nav.append(el("button", { "data-file": name, text: name, onclick: () => openFile(name) }));
  buildForm(schema);
  $("#try-form-wrap").addEventListener("submit", tryItem);
  $("#diff-button").addEventListener("click", showDiff);
  $("#save-button").addEventListener("click", save);
  for (const tab of document.querySelectorAll("[data-tab]")) {
    tab.addEventListener("click", () => {
      for (const t of document.querySelectorAll("[data-tab]")) t.classList.toggle("active", t === tab);
      for (const p of document.querySelectorAll(".panel")) p.hidden = p.id !== `panel-${tab.dataset.tab}`;
    });
  }
  openFile(S.files[0]);
  document.body.dataset.ready = "1";
}

start();
