// The studio editor: autosave (kept in this browser until the server has it), uploads in
// resumable chunks with a progress bar each, live processing status, reordering by drag and by
// keyboard (announced to screen readers), inline captions and alt text.
import Sortable from "../vendor/sortablejs/sortable.esm.js";

const root = document.querySelector(".editor");
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const list = document.getElementById("items");
const stateLine = root.querySelector(".save-state");
const announcer = document.getElementById("announce");
const DRAFTS = `filmstrip-studio-${root.dataset.story}`;
const CHUNK = 1024 * 1024;
const PARALLEL = 3;

const announce = (text) => { announcer.textContent = text; };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A signed-out session answers with a redirect to the sign-in page: that is a failure to save,
// never a success, so redirects are not followed and anything but JSON counts as an error.
async function send(url, data, method = "POST") {
  const response = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(data),
    credentials: "same-origin",
    redirect: "manual",
  });
  const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
  const body = json ? await response.json() : {};
  if (!response.ok || !json) {
    const signedOut = response.type === "opaqueredirect" || !json;
    const message = signedOut ? "signed out: sign in again in another tab" : body.error;
    throw Object.assign(new Error(message || response.status), { response, retry: signedOut });
  }
  return body;
}

// --- Autosave: every change is kept in localStorage until the server confirms it. ---
const drafts = JSON.parse(localStorage.getItem(DRAFTS) || "{}");
let saving = 0;
let failing = "";
let refused = "";
function showState() {
  const waiting = Object.keys(drafts).length;
  if (refused) stateLine.textContent = `Not saved: ${refused}`;
  else if (failing) {
    stateLine.textContent = `Not saved yet (${waiting} change${waiting === 1 ? "" : "s"} kept in `
      + `this browser; ${failing}); retrying…`;
  } else stateLine.textContent = saving || waiting ? "Saving…" : "All changes saved";
  stateLine.classList.toggle("unsaved", Boolean(failing || refused));
}
function persistDrafts() {
  localStorage.setItem(DRAFTS, JSON.stringify(drafts));
  showState();
}
const timers = {};
function queueSave(key, url, data, delay = 500) {
  drafts[key] = { url, data };
  persistDrafts();
  clearTimeout(timers[key]);
  timers[key] = setTimeout(() => flush(key), delay);
}
async function flush(key) {
  const draft = drafts[key];
  if (!draft) return;
  saving += 1;
  showState();
  try {
    const result = await send(draft.url, draft.data);
    if (drafts[key] === draft) delete drafts[key];
    failing = "";
    refused = "";
    afterSave(draft, result);
  } catch (error) {
    const temporary = error.retry || !error.response || error.response.status >= 500;
    if (temporary) {
      failing = error.retry ? error.message : "no connection";
      timers[key] = setTimeout(() => flush(key), 3000);
    } else if (drafts[key] === draft) {
      // Refused (say why, and keep the text on screen); a newer change is still sent.
      delete drafts[key];
      refused = error.message;
    }
  } finally {
    saving -= 1;
    persistDrafts();
  }
}
function afterSave(draft, result) {
  for (const name of ["intro", "licence"]) {
    const preview = root.querySelector(`.md-preview[data-for="${name}"]`);
    if (preview && result[`${name}_html`] !== undefined) preview.innerHTML = result[`${name}_html`];
  }
}
addEventListener("online", () => Object.keys(drafts).forEach(flush));
addEventListener("beforeunload", (event) => {
  if (Object.keys(drafts).length) event.preventDefault();
});

// Essay fields and switches.
for (const field of root.querySelectorAll(".essay-field")) {
  field.addEventListener("input", () => {
    queueSave(`essay:${field.name}`, root.dataset.save, { [field.name]: field.value });
  });
}
for (const box of root.querySelectorAll(".essay-switch")) {
  box.addEventListener("change", () => {
    queueSave(`essay:${box.name}`, root.dataset.save, { [box.name]: box.checked }, 0);
  });
}
root.querySelector(".licence-preset").addEventListener("change", (event) => {
  const option = event.target.selectedOptions[0];
  if (!option.dataset.text) return;
  const licence = root.querySelector('[name="licence"]');
  const url = root.querySelector('[name="licence_url"]');
  licence.value = option.dataset.text;
  url.value = option.value;
  queueSave("essay:licence", root.dataset.save, { licence: licence.value, licence_url: url.value }, 0);
});

// Items: captions, alt text, passages.
function itemUrl(li, action) { return `/studio/items/${li.dataset.id}/${action}`; }
list.addEventListener("input", (event) => {
  const li = event.target.closest("li.item");
  if (!li) return;
  const field = event.target;
  const name = ["caption", "alt", "body", "licence_url"].find((n) => field.classList.contains(n));
  if (!name) return;
  if (name === "alt") li.querySelector(".alt-warning").hidden = field.value.trim() !== "";
  queueSave(`item:${li.dataset.id}:${name}`, itemUrl(li, "save"), { [name]: field.value });
});

// A refresh or a lost connection loses nothing: unsaved changes are put back and sent again.
for (const [key, draft] of Object.entries(drafts)) {
  const [kind, id, name] = key.split(":");
  const field = kind === "essay"
    ? root.querySelector(`[name="${id}"]`)
    : list.querySelector(`li[data-id="${id}"] .${name}`);
  const value = draft.data[kind === "essay" ? id : name];
  if (field && typeof value === "string") field.value = value;
  if (field && typeof value === "boolean") field.checked = value;
  flush(key);
}
showState();

// --- Order: drag, keyboard, sort, multi-select. ---
const items = () => [...list.querySelectorAll(":scope > li.item")];
function label(li) {
  return li.classList.contains("item-text") ? "Text passage" : li.dataset.filename || "Photo";
}
function saveOrder(message) {
  const ids = items().map((li) => Number(li.dataset.id));
  queueSave("order", root.dataset.order, { ids }, 0);
  if (message) announce(message);
}
function moveTo(li, position) {
  const all = items().filter((other) => other !== li);
  const index = Math.max(0, Math.min(all.length, position - 1));
  list.insertBefore(li, all[index] || null);
  saveOrder(`${label(li)} moved to position ${items().indexOf(li) + 1} of ${items().length}.`);
}
Sortable.create(list, {
  handle: ".handle",
  forceFallback: true, // the same pointer-driven dragging with mouse, pen and touch
  animation: matchMedia("(prefers-reduced-motion: reduce)").matches ? 0 : 150,
  onEnd: (event) => saveOrder(`${label(event.item)} moved to position ${event.newIndex + 1}.`),
});
list.addEventListener("click", (event) => {
  const li = event.target.closest("li.item");
  if (!li) return;
  const position = items().indexOf(li) + 1;
  if (event.target.matches(".up") && position > 1) {
    moveTo(li, position - 1);
    event.target.focus();
  } else if (event.target.matches(".down") && position < items().length) {
    moveTo(li, position + 1);
    event.target.focus();
  } else if (event.target.matches(".make-cover")) {
    queueSave("essay:cover", root.dataset.save, { cover: Number(li.dataset.photo) }, 0);
    announce(`${label(li)} is now the cover.`);
  } else if (event.target.matches(".retry")) {
    send(itemUrl(li, "retry"), {}).then(({ item }) => update(li, item)).then(poll);
  }
});
list.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches(".to")) {
    event.preventDefault();
    const li = event.target.closest("li.item");
    moveTo(li, Number(event.target.value));
    event.target.value = "";
    event.target.focus();
  }
});
const selected = () => items().filter((li) => li.querySelector(".select").checked);
root.querySelector(".move-selected").addEventListener("click", () => {
  const target = Number(root.querySelector(".move-selected-to").value) || 1;
  const chosen = selected();
  const rest = items().filter((li) => !chosen.includes(li));
  const anchor = rest[target - 1] || null;
  for (const li of chosen) list.insertBefore(li, anchor);
  saveOrder(`${chosen.length} items moved to position ${target}.`);
});
root.querySelector(".delete-selected").addEventListener("click", async () => {
  const chosen = selected();
  const question = `Remove ${chosen.length} item(s) from this essay? ` +
    "A photo no other essay shows is deleted for good, with its files.";
  if (!chosen.length || !confirm(question)) return;
  await send(root.dataset.delete, { ids: chosen.map((li) => Number(li.dataset.id)) });
  chosen.forEach((li) => li.remove());
  announce(`${chosen.length} items removed.`);
});
for (const button of root.querySelectorAll(".sort")) {
  button.addEventListener("click", () => {
    const key = button.dataset.by;
    const photos = items().filter((li) => li.classList.contains("item-photo"));
    photos.sort((a, b) => {
      if (key === "captured" && (a.dataset.captured || b.dataset.captured)) {
        if (!a.dataset.captured) return 1;
        if (!b.dataset.captured) return -1;
        return a.dataset.captured.localeCompare(b.dataset.captured);
      }
      return a.dataset.filename.localeCompare(b.dataset.filename, undefined, { numeric: true });
    });
    // Text passages keep their places; the photos fill the other places in the new order.
    const slots = items().map((li) => (li.classList.contains("item-photo") ? null : li));
    let next = 0;
    for (const li of slots.map((slot) => slot || photos[next++])) list.append(li);
    saveOrder(`Photos sorted by ${key === "captured" ? "capture time" : "file name"}.`);
  });
}
root.querySelector(".add-text").addEventListener("click", async () => {
  const { item } = await send(root.dataset.text, {});
  const li = document.getElementById("text-item").content.firstElementChild.cloneNode(true);
  li.dataset.id = item.id;
  list.append(li);
  li.querySelector("textarea").focus();
});

// Every row has the same controls; each names its photo for screen readers.
function describe(li) {
  const name = li.querySelector(".filename");
  if (!name) return;
  name.id = `file-${li.dataset.id}`;
  for (const control of li.querySelectorAll("button, input, textarea")) {
    control.setAttribute("aria-describedby", name.id);
  }
}
items().forEach(describe);

// --- Processing status: photos show up as their renditions are ready. ---
const uploadNotes = new Map(); // item id -> the note beside its progress bar
function update(li, item) {
  const note = uploadNotes.get(String(item.id));
  if (note && item.status === "ready") note.textContent = "ready";
  if (note && item.status === "failed") note.textContent = `failed: ${item.reason}`;
  li.dataset.status = item.status;
  li.dataset.photo = item.photo;
  li.dataset.captured = item.captured;
  li.dataset.filename = item.filename;
  li.querySelector(".select").setAttribute("aria-label", `Select ${item.filename}`);
  li.querySelector(".filename").textContent = item.filename;
  describe(li);
  const status = li.querySelector(".status");
  status.textContent = item.status;
  status.className = `status status-${item.status}`;
  let reason = li.querySelector(".reason");
  if (!reason && item.reason) {
    reason = Object.assign(document.createElement("span"), { className: "reason" });
    status.after(": ", reason);
  }
  if (reason) reason.textContent = item.reason;
  li.querySelector(".retry").hidden = item.status !== "failed";
  const thumb = li.querySelector(".thumb");
  if (item.thumb && thumb.tagName !== "IMG") {
    thumb.replaceWith(Object.assign(document.createElement("img"), {
      className: "thumb", src: item.thumb, alt: "", width: 160, height: 120,
    }));
  }
  const caption = li.querySelector(".caption");
  const alt = li.querySelector(".alt");
  if (!caption.value && item.caption) caption.value = item.caption;
  if (!alt.value && item.alt) alt.value = item.alt;
  li.querySelector(".alt-warning").hidden = alt.value.trim() !== "";
}
let polling = null;
let inFlight = null;
let again = false;
// One status request at a time: two at once would both add the same new photo.
function poll() {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = refresh().finally(() => {
    inFlight = null;
    if (again) {
      again = false;
      poll();
    }
  });
  return inFlight;
}
async function refresh() {
  clearTimeout(polling);
  let fresh;
  try {
    const response = await fetch(root.dataset.status, {
      credentials: "same-origin", redirect: "manual",
    });
    ({ items: fresh } = await response.json());
  } catch {
    polling = setTimeout(poll, 5000); // offline or signed out for a moment: look again later
    return;
  }
  const known = new Map(items().map((li) => [li.dataset.id, li]));
  // New photos go where the server put them (capture-time order); the rest stay where the
  // author has them, even if that order is still on its way to the server.
  fresh.forEach((item, index) => {
    let li = known.get(String(item.id));
    if (!li && item.kind === "photo") {
      li = document.getElementById("photo-item").content.firstElementChild.cloneNode(true);
      li.dataset.id = item.id;
      const next = fresh.slice(index + 1).map((later) => known.get(String(later.id))).find(Boolean);
      list.insertBefore(li, next || null);
      known.set(String(item.id), li);
    }
    if (li && item.kind === "photo") update(li, item);
  });
  if (fresh.some((item) => item.status === "pending" || item.status === "processing")) {
    polling = setTimeout(poll, 1500);
  }
}
poll();

// --- Uploads: parallel, one progress bar each, resumable chunk by chunk. ---
const uploadList = root.querySelector(".upload-list");
const queue = [];
let active = 0;

async function checksum(file) {
  if (!crypto.subtle || file.size > 256 * 1024 * 1024) return "";
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function putChunk(url, blob, start, total, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Content-Range", `bytes ${start}-${start + blob.size - 1}/${total}`);
    xhr.upload.onprogress = (event) => onProgress(start + event.loaded);
    xhr.onload = () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText || "{}");
      } catch {
        body = { error: "an unexpected answer (signed out?)" };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("network"));
    xhr.send(blob);
  });
}

async function upload(file, row) {
  const bar = row.querySelector("progress");
  const note = row.querySelector(".note");
  const hash = await checksum(file);
  const started = await send(root.dataset.uploads, { name: file.name, size: file.size, checksum: hash });
  if (started.duplicate) {
    note.textContent = "already in this essay, skipped";
    bar.value = bar.max;
    return;
  }
  const url = `/studio/uploads/${started.id}`;
  let offset = 0;
  let failures = 0;
  while (true) {
    try {
      const { status, body } = await putChunk(
        url, file.slice(offset, offset + CHUNK), offset, file.size, (sent) => { bar.value = sent; },
      );
      if (status === 409 || (status >= 500 && status < 600)) {
        throw Object.assign(new Error("resume"), { offset: body.offset });
      }
      if (status === 403 || status === 404 || status === 0) {
        throw Object.assign(new Error("resume"), { final: status === 404 });
      }
      if (status >= 400) { note.textContent = `refused: ${body.error}`; row.classList.add("failed"); return; }
      failures = 0;
      if (body.offset !== undefined) { offset = body.offset; bar.value = offset; continue; }
      bar.value = bar.max;
      note.textContent = body.duplicate ? "already in this essay, skipped" : "uploaded, processing…";
      if (body.item) uploadNotes.set(String(body.item.id), note);
      poll();
      return;
    } catch (error) {
      failures += 1;
      if (error.final) { note.textContent = "upload expired: please add the file again"; return; }
      if (failures > 30) { note.textContent = "upload stopped: no connection"; return; }
      note.textContent = "connection lost, resuming…";
      await sleep(Math.min(10000, 500 * failures));
      // Ask the server how far it got, and go on from there.
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok) offset = (await response.json()).offset;
      } catch { /* still offline: try again */ }
    }
  }
}

function pump() {
  while (active < PARALLEL && queue.length) {
    const [file, row] = queue.shift();
    active += 1;
    upload(file, row)
      .catch((error) => { row.querySelector(".note").textContent = `failed: ${error.message}`; })
      .finally(() => { active -= 1; pump(); });
  }
}

function addFiles(files) {
  for (const file of files) {
    const row = document.createElement("li");
    const name = Object.assign(document.createElement("span"), { className: "name", textContent: file.name });
    const bar = Object.assign(document.createElement("progress"), { max: file.size, value: 0 });
    bar.setAttribute("aria-label", `Uploading ${file.name}`);
    const note = Object.assign(document.createElement("span"), { className: "note", textContent: "waiting" });
    row.append(name, bar, note);
    uploadList.append(row);
    queue.push([file, row]);
  }
  pump();
}
const input = document.getElementById("files");
input.addEventListener("change", () => { addFiles([...input.files]); input.value = ""; });
const drop = root.querySelector(".drop");
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  addFiles([...event.dataTransfer.files]);
});

// --- Publishing asks first while photos lack alt text. ---
for (const form of root.querySelectorAll("form.publish")) {
  form.addEventListener("submit", (event) => {
    const missing = items().filter((li) => li.classList.contains("item-photo")
      && !li.querySelector(".alt").value.trim()).length;
    if (missing && !confirm(`${missing} photo(s) have no alt text. Publish anyway?`)) {
      event.preventDefault();
    }
  });
}
