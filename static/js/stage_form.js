// The stage form shows the sections of the chosen kind only (TBS, BVS or enclave), and the
// line that says what that kind is for. Without script every section shows, each under a
// legend naming its kind; the server keeps only the chosen kind's fields either way.
(function () {
  "use strict";
  function start() {
    var form = document.getElementById("stage-form");
    var kind = form && form.querySelector("[name=kind]");
    if (!kind) {
      return;
    }
    function show() {
      form.querySelectorAll("[data-kinds]").forEach(function (part) {
        part.hidden = Boolean(kind.value) && part.getAttribute("data-kinds").split(" ").indexOf(kind.value) < 0;
      });
    }
    kind.addEventListener("change", show);
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
