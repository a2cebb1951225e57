// The shop-floor observation page without network: every observation goes into the device's
// queue first and is sent from there, online or not, so that a dropped connection never eats
// one. Without IndexedDB or a key from an earlier online visit, the form posts as before.
import { OfflineQueue, guardSignOut, installOfflinePage } from "./offline_queue.js";

const form = document.querySelector("form.quick-observation");
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

async function render(queue) {
  say(element("[data-waiting]"), queue.waiting ? (queue.waiting === 1 ? texts.waiting_one : texts.waiting_other).replace("%(count)s", queue.waiting) : "");
  say(element("[data-confirmed]"), queue.confirmed.splice(0).join(" "));
  element("[data-expired]").hidden = !queue.expired;
  const refused = await queue.refused();
  const list = element("[data-refused-list]");
  list.replaceChildren(...refused.map((item) => {
    const entry = document.getElementById("refused-item").content.firstElementChild.cloneNode(true);
    entry.querySelector("[data-reason]").textContent = item.message;
    entry.querySelector("[data-worker]").textContent = item.payload.worker_name;
    entry.querySelector("[data-when]").textContent = new Date(item.payload.observed_at).toLocaleString(document.documentElement.lang);
    entry.querySelector("[data-text]").value = item.payload.text;
    entry.querySelector("[data-remove]").addEventListener("click", () => queue.remove(item.id));
    return entry;
  }));
  element("[data-refused]").hidden = !refused.length;
}

const queue = new OfflineQueue({
  name: "observations", syncUrl: settings.syncUrl, sessionUrl: settings.sessionUrl, onchange: render,
});

installOfflinePage(settings.workerUrl);

if (await queue.start()) {
  status.hidden = false;
  guardSignOut(queue, settings.logoutUrl, texts.sign_out);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const choice = form.querySelector("input[name=worker]:checked");
    const text = form.elements.text.value;
    say(element("[data-problem]"), !choice ? texts.choose_worker : !text.trim() ? texts.write_text : "");
    if (!choice || !text.trim()) return;
    await queue.add({
      worker: Number(choice.value),
      worker_name: form.querySelector(`label[for="${choice.id}"]`).textContent.trim(),
      text,
      observed_at: new Date().toISOString(),
    });
    form.elements.text.value = "";
    queue.sync();
  });
  queue.sync();
}
