// While a run goes on, ask for its progress instead of reloading the page (without JavaScript, the page
// reloads itself every 2 s: the <noscript> refresh); reload once the run ends.
(function () {
  var box = document.getElementById("progress");
  if (!box || box.getAttribute("data-running") !== "yes" || !window.fetch) { return; }
  var bar = box.querySelector("progress"), done = document.getElementById("done"), total = document.getElementById("total");
  var writing = document.getElementById("writing");
  function poll() {
    fetch(box.getAttribute("data-url"), {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      if (!s.running) { window.location.reload(); return; }
      done.textContent = s.done; total.textContent = s.total;
      if (writing) { writing.textContent = s.writing ? ", đang ghi kết quả" : ""; }
      bar.max = s.total || 1; bar.value = s.done;
      setTimeout(poll, 700);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
