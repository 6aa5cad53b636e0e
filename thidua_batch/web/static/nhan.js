// Drag and drop onto the form: the dropped files go into the same <input>, then the form is sent as usual.
(function () {
  var zone = document.getElementById("drop"), input = document.getElementById("tep");
  if (!zone || !input || !window.DataTransfer) { return; }
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    if (!e.dataTransfer || !e.dataTransfer.files.length) { return; }
    input.files = e.dataTransfer.files;
    zone.submit();
  });
})();
