// A form that keeps working without network: every submit goes into the device's queue first
// and is sent from there, online or not, so that a dropped connection never eats what was
// typed. The page marks the form with data-offline, holds #offline-status (the URLs and the
// places for the messages) and #offline-texts (its translated sentences), and answers
// X-Offline-Page so that the service worker keeps it. Without IndexedDB, WebCrypto or a key
// from an earlier online visit, the form posts as it always did.
import { OfflineQueue, guardSignOut, installOfflinePage } from "./offline_queue.js";

const form = document.querySelector("form[data-offline]");
const status = document.getElementById("offline-status");
const texts = JSON.parse(document.getElementById("offline-texts").textContent);
const settings = status.dataset;

function element(selector) {
  return status.querySelector(selector);
}

function say(node, text) {
  node.textContent = text;
  node.hidden = !text;
}

// What the refused item shows: the choices made (their labels) and what was typed.
function describe() {
  const chosen = [...form.querySelectorAll("input:checked")].map((input) => form.querySelector(`label[for="${input.id}"]`).textContent.trim());
  const selected = [...form.querySelectorAll("select")].map((select) => select.selectedOptions[0].textContent.trim());
  const dates = [...form.querySelectorAll("input[type=date]")].map((input) => input.value);
  const typed = [...form.querySelectorAll("textarea, input[type=text]")].map((input) => input.value.trim()).filter(Boolean);
  return { summary: [...dates, ...chosen, ...selected].join(" · "), typed: typed.join("\n\n") };
}

async function render(queue) {
  const count = queue.waiting === 1 ? texts.waiting_one : texts.waiting_other;
  say(element("[data-waiting]"), queue.waiting ? count.replace("%(count)s", queue.waiting) : "");
  say(element("[data-confirmed]"), queue.confirmed.splice(0).join(" "));
  element("[data-expired]").hidden = !queue.expired;
  const refused = await queue.refused();
  element("[data-refused-list]").replaceChildren(...refused.map((item) => {
    const entry = document.getElementById("refused-item").content.firstElementChild.cloneNode(true);
    entry.querySelector("[data-reason]").textContent = item.message;
    entry.querySelector("[data-summary]").textContent = item.payload.shown.summary;
    entry.querySelector("[data-when]").textContent = new Date(item.payload.written_at).toLocaleString(document.documentElement.lang);
    entry.querySelector("[data-text]").value = item.payload.shown.typed;
    entry.querySelector("[data-remove]").addEventListener("click", () => queue.remove(item.id));
    const asWritten = entry.querySelector("[data-save-as-written]");
    asWritten.hidden = item.state !== "warning";
    asWritten.addEventListener("click", () => queue.resend(item.id, { save_as_written: true }));
    return entry;
  }));
  element("[data-refused]").hidden = !refused.length;
}

const queue = new OfflineQueue({
  name: form.dataset.offline, syncUrl: settings.syncUrl, sessionUrl: settings.sessionUrl, onchange: render,
});

installOfflinePage(settings.workerUrl);

if (await queue.start()) {
  status.hidden = false;
  guardSignOut(queue, settings.logoutUrl, settings.signOutQuestion);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const complete = form.checkValidity();
    say(element("[data-problem]"), complete ? "" : texts.incomplete);
    if (!complete) return;
    const fields = Object.fromEntries(new FormData(form));
    delete fields.csrfmiddlewaretoken;
    await queue.add({ ...fields, shown: describe(), written_at: new Date().toISOString() });
    form.querySelectorAll("textarea, input[type=text]").forEach((input) => { input.value = ""; });
    queue.sync();
  });
  queue.sync();
}
