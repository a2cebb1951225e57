// A signature drawn with a finger, a pen or a mouse on a canvas (data-signature-pad), sent
// as a PNG in the form's hidden field (data-signature-image). Pointer events cover touch,
// pen and mouse alike; the canvas sets touch-action: none so that drawing does not scroll
// the page. An empty pad is not sent: the form shows why (data-signature-empty).
(function () {
  "use strict";
  function enhance(form) {
    var canvas = form.querySelector("canvas[data-signature-pad]");
    var field = form.querySelector("[data-signature-image]");
    var empty = form.querySelector("[data-signature-empty]");
    var clear = form.querySelector("[data-signature-clear]");
    if (!canvas || !field) {
      return;
    }
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    var last = null;

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - box.left) * canvas.width) / box.width,
        y: ((event.clientY - box.top) * canvas.height) / box.height,
      };
    }
    function reset() {
      context.clearRect(0, 0, canvas.width, canvas.height);
      context.lineWidth = 3;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#1a1a1a";
      drawn = false;
      field.value = "";
    }
    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = point(event);
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, 2 * Math.PI);
      context.fillStyle = context.strokeStyle;
      context.fill();
      drawn = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      var next = point(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
    });
    function stop(event) {
      if (drawing && canvas.hasPointerCapture(event.pointerId)) {
        canvas.releasePointerCapture(event.pointerId);
      }
      drawing = false;
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    if (clear) {
      clear.addEventListener("click", reset);
    }
    form.addEventListener("submit", function (event) {
      if (!drawn) {
        event.preventDefault();
        if (empty) {
          empty.hidden = false;
        }
        canvas.focus();
        return;
      }
      field.value = canvas.toDataURL("image/png");
    });
    reset();
  }
  function start() {
    document.querySelectorAll("form[data-signature-form]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
