// The query page in a browser with JavaScript: YASGUI (static/yasgui/, served from here, nothing from elsewhere)
// over this endpoint, sending every query as a POST. Configured from the page's JSON (#sparql-page): the endpoint,
// the site's base IRI, the data's prefixes and the example questions.
//
//   table    YASR's table, its IRIs linked to this site's own pages when under the base (iris.site_path)
//   chart    a bar chart of a numeric column, drawn here as SVG (YASR 4 has no chart plugin; the older YASR's
//            loaded Google Charts from the web)
//   prefixes the editor's prefix completion offers the data's prefixes (YASQE's asks prefix.cc; replaced);
//            the class and property completions, which ask LOV, are off
//
// Without this script, or when YASGUI does not load, the server-rendered form and results stay (Ctrl+Enter
// submits the form).
(function () {
  "use strict";

  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"].map(function (name) { return XSD + name; });
  var CHART_ROWS = 100;
  var SVG = "http://www.w3.org/2000/svg";

  function readPage() {
    var element = document.getElementById("sparql-page");
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      console.error("the query page's configuration (#sparql-page) is not JSON:", error);
      return null;
    }
  }

  // Without YASGUI: Ctrl+Enter (or Cmd+Enter) in the form's editor submits the form.
  function keepForm() {
    var editor = document.getElementById("query");
    if (!editor) return;
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        editor.form.submit();
      }
    });
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Where a result links an IRI: the site's own page for an IRI under the base (a path on this site, as
  // iris.site_path makes it: a leading '/' of the rest is escaped, so it never becomes a '//' link to another
  // host), the IRI itself for other web IRIs, and nothing for javascript:, data: and the like.
  function linkFor(page, iri) {
    if (iri.indexOf(page.base) === 0) {
      var rest = iri.slice(page.base.length);
      return { href: page.root + (rest.charAt(0) === "/" ? "/%2F" + rest.slice(1) : "/" + rest), here: true };
    }
    if (/^https?:\/\//i.test(iri)) return { href: iri, here: false };
    return null;
  }

  function shortName(iri, prefixes) {
    var best = "";
    for (var label in prefixes) {
      var ns = prefixes[label];
      if (iri.indexOf(ns) === 0 && ns.length > best.length && iri.length > ns.length) best = label;
    }
    return best ? best + ":" + iri.slice(prefixes[best].length) : null;
  }

  // YASR's table, with links made here: escaped, to the site's pages, web IRIs only.
  function siteTable(Table, page) {
    function SiteTable(yasr) {
      return Reflect.construct(Table, [yasr], SiteTable);
    }
    SiteTable.prototype = Object.create(Table.prototype);
    SiteTable.prototype.constructor = SiteTable;
    Object.setPrototypeOf(SiteTable, Table);
    SiteTable.prototype.getUriLinkFromBinding = function (binding, prefixes) {
      var iri = binding.value;
      var name = shortName(iri, prefixes || {});
      var shown = escapeHtml(name || iri);
      var bare = name || (this.persistentConfig && this.persistentConfig.compact);
      var link = linkFor(page, iri);
      var inner = link === null ? shown : "<a class=\"iri\" href=\"" + escapeHtml(link.href) + "\"" +
        (link.here ? "" : " target=\"_blank\" rel=\"noopener noreferrer\"") + ">" + shown + "</a>";
      return bare ? inner : "&lt;" + inner + "&gt;";
    };
    return SiteTable;
  }

  function svg(name, attributes, text) {
    var element = document.createElementNS(SVG, name);
    for (var key in attributes) element.setAttribute(key, attributes[key]);
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function isNumber(value) {
    return value && value.type !== "uri" && value.type !== "bnode" && NUMERIC.indexOf(value.datatype) >= 0 &&
      isFinite(Number(value.value));
  }

  // The columns of a result: every variable, and those whose bound values are all numbers (and at least one).
  function chartColumns(results) {
    var names = results.getVariables() || [];
    var rows = results.getBindings() || [];
    var numeric = names.filter(function (name) {
      var seen = false;
      for (var i = 0; i < rows.length; i++) {
        if (!rows[i][name]) continue;
        if (!isNumber(rows[i][name])) return false;
        seen = true;
      }
      return seen;
    });
    return { names: names, numeric: numeric, rows: rows };
  }

  function chooser(text, names, chosen, onChange) {
    var label = document.createElement("label");
    label.className = "chart-choice";
    label.appendChild(document.createTextNode(text + " "));
    var select = document.createElement("select");
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = "?" + name;
      option.selected = name === chosen;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { onChange(select.value); });
    label.appendChild(select);
    return label;
  }

  // A bar chart of one numeric column against a label column, drawn as SVG elements (no library, no network).
  function chartPlugin(page) {
    function Chart(yasr) {
      this.yasr = yasr;
      this.priority = 5;
      this.label = "Chart";
      this.settings = {};
      this.drawn = null;
    }
    Chart.prototype.canHandleResults = function () {
      var results = this.yasr.results;
      if (!results || !results.getVariables || !results.getBindings || !results.getBindings()) return false;
      return chartColumns(results).numeric.length > 0;
    };
    Chart.prototype.getIcon = function () {
      var icon = svg("svg", { viewBox: "0 0 16 16", width: "16", height: "16", "aria-hidden": "true" });
      [[1, 9, 3, 6], [6, 4, 3, 11], [11, 7, 3, 8]].forEach(function (b) {
        icon.appendChild(svg("rect", { x: b[0], y: b[1], width: b[2], height: b[3] }));
      });
      return icon;
    };
    Chart.prototype.draw = function (persistent) {
      var self = this;
      var columns = chartColumns(this.yasr.results);
      this.settings = Object.assign({}, this.settings, persistent || {});
      var value = columns.numeric.indexOf(this.settings.value) >= 0 ? this.settings.value : columns.numeric[0];
      var labels = columns.names.filter(function (name) { return name !== value; });
      var label = labels.indexOf(this.settings.label) >= 0 ? this.settings.label : labels[0];
      var wrap = document.createElement("div");
      wrap.className = "sparql-chart";
      var controls = document.createElement("div");
      controls.className = "chart-controls";
      function choose(key) {
        return function (name) {
          self.settings[key] = name;
          self.yasr.storePluginConfig("chart", self.settings);
          self.yasr.draw();
        };
      }
      if (labels.length) controls.appendChild(chooser("Label", labels, label, choose("label")));
      controls.appendChild(chooser("Value", columns.numeric, value, choose("value")));
      wrap.appendChild(controls);
      var rows = columns.rows.filter(function (row) { return isNumber(row[value]); });
      wrap.appendChild(this.bars(rows.slice(0, CHART_ROWS), label, value));
      if (rows.length > CHART_ROWS) {
        var note = document.createElement("p");
        note.textContent = "The first " + CHART_ROWS + " of " + rows.length + " rows are drawn; the table holds them all.";
        wrap.appendChild(note);
      }
      this.yasr.resultsEl.appendChild(wrap);
    };
    Chart.prototype.bars = function (rows, label, value) {
      var prefixes = this.yasr.getPrefixes ? this.yasr.getPrefixes() : page.prefixes;
      var numbers = rows.map(function (row) { return Number(row[value].value); });
      var low = Math.min.apply(null, [0].concat(numbers));
      var high = Math.max.apply(null, [0].concat(numbers));
      var span = high - low || 1;
      var left = 260, width = 460, line = 24;
      var height = rows.length * line + 8;
      var chart = svg("svg", { viewBox: "0 0 " + (left + width + 90) + " " + height, role: "img", class: "bars",
        "aria-label": "Bar chart of ?" + value + (label ? " by ?" + label : "") });
      var zero = left + ((0 - low) / span) * width;
      rows.forEach(function (row, i) {
        var term = label ? row[label] : null;
        var text = !term ? "" : term.type === "uri" ? shortName(term.value, prefixes || {}) || term.value : term.value;
        var shown = text.length > 32 ? text.slice(0, 31) + "…" : text;
        var x = left + ((Math.min(numbers[i], 0) - low) / span) * width;
        var y = i * line + 4;
        var group = svg("g", { class: "bar" });
        group.appendChild(svg("title", {}, text + ": " + numbers[i]));
        group.appendChild(svg("text", { x: left - 8, y: y + line * 0.65, "text-anchor": "end" }, shown));
        group.appendChild(svg("rect", { x: x, y: y + 3, height: line - 8,
          width: Math.max(1, (Math.abs(numbers[i]) / span) * width) }));
        group.appendChild(svg("text", { x: Math.max(x + (Math.abs(numbers[i]) / span) * width, zero) + 6,
          y: y + line * 0.65, class: "value" }, String(numbers[i])));
        chart.appendChild(group);
      });
      chart.appendChild(svg("line", { x1: zero, x2: zero, y1: 0, y2: height, class: "axis" }));
      this.drawn = chart;
      return chart;
    };
    Chart.prototype.download = function (filename) {
      var chart = this.drawn;
      if (!chart) return undefined;
      return {
        contentType: "image/svg+xml",
        getData: function () {
          var copy = chart.cloneNode(true);
          copy.setAttribute("xmlns", SVG);
          return new XMLSerializer().serializeToString(copy);
        },
        filename: (filename || "chart") + ".svg",
        title: "Download chart (SVG)",
      };
    };
    return Chart;
  }

  // The editor's prefix completion, from the data's prefixes: nothing is fetched.
  function localPrefixes(Yasqe, prefixes) {
    var known = Object.keys(prefixes).sort().map(function (p) { return p + ": <" + prefixes[p] + ">"; });
    Yasqe.registerAutocompleter(Object.assign({}, Yasqe.Autocompleters.prefixes, {
      get: function () { return known; },
      persistenceId: null,
    }), true);
    var enabled = Yasqe.defaults.autocompleters;
    enabled.splice(0, enabled.length, "prefixes", "variables");
  }

  function examplesIn(page) {
    var links = document.querySelectorAll(".sparql-examples ol a");
    Array.prototype.forEach.call(links, function (link, i) {
      if (!page.examples[i]) return;
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        page.open(page.examples[i][0], page.examples[i][1], true);
      });
    });
  }

  // YASGUI's own parts, set for this site before it starts: prefixes, the table's links, the chart, share links.
  function configure(Yasgui, page, endpoint) {
    localPrefixes(Yasgui.Yasqe, page.prefixes);
    Yasgui.Yasr.registerPlugin("table", siteTable(Yasgui.Yasr.plugins.table, page));
    Yasgui.Yasr.registerPlugin("chart", chartPlugin(page));
    shareLinks(Yasgui.Tab, endpoint);
  }

  function create(Yasgui, element, page, endpoint) {
    var yasgui = new Yasgui(element, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      copyEndpointOnNewTab: true,
      populateFromUrl: false,
      autofocus: false,
      persistenceId: "lod-pub-sparql",
      yasqe: { value: page.query, collapsePrefixesOnLoad: true },
      yasr: { prefixes: page.prefixes, pluginOrder: ["table", "chart", "response"], defaultPlugin: "table" },
    });
    Object.keys(yasgui._tabs).forEach(function (id) {  // a tab kept from another address of this site
      var tab = yasgui._tabs[id];
      if (tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);
    });
    return yasgui;
  }

  // open(name, query, reuseName): the query opens in the tab that holds it already, else (an example) in the tab
  // named after it, else in a new tab; then it runs.
  function opener(yasgui, element) {
    return function (name, query, reuseName) {
      var tab = tabHolding(yasgui, query) || (reuseName ? yasgui.tabNameTaken(name) : null);
      if (tab) {
        yasgui.selectTabId(tab.getId());
        if (tab.getQuery() !== query) tab.setQuery(query);
      } else {
        tab = yasgui.addTab(true, { name: yasgui.createTabName(name), yasqe: { value: query } });
      }
      tab.getYasqe().collapsePrefixes(true);
      element.scrollIntoView({ block: "start" });
      tab.query().catch(function () {});
    };
  }

  function showForm(shown) {
    document.getElementById("yasgui").hidden = shown;
    Array.prototype.forEach.call(document.querySelectorAll(".sparql-form, .sparql-error, .sparql-results"),
      function (part) { part.hidden = !shown; });
  }

  function start(page) {
    var endpoint = new URL(page.endpoint, window.location.href).href;
    var element = document.getElementById("yasgui");
    configure(window.Yasgui, page, endpoint);
    showForm(false);
    page.open = opener(create(window.Yasgui, element, page, endpoint), element);
    examplesIn(page);
    if (page.submitted) {  // a link to a query (?query=), or the form sent before this script ran
      var example = page.examples.filter(function (e) { return e[1] === page.query; })[0];
      page.open(example ? example[0] : "Query", page.query, !!example);
    }
  }

  function tabHolding(yasgui, query) {
    var ids = Object.keys(yasgui._tabs);
    for (var i = 0; i < ids.length; i++) {
      if (yasgui._tabs[ids[i]].getQuery() === query) return yasgui._tabs[ids[i]];
    }
    return null;
  }

  // YASGUI's share link carries the query in the fragment, for a YASGUI that reads it; here the link is the
  // endpoint's own page link, which runs the query with or without JavaScript (a GET: keep it short).
  function shareLinks(Tab, endpoint) {
    Tab.prototype.getShareableLink = function () {
      return endpoint + "?" + new URLSearchParams({ query: this.getQuery(), format: "html" }).toString();
    };
  }

  var page = readPage();
  if (!page || !window.Yasgui || !window.URL || !window.Reflect) {
    keepForm();
    return;
  }
  try {
    start(page);
  } catch (error) {
    console.error("YASGUI could not start; the form below still runs queries:", error);
    showForm(true);
    keepForm();
  }
})();
