// Live page: renders each "connections" event of /admin/ui/live/stream (one shared poll on the server).
"use strict";
(function () {
  const status = document.getElementById("live-status");
  const body = document.querySelector("#live-connections tbody");
  const balances = document.querySelector("#live-accounts tbody");
  function cell(tr, text, cls) {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    if (text instanceof Node) td.appendChild(text); else td.textContent = text == null ? "–" : text;
    tr.appendChild(td);
    return td;
  }
  function badge(text, cls) {
    const s = document.createElement("span");
    s.className = "badge " + cls;
    s.textContent = text;
    return s;
  }
  function time(iso) {
    const t = document.createElement("time");
    t.setAttribute("datetime", iso);
    t.textContent = iso;
    window.inletTime(t);
    return t;
  }
  function render(data) {
    balances.replaceChildren();
    data.accounts.forEach(function (a) {
      const tr = document.createElement("tr");
      tr.dataset.account = a.name;
      cell(tr, a.name);
      cell(tr, a.balance, "num balance");
      cell(tr, a.available, "num");
      balances.appendChild(tr);
    });
    body.replaceChildren();
    if (data.connections.length === 0) {
      const tr = document.createElement("tr");
      tr.className = "empty";
      cell(tr, "No connection in the last minutes.", "muted").colSpan = 7;
      body.appendChild(tr);
    }
    data.connections.forEach(function (c) {
      const tr = document.createElement("tr");
      tr.className = "connection" + (c.closed ? " closed" : "");
      tr.dataset.connection = c.id;
      tr.dataset.account = c.account;
      cell(tr, time(c.opened_at));
      cell(tr, c.source_address, "mono");
      cell(tr, c.invoice ? c.account + " · " + c.invoice : c.account);
      cell(tr, c.received, "num received");
      cell(tr, c.rate, "num");
      cell(tr, c.packets_fulfilled + " / " + c.packets_rejected, "num");
      cell(tr, badge(c.closed ? "closed" : "open", c.closed ? "b-closed" : "b-open"));
      body.appendChild(tr);
      c.streams.forEach(function (s) {
        const sr = document.createElement("tr");
        sr.className = "streams" + (s.closed ? " closed" : "");
        const td = cell(sr, "");
        td.colSpan = 7;
        td.append("stream " + s.id + " · received ");
        const got = document.createElement("span");
        got.className = "mono";
        got.textContent = s.received;
        td.append(got, " · StreamMaxMoney ");
        const max = document.createElement("span");
        max.className = "mono";
        max.textContent = s.receive_max;
        td.append(max, " ", badge(s.closed ? "closed" : "open", s.closed ? "b-closed" : "b-open"));
        body.appendChild(sr);
      });
    });
  }
  const source = new EventSource("/admin/ui/live/stream");
  source.addEventListener("connections", function (e) {
    status.textContent = "live";
    status.className = "badge b-live";
    render(JSON.parse(e.data));
  });
  source.onerror = function () {
    status.textContent = "reconnecting…";
    status.className = "badge b-in_doubt";
  };
})();
