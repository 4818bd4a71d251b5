// gridpolicy 决定服务的最小 JavaScript 客户端 — a tiny client for the gridpolicy decision service.
// Node 20+, no dependencies (global fetch).
//   gridpolicy serve rules/ --log decisions.sqlite
//   node examples/http/client.mjs [BASE_URL]

export class GridPolicyError extends Error {
  constructor(status, body) {
    const details = (body.details || []).map((d) => `${d.path || "(body)"}: ${d.message_zh} / ${d.message_en}`);
    super(`HTTP ${status} ${body.error}: ${body.message_zh} / ${body.message_en}` +
      (details.length ? `\n  ${details.join("\n  ")}` : ""));
    this.status = status;
    this.body = body;
  }
}

export class GridPolicyClient {
  constructor(baseUrl = "http://127.0.0.1:8181", { timeoutMs = 5000 } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, "");
    this.timeoutMs = timeoutMs;
  }

  async #request(method, path, body) {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const data = await res.json();
    if (!res.ok) throw new GridPolicyError(res.status, data);
    return data;
  }

  /** Decide one item; the result carries `decision_id`. */
  route(item, { at } = {}) {
    return this.#request("POST", "/v1/route" + (at ? `?at=${encodeURIComponent(at)}` : ""), item);
  }

  /** Decide many items, in order; an invalid item gives `{index, item_id, error, details}`. */
  routeBatch(items) {
    return this.#request("POST", "/v1/route:batch", { items });
  }

  admit(proposal) {
    return this.#request("POST", "/v1/admit", proposal);
  }

  evaluate(formula, data) {
    return this.#request("POST", "/v1/evaluate", { formula, data });
  }

  policy() {
    return this.#request("GET", "/v1/policy");
  }
}

// Run as a script: a short demonstration.
if (import.meta.url === `file://${process.argv[1]}`) {
  const client = new GridPolicyClient(process.argv[2]);
  const policy = await client.policy();
  console.log(`规则 policy: ${policy.name} ${policy.version} (${policy.digest.slice(0, 12)})`);

  const d = await client.route({
    id: "js-1", kind: "issue", matter: "矛盾纠纷调解", reported_at: "2026-09-30T10:00:00+08:00",
  });
  console.log(`决定 ${d.decision_id}: ${d.outcome} → ${d.tier?.name ?? "-"}，期限 deadline ${d.deadline ?? "-"}`);
  for (const r of d.reasons) console.log(`  · ${r.text_zh}`);

  const batch = await client.routeBatch([{ id: "js-2", kind: "task", matter: "矛盾纠纷调解" }, { id: "js-3" }]);
  console.log(`批量 batch: ${batch.results.length} results, ${batch.errors} invalid`);

  try {
    await client.route({ id: "js-4", kind: "issue", urgncy: "urgent" });
  } catch (e) {
    if (!(e instanceof GridPolicyError)) throw e;
    console.log(`输入无效 (expected):\n${e.message}`);
  }
}
