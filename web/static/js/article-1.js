// "Read in context": scroll the highlighted quote into view.
(function () {
  const current = document.querySelector(".article a.q.current");
  if (current) current.scrollIntoView({ block: "center" });
})();
