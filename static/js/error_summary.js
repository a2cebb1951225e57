// After a refused save the error summary takes the focus, so that keyboard and screen reader
// users hear what to fix; its links move the focus to the field they name (a group of radio
// buttons or check boxes has no element with the field's own id: its first box takes it).
(function () {
  "use strict";
  function fieldFor(id) {
    return document.getElementById(id) || document.getElementById(id + "_0");
  }
  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-field]");
      var field = link && fieldFor(link.getAttribute("data-field"));
      if (!field) {
        return;
      }
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView();
      field.focus();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
