// Inlet admin dashboard, every page: times in the viewer's zone (UTC on hover), confirmations on action forms.
"use strict";
window.inletTime = function (el) {
  const iso = el.getAttribute("datetime");
  if (!iso) return;
  const d = new Date(iso);
  if (isNaN(d)) return;
  el.textContent = d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
  el.title = iso.replace("T", " ").replace("Z", " UTC");
};
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("time[datetime]").forEach(window.inletTime);
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
});
