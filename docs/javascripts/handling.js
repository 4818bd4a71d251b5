// “我的问题怎么办”: shows the answer the rules gave, at build time, for the chosen category,
// grid and urgency (gridpolicy/site/pages/handling.py stores them in #gp-handling-data).
// Everything is set with textContent, never as HTML. ?category=G06&grid=...&urgency=... preselects.
(function () {
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function row(dl, term, value) {
    if (!value) return;
    dl.appendChild(el("dt", "", term));
    var dd = el("dd");
    if (typeof value === "string") dd.textContent = value; else dd.appendChild(value);
    dl.appendChild(dd);
  }
  function show(out, a, grid) {
    grid = grid || { places: {}, contacts: {} };
    out.textContent = "";
    if (!a) { out.appendChild(el("p", "", "没有这一组合的答案。 No answer for this combination.")); return; }
    if (a.error) { out.appendChild(el("p", "", a.error)); return; }
    var card = el("div", "gp-card gp-answer__card");
    card.appendChild(el("h2", "", a.outcome));
    var dl = el("dl");
    row(dl, "事项 Matter", a.matter);
    if (a.referral) {
      row(dl, "请联系 Go to", a.referral.name + (a.referral.contact ? "（" + a.referral.contact + "）" : ""));
      row(dl, "说明 Note", a.referral.reason);
    }
    row(dl, "复查周期 Reviewed every", a.review);
    if (a.tier) row(dl, "办理层级 Handled at", [a.tier[1], a.unit || grid.places[a.tier[0]]].filter(Boolean).join(" · "));
    row(dl, "主办 Lead", a.lead && a.lead !== a.department ? a.lead : "");
    row(dl, "牵头部门 Department", a.department);
    row(dl, "协办 Assisting", (a.assisting || []).join("、"));
    if (a.roles.length) {
      var ul = el("ul");
      a.roles.forEach(function (r) {
        var phone = grid.contacts[r[0]];
        ul.appendChild(el("li", "", r[1] + (phone ? "（电话 " + phone + "）" : "")));
      });
      row(dl, "由谁办理 Who handles it", ul);
    }
    row(dl, "办理时限 Time limit", a.limit || "—");
    if (a.escalation.length) {
      var ol = el("ol");
      a.escalation.forEach(function (s) {
        ol.appendChild(el("li", "", "逾期 " + s.after + " → " + s.to + (s.label ? "（" + s.label + "）" : "")));
      });
      row(dl, "逾期怎么办 If it is late", ol);
    } else {
      row(dl, "逾期怎么办 If it is late", "规则未规定逐级升级；可拨打 12345 反映。 No escalation is set; call 12345.");
    }
    row(dl, "派单 Dispatch", a.dispatch);
    card.appendChild(dl);
    if (a.reasons.length) {
      var why = el("details");
      why.appendChild(el("summary", "", "依据 Why"));
      var ul2 = el("ul");
      a.reasons.forEach(function (t) { ul2.appendChild(el("li", "", t)); });
      why.appendChild(ul2);
      card.appendChild(why);
    }
    out.appendChild(card);
  }
  function init() {
    var data = document.getElementById("gp-handling-data"), form = document.getElementById("gp-ask");
    if (!data || !form) return;
    var table = JSON.parse(data.textContent), out = document.getElementById("gp-answer");
    // Answers share their reasons and escalation steps (gridpolicy/site/pages/handling.py: packed).
    table.answers.forEach(function (a) {
      if (a.error) return;
      a.reasons = a.reasons.map(function (i) { return table.reasons[i]; });
      a.escalation = a.escalation.map(function (i) { return table.steps[i]; });
    });
    var params = new URLSearchParams(location.search);
    ["category", "grid", "urgency"].forEach(function (name) {
      var s = form.elements[name];
      if (s && params.has(name)) s.value = params.get(name);
    });
    function update() {
      var v = function (n) { return form.elements[n] ? form.elements[n].value : ""; };
      show(out, table.answers[table.pick[[v("category"), v("grid"), v("urgency")].join("|")]], table.grids[v("grid")]);
    }
    form.addEventListener("change", update);
    update();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
