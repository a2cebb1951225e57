// A form whose fields depend on a kind (a stage's TBS, BVS or enclave; an event's learning
// table or duo job) shows the parts of the chosen kind only, and the line saying what that
// kind is for. The form names its kind field (data-kind-field); each part names its kinds
// (data-kinds). Without script every part shows under a legend naming its kind, and the
// server keeps only the chosen kind's fields either way.
(function () {
  "use strict";
  function enhance(form) {
    var kind = form.querySelector("[name='" + form.getAttribute("data-kind-field") + "']");
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
  function start() {
    document.querySelectorAll("form[data-kind-field]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
