/* The SPARQL editor: YASGUI (from npm, served from /static/vendor) on our endpoint, the README's
   examples one click away, IRIs in results linking to their pages here, and a download link for
   every format the endpoint answers in. Without JavaScript the plain form above runs queries. */
(function () {
  "use strict";
  const mount = document.getElementById("yasgui");
  if (!mount || !window.Yasgui) return;
  const form = document.getElementById("query-form");
  const endpoint = mount.dataset.endpoint;
  const base = mount.dataset.base;
  const prefixes = JSON.parse(mount.dataset.prefixes);
  const declared = Object.entries(prefixes).map(([name, iri]) => `PREFIX ${name}: <${iri}>`).join("\n");
  form.hidden = true;

  window.Yasgui.Yasr.plugins.table.defaults.openIriInNewWindow = false;  // our pages open in place
  const yasgui = new window.Yasgui(mount, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    populateFromUrl: false,
    autofocus: true,
    endpointCatalogueOptions: { getData: () => [] },
    yasqe: { value: document.getElementById("query").value, autocompleters: ["prefixes", "variables"] },
    yasr: { prefixes: prefixes, defaultPlugin: "table" },
  });
  const tab = () => yasgui.getTab();
  window.newskgEditor = yasgui;  // for tests and the console

  // Our IRIs dereference through this server: /person/x answers with a 303 to the page.
  function localise(root) {
    root.querySelectorAll("a[href]").forEach((link) => {
      const href = link.getAttribute("href");
      if (base && href.startsWith(base)) {
        link.setAttribute("href", "/" + href.slice(base.length));
        link.removeAttribute("target");
      }
    });
  }
  new MutationObserver(() => localise(mount)).observe(mount, { childList: true, subtree: true });

  const downloads = document.getElementById("downloads");
  function updateDownloads() {
    const query = tab().getQuery();
    const type = tab().getYasqe().getQueryType ? tab().getYasqe().getQueryType() : "SELECT";
    const graph = type === "CONSTRUCT" || type === "DESCRIBE";
    downloads.querySelector('[data-kind="results"]').hidden = graph;
    downloads.querySelector('[data-kind="graph"]').hidden = !graph;
    downloads.querySelectorAll("a[data-format]").forEach((link) => {
      link.href = `${endpoint}?${new URLSearchParams({ query: query, format: link.dataset.format })}`;
    });
    downloads.hidden = false;
  }
  tab().getYasqe().on("change", updateDownloads);
  yasgui.on("tabSelect", () => setTimeout(updateDownloads));
  updateDownloads();

  document.querySelectorAll(".examples a[data-query]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      tab().setQuery(`${declared}\n\n${link.dataset.query}`);
      updateDownloads();
      tab().query();
    });
  });
})();
