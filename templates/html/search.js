// briefing: offline search of the archive (search.html). Results are built with textContent only.
(function () {
  "use strict";
  var records = JSON.parse(document.getElementById("search-data").textContent);
  var box = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("status");
  var LIMIT = 200;

  function terms(text) {
    return text.trim().toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function snippet(text, words) {
    var lower = text.toLowerCase();
    var at = lower.indexOf(words[0]);
    var start = Math.max(0, at - 20);
    var end = Math.min(text.length, at + words[0].length + 50);
    return { text: (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : ""),
             words: words };
  }

  function marked(parent, text, words) {
    var lower = text.toLowerCase();
    var i = 0;
    while (i < text.length) {
      var next = -1, length = 0;
      words.forEach(function (w) {
        var j = lower.indexOf(w, i);
        if (j !== -1 && (next === -1 || j < next)) { next = j; length = w.length; }
      });
      if (next === -1) { parent.appendChild(document.createTextNode(text.slice(i))); break; }
      parent.appendChild(document.createTextNode(text.slice(i, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      parent.appendChild(mark);
      i = next + length;
    }
  }

  function show() {
    var words = terms(box.value);
    list.textContent = "";
    if (words.length === 0) { status.textContent = "共收录 " + records.length + " 篇文稿。"; return; }
    var found = records.filter(function (r) {
      var all = (r.title + "\n" + r.text).toLowerCase();
      return words.every(function (w) { return all.indexOf(w) !== -1; });
    });
    status.textContent = "找到 " + found.length + " 篇" + (found.length > LIMIT ? "，显示前 " + LIMIT + " 篇" : "") + "。";
    found.slice(0, LIMIT).forEach(function (r) {
      var item = document.createElement("li");
      var head = document.createElement("a");
      head.href = r.href;
      marked(head, r.title, words);
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = r.label + " · " + r.date + (r.source ? " · " + r.source : "");
      var body = document.createElement("p");
      body.className = "snippet";
      var hay = r.text.toLowerCase().indexOf(words[0]) === -1 ? r.title : r.text;
      var cut = snippet(hay, words);
      marked(body, cut.text, words);
      item.appendChild(head);
      item.appendChild(meta);
      item.appendChild(body);
      list.appendChild(item);
    });
  }

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { box.value = initial; }
  box.addEventListener("input", show);
  show();
})();
