/* Every page: search suggestions as you type (an ARIA combobox over /entities), and filter
   forms that apply themselves. Without JavaScript the forms submit as usual. */
(function () {
  "use strict";

  const KINDS = ["Person", "Organization", "Place", "Event"];

  function kindOf(types) {
    const names = (types || []).map((t) => t.replace(/^.*[/#]/, ""));
    return names.find((n) => KINDS.includes(n)) || names[0] || "";
  }

  function suggest(input) {
    const list = document.createElement("ul");
    list.className = "suggestions";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.form.appendChild(list);
    let timer = null;
    let active = -1;
    let pending = null;

    function options() {
      return Array.from(list.querySelectorAll("a"));
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(results) {
      list.replaceChildren(...results.filter((r) => r.url).map((r, i) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = r.url;
        link.id = `${list.id}-${i}`;
        link.setAttribute("role", "option");
        link.tabIndex = -1;
        const note = document.createElement("small");
        note.textContent = kindOf(r.types) + (r.alias ? ` · “${r.matched}”` : "");
        link.append(r.label || r.iri, note);
        item.append(link);
        return item;
      }));
      active = -1;
      list.hidden = list.children.length === 0;
      input.setAttribute("aria-expanded", String(!list.hidden));
    }

    async function lookUp() {
      const text = input.value.trim();
      if (text.length < 2) return close();
      if (pending) pending.abort();
      pending = new AbortController();
      try {
        const url = `${input.dataset.suggest}?${new URLSearchParams({ q: text, limit: "8" })}`;
        const response = await fetch(url, { headers: { Accept: "application/json" }, signal: pending.signal });
        if (!response.ok) return close();
        show((await response.json()).results);
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }

    function move(step) {
      const all = options();
      if (!all.length) return;
      if (active >= 0) all[active].setAttribute("aria-selected", "false");
      active = (active + step + all.length) % all.length;
      all[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", all[active].id);
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 120);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") close();
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = options()[active].href;
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 200));
  }

  document.querySelectorAll("input[data-suggest]").forEach(suggest);
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) =>
    select.addEventListener("change", () => select.form.submit()));
})();
