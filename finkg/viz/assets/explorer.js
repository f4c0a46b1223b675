/* finkg explorer. Reads the graph from the JSON block, draws it with vis-network, and sets every
   text of the report with textContent (never innerHTML), so a label is always text. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("finkg-data").textContent);
  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var GLYPH = {dot: "\u25cf", square: "\u25a0", diamond: "\u25c6", triangle: "\u25b2", triangleDown: "\u25bc",
               hexagon: "\u2b22", star: "\u2605"};
  var MAX_LINKS = 40, MAX_RESULTS = 15;
  var UI = {
    zh: {
      views: {all: "全部", governance: "公司治理", ownership: "股权结构", metrics: "财务指标", products: "产品"},
      search: "搜索节点（中文或英文）", legend: "图例", hint: "点击节点，查看其标签、属性和每项事实的原文出处。",
      labels: "标签", props: "属性", links: "关联", linkedFrom: "被以下节点关联", sources: "原文出处",
      chart: "历年数值", year: "年份", value: "数值", source: "出处", none: "无匹配的节点", layout: "正在布局",
      lines: function (a, b) { return a === b ? "第 " + a + " 行" : "第 " + a + "–" + b + " 行"; },
      page: function (p) { return "第 " + p + " 页"; },
      more: function (n) { return "另有 " + n + " 项"; }
    },
    en: {
      views: {all: "Everything", governance: "Governance", ownership: "Ownership", metrics: "Key metrics", products: "Products"},
      search: "Search nodes (Chinese or English)", legend: "Legend",
      hint: "Click a node to see its labels, properties and the source lines of each fact.",
      labels: "Labels", props: "Properties", links: "Links", linkedFrom: "Linked from", sources: "Sources",
      chart: "Values by year", year: "Year", value: "Value", source: "Source", none: "No matching node", layout: "Laying out",
      lines: function (a, b) { return a === b ? "line " + a : "lines " + a + "–" + b; },
      page: function (p) { return "page " + p; },
      more: function (n) { return n + " more"; }
    }
  };

  var lang = DATA.lang === "en" ? "en" : "zh";
  var current = null;
  var col = function () { return lang === "zh" ? 1 : 2; };
  var term = function (i) { return DATA.terms[i][col()]; };
  var ent = function (i) { return DATA.entities[i][col()]; };
  var other = function (i) { return DATA.entities[i][lang === "zh" ? 2 : 1]; };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  /* --- the network ---------------------------------------------------------------------- */

  var style = {}, byClass = {}, details = {};
  DATA.legend.forEach(function (row) { style[row[0]] = {color: row[1], shape: row[2], font: row[4]}; byClass[row[0]] = []; });
  var nodeRows = DATA.nodes.map(function (n, k) {
    var cls = DATA.entities[n[0]][3], st = style[cls];
    details[n[0]] = DATA.details[k];
    byClass[cls].push(n[0]);
    return {id: n[0], label: ent(n[0]), shape: st.shape, color: st.color, size: n[1], font: {size: st.font}};
  });
  var edgeRows = DATA.edges.map(function (e, k) { return {id: k, from: e[0], to: e[1], label: term(e[2])}; });
  var nodes = new vis.DataSet(nodeRows);
  var edges = new vis.DataSet(edgeRows);
  /* A big graph gets a coarser Barnes-Hut (theta), longer steps and fewer iterations, so that it is
     interactive within seconds (5,000 nodes: about 5 s on two cores). */
  var big = nodeRows.length > 600;
  var iterations = big ? Math.max(100, Math.round(400 * 600 / nodeRows.length)) : 400;
  var options = {
    autoResize: true,
    layout: {randomSeed: 2021, improvedLayout: nodeRows.length <= 150},
    nodes: {font: {face: FONT, size: 18, strokeWidth: 3, strokeColor: "#ffffff"}, borderWidth: 1, borderWidthSelected: 4},
    edges: {arrows: {to: {enabled: true, scaleFactor: 0.45}}, smooth: false, width: 0.8, selectionWidth: 2,
            color: {color: "#b9b9b9", highlight: "#d62728", hover: "#777777"},
            font: {face: FONT, size: 9, color: "#666666", strokeWidth: 2, align: "middle"}},
    physics: {solver: "forceAtlas2Based", minVelocity: 1, timestep: big ? 1.0 : 0.5, maxVelocity: big ? 150 : 50,
              forceAtlas2Based: {gravitationalConstant: -80, centralGravity: 0.01, springLength: 100, springConstant: 0.06,
                                 damping: 0.5, avoidOverlap: 0.4, theta: big ? 1.5 : 0.5},
              stabilization: {enabled: true, iterations: iterations, updateInterval: 25, fit: true}},
    interaction: {hover: !big, hideEdgesOnDrag: big, hideEdgesOnZoom: big, tooltipDelay: 300}
  };
  var network = new vis.Network($("network"), {nodes: nodes, edges: edges}, options);
  window.network = network;

  function stable() {
    network.setOptions({physics: false});
    $("loading").hidden = true;
    window.finkgStableAt = performance.now();
    document.body.setAttribute("data-stable", "1");
  }
  network.on("stabilizationProgress", function (p) {
    $("loading-text").textContent = UI[lang].layout + " " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", stable);
  if (nodeRows.length === 0) stable();
  network.on("click", function (params) {
    if (params.nodes.length) showDetails(params.nodes[0]);
    else if (!params.edges.length) showDetails(null);
  });

  /* --- select, search, filter ------------------------------------------------------------ */

  function select(id) {
    if (!(id in details)) return false;
    var cls = DATA.entities[id][3];
    var box = document.querySelector('#legend-items input[data-class="' + cls + '"]');
    if (box && !box.checked) { box.checked = true; setClassVisible(cls, true); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.1), animation: {duration: 300, easingFunction: "easeInOutQuad"}});
    showDetails(id);
    return true;
  }

  /* Nodes whose Chinese or English label holds the query: whole matches first, then those that
     start with it, then the rest; shorter labels first within each. */
  function search(query) {
    var q = query.trim().toLowerCase(), found = [];
    if (!q) return found;
    DATA.nodes.forEach(function (n) {
      var best = null;
      [DATA.entities[n[0]][1], DATA.entities[n[0]][2]].forEach(function (label) {
        var text = label.toLowerCase(), at = text.indexOf(q);
        if (at < 0) return;
        var rank = [text === q ? 0 : at === 0 ? 1 : 2, text.length];
        if (best === null || rank[0] < best[0] || (rank[0] === best[0] && rank[1] < best[1])) best = rank;
      });
      if (best !== null) found.push([best[0], best[1], n[0]]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return found.slice(0, MAX_RESULTS).map(function (f) { return f[2]; });
  }

  function showResults() {
    var list = $("results"), q = $("search").value, found = search(q);
    list.replaceChildren();
    list.hidden = !q.trim();
    if (!found.length) { list.appendChild(el("li", UI[lang].none, "none")); return; }
    found.forEach(function (id, k) {
      var li = el("li", ent(id), k === 0 ? "active" : "");
      li.appendChild(el("span", term(DATA.entities[id][3]), "cls"));
      li.setAttribute("data-node", id);
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); select(id); list.hidden = true; });
      list.appendChild(li);
    });
  }

  $("search").addEventListener("input", showResults);
  $("search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = search($("search").value);
      if (found.length) select(found[0]);
      $("results").hidden = true;
    } else if (ev.key === "Escape") {
      $("results").hidden = true;
    }
  });
  $("search").addEventListener("blur", function () { $("results").hidden = true; });

  function setClassVisible(cls, visible) {
    nodes.update(byClass[cls].map(function (id) { return {id: id, hidden: !visible}; }));
  }

  /* --- the chrome: title, language buttons, legend ---------------------------------------------- */

  function renderChrome() {
    var ui = UI[lang];
    var title = (DATA.bank === null ? "finkg" : ent(DATA.bank)) + " · " + ui.views[DATA.view];
    $("title").textContent = title;
    document.title = title;
    document.documentElement.lang = lang;
    $("search").placeholder = ui.search;
    $("legend-title").textContent = ui.legend;
    $("panel-hint").textContent = ui.hint;
    $("loading-text").textContent = ui.layout + "…";
    ["zh", "en"].forEach(function (l) { $("lang-" + l).setAttribute("aria-pressed", String(l === lang)); });
  }

  function renderLegend() {
    var list = $("legend-items"), was = {};
    list.querySelectorAll("input").forEach(function (box) { was[box.getAttribute("data-class")] = box.checked; });
    list.replaceChildren();
    DATA.legend.forEach(function (row) {
      var li = el("li"), label = el("label"), box = el("input"), glyph = el("span", GLYPH[row[2]] || "\u25cf", "glyph");
      box.type = "checkbox";
      box.checked = was[row[0]] !== false;
      box.setAttribute("data-class", row[0]);
      box.addEventListener("change", function () { setClassVisible(row[0], box.checked); });
      glyph.style.color = row[1];
      label.append(box, glyph, el("span", term(row[0])), el("span", "(" + row[3] + ")", "count"));
      li.appendChild(label);
      list.appendChild(li);
    });
  }

  function setLang(l) {
    if (l !== "zh" && l !== "en") return;
    lang = l;
    nodes.update(DATA.nodes.map(function (n) { return {id: n[0], label: ent(n[0])}; }));
    edges.update(DATA.edges.map(function (e, k) { return {id: k, label: term(e[2])}; }));
    renderChrome();
    renderLegend();
    showDetails(current);
    if (!$("results").hidden) showResults();
  }
  ["zh", "en"].forEach(function (l) { $("lang-" + l).addEventListener("click", function () { setLang(l); }); });

  /* --- the side panel ------------------------------------------------------------------------- */

  function entityLink(id) {
    if (!(id in details)) return el("span", ent(id));
    var button = el("button", ent(id), "link");
    button.type = "button";
    button.addEventListener("click", function () { select(id); });
    return button;
  }

  function section(body, title) { body.appendChild(el("h3", title)); }

  function linkList(body, rows) {
    var dl = el("dl");
    rows.slice(0, MAX_LINKS).forEach(function (r) {
      var dd = el("dd");
      dd.appendChild(entityLink(r[1]));
      dl.append(el("dt", term(r[0])), dd);
    });
    if (rows.length > MAX_LINKS) dl.append(el("dt"), el("dd", UI[lang].more(rows.length - MAX_LINKS), "more"));
    body.appendChild(dl);
  }

  function where(span) {
    var ui = UI[lang], parts = [];
    if ("doc" in span) parts.push(ent(span.doc));
    else if (span.file) parts.push(span.file);
    if ("page" in span) parts.push(ui.page(span.page));
    if ("start" in span) parts.push(ui.lines(span.start, "end" in span ? span.end : span.start));
    if ("section" in span) parts.push(ent(span.section));
    return parts.join(" · ");
  }

  function sourceBox(title, span) {
    var box = el("div", null, "source");
    box.appendChild(el("div", (title ? title + " — " : "") + where(span), "where"));
    if (span.quote) box.appendChild(el("blockquote", span.quote));
    return box;
  }

  function chart(rows) {
    var NS = "http://www.w3.org/2000/svg", W = 360, H = 150, pad = 22;
    var values = rows.map(function (r) { return r[1]; });
    var lo = Math.min(0, Math.min.apply(null, values)), hi = Math.max(0, Math.max.apply(null, values));
    if (hi === lo) hi = lo + 1;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("width", W);
    svg.setAttribute("height", H);
    var y = function (v) { return pad + (H - 2 * pad) * (hi - v) / (hi - lo); };
    var step = (W - 20) / rows.length, bar = Math.min(48, step * 0.6);
    function add(tag, attrs, text) {
      var node = document.createElementNS(NS, tag);
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
      if (text !== undefined) node.textContent = text;
      svg.appendChild(node);
    }
    add("line", {x1: 10, x2: W - 10, y1: y(0), y2: y(0), stroke: "#999"});
    rows.forEach(function (r, k) {
      var cx = 10 + step * (k + 0.5), top = Math.min(y(r[1]), y(0)), h = Math.max(1, Math.abs(y(r[1]) - y(0)));
      add("rect", {x: cx - bar / 2, y: top, width: bar, height: h, fill: "#e377c2"});
      add("text", {x: cx, y: r[1] >= 0 ? top - 4 : top + h + 11, "text-anchor": "middle"}, r[2]);
      add("text", {x: cx, y: H - 5, "text-anchor": "middle"}, r[0]);
    });
    return svg;
  }

  function chartTable(body, rows) {
    var ui = UI[lang], table = el("table"), head = el("tr");
    [ui.year, ui.value, ui.source].forEach(function (t) { head.appendChild(el("th", t)); });
    table.appendChild(head);
    rows.forEach(function (r) {
      var tr = el("tr"), value = r[2] + (r[3] === null ? "" : " " + ent(r[3]));
      var lines = r[4].map(function (s) { var span = DATA.spans[s]; return "start" in span ? ui.lines(span.start, span.end) : ""; });
      tr.append(el("td", r[0]), el("td", value, "num"), el("td", lines.join(lang === "zh" ? "、" : ", ")));
      table.appendChild(tr);
    });
    body.appendChild(table);
    rows.forEach(function (r) {
      r[4].forEach(function (s) { body.appendChild(sourceBox(r[0], DATA.spans[s])); });
    });
  }

  function showDetails(id) {
    current = id;
    var body = $("panel-body"), ui = UI[lang];
    body.replaceChildren();
    $("panel-hint").hidden = id !== null;
    if (id === null || !(id in details)) return;
    var d = details[id], cls = DATA.entities[id][3], st = style[cls] || {color: "#999", shape: "dot"};
    body.appendChild(el("h2", ent(id)));
    body.appendChild(el("p", other(id), "other"));
    var clsLine = el("span", null, "cls"), glyph = el("span", GLYPH[st.shape] || "\u25cf");
    glyph.style.color = st.color;
    clsLine.append(glyph, el("span", term(cls)));
    body.appendChild(clsLine);
    body.appendChild(el("p", d.iri, "iri"));

    section(body, ui.labels);
    var labels = el("dl");
    labels.append(el("dt", "中文"), el("dd", DATA.entities[id][1]), el("dt", "English"), el("dd", DATA.entities[id][2]));
    body.appendChild(labels);

    if (d.props) {
      section(body, ui.props);
      var dl = el("dl");
      d.props.forEach(function (p) {
        var dd = el("dd", p.length === 2 ? term(p[1]) : p[1]);
        if (p.length === 3 && p[2]) dd.appendChild(el("span", "@" + p[2], "tag"));
        dl.append(el("dt", term(p[0])), dd);
      });
      body.appendChild(dl);
    }
    if (d.chart) {
      section(body, ui.chart);
      body.appendChild(chart(d.chart));
      chartTable(body, d.chart);
    }
    if (d.out) { section(body, ui.links); linkList(body, d.out); }
    if (d.in) { section(body, ui.linkedFrom); linkList(body, d.in); }
    if (d.src) {
      section(body, ui.sources);
      d.src.forEach(function (s) { body.appendChild(sourceBox(term(s[0]), DATA.spans[s[1]])); });
    }
  }

  renderChrome();
  renderLegend();
  showDetails(null);
  window.finkg = {select: select, search: search, setLang: setLang, showDetails: showDetails,
                  lang: function () { return lang; }};
}());
