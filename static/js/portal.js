// The worker's pages (bwise.portal): "Lees voor", the end of an idle session on a shared
// tablet, nothing shown again from the back-forward cache, and the card's code from the QR.
(function () {
  "use strict";

  // A page restored from the back-forward cache is asked for again: the server decides
  // whether a worker is still signed in.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  // The QR code and the e-mailed link carry their code after "#": it fills the form and
  // leaves the address. The card's form goes on by itself; the link's waits for the worker's
  // tap, because a mail program that opens links to check them would use up its one time.
  var codeForm = document.querySelector("form[data-card-code], form[data-link-code]");
  if (codeForm && window.location.hash.length > 1) {
    var code = decodeURIComponent(window.location.hash.slice(1));
    window.history.replaceState(null, "", window.location.pathname);
    codeForm.querySelector("input[name=code]").value = code;
    if (codeForm.hasAttribute("data-card-code")) { codeForm.submit(); }
  }

  // "Kopieer de link": the passport's new link, shown once, onto the clipboard.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field || !(navigator.clipboard && window.isSecureContext)) { return; }
    var done = button.parentElement.querySelector("[data-copy-done]");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (done) { done.textContent = button.dataset.copied; }
      });
    });
  });

  // "Lees voor": the page's main text through the browser's own speech, in Dutch (Belgium)
  // or in the page's language.
  var readButtons = document.querySelectorAll("[data-read-aloud]");
  if ("speechSynthesis" in window && readButtons.length) {
    var lang = document.documentElement.lang === "en" ? "en-GB" : "nl-BE";
    var voiceFor = function () {
      var voices = window.speechSynthesis.getVoices();
      return voices.find(function (v) { return v.lang === lang; }) ||
        voices.find(function (v) { return v.lang.slice(0, 2) === lang.slice(0, 2); }) || null;
    };
    readButtons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var synth = window.speechSynthesis;
        if (synth.speaking) { synth.cancel(); return; }
        var main = document.getElementById("main");
        var utterance = new SpeechSynthesisUtterance(main ? main.innerText : document.body.innerText);
        utterance.lang = lang;
        var voice = voiceFor();
        if (voice) { utterance.voice = voice; }
        utterance.rate = 0.9;
        synth.speak(utterance);
      });
    });
    window.addEventListener("pagehide", function () { window.speechSynthesis.cancel(); });
  }

  // A few minutes without a touch end the session, as "Stoppen" does.
  var idle = parseInt(document.body.dataset.idleSeconds || "0", 10);
  var stop = document.getElementById("portal-stop");
  if (idle > 0 && stop) {
    var timer;
    var restart = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        stop.querySelector("input[name=reason]").value = "idle";
        stop.submit();
      }, idle * 1000);
    };
    ["pointerdown", "keydown", "scroll", "touchstart"].forEach(function (name) {
      window.addEventListener(name, restart, {passive: true});
    });
    restart();
  }
})();
