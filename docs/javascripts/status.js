// Matter statuses for the reader's today. Each status badge carries the dates it depends on
// (data-effective, data-expires, data-exit: ISO dates) and the policy's time zone; this script
// recomputes the status with the rule of Policy.matter_status, so a page built months ago still
// shows "expired" the day a temporary admission ends. Without JavaScript the badge shows the
// status for the build date, which it names.
(function () {
  var LABELS = {
    in_force: "✅ 有效 in force",
    not_yet_in_force: "🕒 尚未生效 not yet in force",
    exited: "⛔ 已退出 exited",
    expired: "⌛ 临时准入已到期 temporary admission expired",
    listed: "📋 在列 listed"
  };
  function today(tz) {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" })
        .format(new Date());
    } catch (e) {
      return new Date().toISOString().slice(0, 10);
    }
  }
  function status(d, day) {
    if (d.effective && day < d.effective) return "not_yet_in_force";
    if (d.exit && day >= d.exit) return "exited";
    // data-expires is the last day in force (截止日期, valid through it): expired the day after.
    if (d.expires && day > d.expires) return "expired";
    return d.listed === "1" ? "listed" : "in_force";
  }
  function update() {
    var badges = document.querySelectorAll(".gp-status[data-tz]");
    for (var i = 0; i < badges.length; i++) {
      var b = badges[i], day = (window.gpToday || today)(b.dataset.tz), s = status(b.dataset, day);
      b.className = b.className.replace(/gp-status--\w+/, "gp-status--" + s);
      b.dataset.status = s;
      b.querySelector(".gp-status__label").textContent = LABELS[s];
      var t = b.querySelector(".gp-status__asof time");
      t.textContent = day;
      t.setAttribute("datetime", day);
    }
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(update);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
})();
