// Autocomplete for the search box: fills the datalist from /suggest.json (text only, no HTML).
(function () {
  const input = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (!input || !list) return;
  let timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) return;
    timer = setTimeout(function () {
      fetch(input.dataset.suggest.split("?")[0] + "?q=" + encodeURIComponent(q))
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          list.replaceChildren();
          (data.suggestions || []).forEach(function (s) {
            const opt = document.createElement("option");
            opt.value = s.zh;
            opt.label = s.en;
            list.appendChild(opt);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();

// The paths form's concept fields: suggestions from /suggest.json as one types (zh, en or pinyin), shown as
// labels with their class and article (two concepts of one label told apart); the id is kept behind the
// label and sent in its place.  Without this script the field takes an id or an exact label as typed.
(function () {
  const en = document.documentElement.lang === "en";
  document.querySelectorAll("input[data-concept-suggest]").forEach(function (input) {
    const list = document.getElementById(input.getAttribute("list"));
    const ids = new Map();  // the text of an option → the concept's id
    let timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      const q = input.value.trim();
      if (!q || ids.has(q)) return;
      timer = setTimeout(function () {
        fetch(input.dataset.conceptSuggest.split("?")[0] + "?q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            list.replaceChildren();
            (data.suggestions || []).forEach(function (s) {
              const first = en ? (s.en || s.zh) : s.zh, second = en ? s.zh : s.en;
              const cls = s.class_label ? (en ? s.class_label.en : s.class_label.zh) : s["class"];
              const article = s.article_label ? (en ? s.article_label.en : s.article_label.zh) : "";
              const text = first + " · " + second + " (" + cls + (article ? " · " + article : "") + ")";
              ids.set(text, s.id);
              const opt = document.createElement("option");
              opt.value = text;
              if (s.field === "pinyin" && s.matched) opt.label = s.matched;
              list.appendChild(opt);
            });
          })
          .catch(function () {});
      }, 150);
    });
    if (input.form) input.form.addEventListener("submit", function () {
      const id = ids.get(input.value.trim());
      if (id) input.value = id;
    });
  });
})();
