// While a run goes on, ask for its progress each second instead of reloading the page; reload once it ends.
(function () {
  var box = document.getElementById("progress");
  if (!box || box.getAttribute("data-running") !== "yes" || !window.fetch) { return; }
  var bar = box.querySelector("progress"), done = document.getElementById("done"), total = document.getElementById("total");
  var meta = document.querySelector('meta[http-equiv="refresh"]');
  if (meta) { meta.parentNode.removeChild(meta); }
  function poll() {
    fetch(box.getAttribute("data-url"), {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      if (!s.running) { window.location.reload(); return; }
      done.textContent = s.done; total.textContent = s.total;
      bar.max = s.total || 1; bar.value = s.done;
      setTimeout(poll, 700);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
