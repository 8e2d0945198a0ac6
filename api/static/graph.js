/* An entity's neighbourhood as a live graph (Cytoscape.js from npm, served from /static/vendor).

   Data: /analytics/ego (the entities one hop away in the analytics projection) and
   /analytics/centrality (PageRank, for node sizes), both with the filters of the form: entity
   types, relation kinds, time window. The sentences behind an edge are fetched when it is first
   hovered: /analytics/paths between two neighbours is the edge itself, with its evidence. Click a node to open its page; right-click
   it, or use its button in the list under the graph, to expand it in place. */
(function () {
  "use strict";
  const panel = document.getElementById("graph-panel");
  if (!panel) return;
  const status = document.getElementById("graph-status");
  const list = document.getElementById("graph-nodes");
  const tooltip = document.getElementById("graph-tooltip");
  const form = document.getElementById("graph-controls");
  const config = JSON.parse(panel.dataset.config);
  const COLOURS = { Person: "#1f5fa8", Organization: "#9a4100", Place: "#1d6b3a", Event: "#7a2a8a" };
  if (!window.cytoscape) {
    status.textContent = "The graph library is not installed (run `make setup`); the facts below list the same connections.";
    return;
  }

  const cy = window.cytoscape({
    container: document.getElementById("graph"),
    minZoom: 0.2,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
        "background-color": (n) => COLOURS[n.data("kind")] || "#55595f",
        width: "data(size)", height: "data(size)", label: "data(label)",
        "font-size": 11, "text-valign": "bottom", "text-margin-y": 3, color: "#1b1f24",
        "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1,
        "text-wrap": "ellipsis", "text-max-width": 140 } },
      { selector: "node.centre", style: { "border-width": 4, "border-color": "#ffbf47", "font-weight": "bold" } },
      { selector: "node.expanded", style: { "border-width": 3, "border-color": "#14212e" } },
      { selector: "edge", style: {
        width: "data(width)", "line-color": "#9aa5b1", "curve-style": "bezier", opacity: 0.85 } },
      { selector: "edge.hover", style: { "line-color": "#14212e", opacity: 1 } },
    ],
  });
  window.newskgGraph = cy;  // for tests and the console
  let scores = {};
  const expanded = new Set();

  function pageUrl(iri) {
    return iri.startsWith(config.base) ? `${config.entities}/${iri.slice(config.base.length)}` : iri;
  }

  function filters() {
    const params = new URLSearchParams();
    const data = new FormData(form);
    const types = data.getAll("type");
    const edges = data.getAll("edge");
    if (types.length < config.kinds.length) types.forEach((t) => params.append("type", t));
    if (edges.length < config.edges.length) edges.forEach((e) => params.append("edge", e));
    for (const bound of ["start", "end"]) if (data.get(bound)) params.set(bound, data.get(bound));
    return params;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail || response.statusText);
    return body;
  }

  function size(iri) {
    const top = Math.max(...Object.values(scores), 1e-9);
    return 18 + 42 * Math.sqrt((scores[iri] || 0) / top);
  }

  function add(ego) {
    const added = [];
    for (const node of ego.nodes) {
      if (cy.getElementById(node.iri).nonempty()) continue;
      added.push({ group: "nodes", data: { id: node.iri, label: node.label, kind: node.kind, size: size(node.iri) } });
    }
    for (const edge of ego.edges) {
      const id = `${edge.source.iri} ${edge.target.iri}`;
      if (cy.getElementById(id).nonempty()) continue;
      added.push({ group: "edges", data: {
        id: id, source: edge.source.iri, target: edge.target.iri, width: 1 + Math.log2(edge.weight),
        kinds: edge.kinds, documents: edge.documents } });
    }
    return cy.add(added);
  }

  // A fresh graph is laid out from random positions; after an expansion the nodes keep theirs and
  // the new ones start beside the node they came from.
  function layout(fresh) {
    return new Promise((resolve) => {
      const run = cy.layout({ name: "cose", animate: false, randomize: fresh, fit: true, padding: 30,
                              nodeRepulsion: () => 400000, idealEdgeLength: () => 80, edgeElasticity: () => 80,
                              nodeOverlap: 20, gravity: 40, numIter: 1500 });
      run.one("layoutstop", resolve);
      run.run();
    });
  }

  function describe() {
    list.replaceChildren(...cy.nodes().sort((a, b) => (scores[b.id()] || 0) - (scores[a.id()] || 0)).map((node) => {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = COLOURS[node.data("kind")] || "#55595f";
      const link = document.createElement("a");
      link.href = pageUrl(node.id());
      link.textContent = node.data("label");
      item.append(swatch, link);
      item.dataset.iri = node.id();
      if (!expanded.has(node.id())) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "quiet";
        button.textContent = "expand";
        button.setAttribute("aria-label", `Expand ${node.data("label")} in the graph`);
        button.addEventListener("click", () => expand(node.id()));
        item.append(button);
      }
      return item;
    }));
  }

  async function load() {
    status.textContent = "Loading the neighbourhood…";
    cy.elements().remove();
    expanded.clear();
    const ranking = new URLSearchParams(filters());
    ranking.set("metric", "pagerank");
    ranking.set("limit", String(config.limit));
    const around = filters();
    around.set("center", config.center);
    try {
      const [ego, rank] = await Promise.all([getJSON(`${config.ego}?${around}`),
                                             getJSON(`${config.centrality}?${ranking}`)]);
      scores = Object.fromEntries(rank.scores.map((s) => [s.entity.iri, s.value]));
      add(ego);
      expanded.add(config.center);
      cy.getElementById(config.center).addClass("centre expanded");
      await layout(true);
      describe();
      status.textContent = `${cy.nodes().length} entities, ${cy.edges().length} connections.`;
      panel.dataset.state = "ready";
    } catch (error) {
      status.textContent = `No graph for these filters: ${error.message}`;
      describe();
      panel.dataset.state = "empty";
    }
  }

  async function expand(iri) {
    const node = cy.getElementById(iri);
    status.textContent = `Expanding ${node.data("label")}…`;
    const around = filters();
    around.set("center", iri);
    try {
      const added = add(await getJSON(`${config.ego}?${around}`));
      const from = node.position();
      added.nodes().forEach((n, i) => n.position({ x: from.x + 60 * Math.cos(i), y: from.y + 60 * Math.sin(i) }));
      expanded.add(iri);
      node.addClass("expanded");
      await layout(false);
      describe();
      status.textContent = `Expanded ${node.data("label")}: ${added.nodes().length} more entities ` +
        `(${cy.nodes().length} in all).`;
    } catch (error) {
      status.textContent = `Could not expand ${node.data("label")}: ${error.message}`;
    }
  }

  function showTooltip(html, position) {
    tooltip.innerHTML = html;
    tooltip.hidden = false;
    tooltip.style.left = `${Math.min(position.x + 12, cy.width() - 200)}px`;
    tooltip.style.top = `${position.y + 12}px`;
  }

  function escape(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  cy.on("tap", "node", (event) => { window.location.href = pageUrl(event.target.id()); });
  cy.on("cxttap", "node", (event) => expand(event.target.id()));
  async function evidence(edge) {
    if (!edge.data("evidence")) {
      const between = filters();
      between.set("from", edge.source().id());
      between.set("to", edge.target().id());
      between.set("evidence", "2");
      const found = await getJSON(`${config.paths}?${between}`);
      edge.data("evidence", found.paths.length ? found.paths[0][0].evidence : []);
    }
    return edge.data("evidence");
  }

  cy.on("mouseover", "edge", async (event) => {
    const edge = event.target;
    edge.addClass("hover");
    const kinds = Object.entries(edge.data("kinds")).map(([k, n]) => `${k} ×${n}`).join(", ");
    const title = `<strong>${escape(edge.source().data("label"))} — ${escape(edge.target().data("label"))}</strong>` +
                  `<br><small>${escape(kinds)}</small>`;
    showTooltip(`${title}<p>…</p>`, event.renderedPosition);
    const sentences = (await evidence(edge)).map((e) =>
      `<p><q>${escape(e.sentence)}</q><br><small>${escape(e.document)}</small></p>`).join("");
    if (edge.hasClass("hover")) showTooltip(title + sentences, event.renderedPosition);
  });
  cy.on("mouseover", "node", (event) => {
    const node = event.target;
    showTooltip(`<strong>${escape(node.data("label"))}</strong><br><small>${escape(node.data("kind"))} · PageRank ` +
                `${(scores[node.id()] || 0).toFixed(3)}</small>`, event.renderedPosition);
  });
  cy.on("mouseout", "node, edge", (event) => { event.target.removeClass("hover"); tooltip.hidden = true; });
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
})();
