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
