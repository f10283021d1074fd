// The studio editor: autosave (kept in this browser until the server has it), uploads in
// resumable chunks with a progress bar each, live processing status, the contact sheet
// (reordering by drag and by keyboard, announced to screen readers) and its inspector with
// captions and alt text. Every address it sends to is on the page, in the editor's data-*
// attributes and each tile's.
import { Autosave } from "./autosave.js";
import { Inspector } from "./inspector.js";
import { setUpLayout } from "./layout.js";
// Also writes the page's moments, and echoes the schedule field, in the author's zone.
import { zone } from "./moments.js";
import { setUpOrdering } from "./order.js";
import { describe, isPhoto, label, markTile, rowsOf, tileOf } from "./rows.js";
import { setUpSheet } from "./sheet.js";
import { StatusWatch } from "./status.js";
import { Uploader } from "./uploads.js";

const root = document.querySelector(".editor");
const list = document.getElementById("items");
const announcer = document.getElementById("announce");
const announce = (text) => { announcer.textContent = text; };

// The server answers an essay save with the intro and licence as readers will see them. A new
// order (or a removal, below) may have ended groups: the tiles and panels ask what is left.
function showPreviews(result, key) {
  if (key === "order") status.poll();
  for (const name of ["intro", "licence"]) {
    const preview = root.querySelector(`.md-preview[data-for="${name}"]`);
    if (preview && result[`${name}_html`] !== undefined) preview.innerHTML = result[`${name}_html`];
  }
}
const autosave = new Autosave(
  `filmstrip-studio-${root.dataset.story}`, root.querySelector(".save-state"), showPreviews,
);

// Essay fields and switches.
for (const field of root.querySelectorAll(".essay-field")) {
  field.addEventListener("input", () => {
    autosave.queue(`essay:${field.name}`, root.dataset.save, { [field.name]: field.value });
  });
}
for (const box of root.querySelectorAll(".essay-switch")) {
  box.addEventListener("change", () => {
    autosave.queue(`essay:${box.name}`, root.dataset.save, { [box.name]: box.checked }, 0);
  });
}
root.querySelector(".licence-preset").addEventListener("change", (event) => {
  const option = event.target.selectedOptions[0];
  if (!option.dataset.text) return;
  const licence = root.querySelector('[name="licence"]');
  const url = root.querySelector('[name="licence_url"]');
  licence.value = option.dataset.text;
  url.value = option.value;
  const data = { licence: licence.value, licence_url: url.value };
  autosave.queue("essay:licence", root.dataset.save, data, 0);
});

// Items: captions, alt text, passages, typed in the inspector.
const inspector = root.querySelector(".inspector");
inspector.addEventListener("input", (event) => {
  const detail = event.target.closest(".detail");
  if (!detail) return;
  const li = tileOf(detail);
  const field = event.target;
  const name = ["caption", "alt", "body", "licence_url"].find((n) => field.classList.contains(n));
  if (!name) return;
  const fromFile = field.closest(".field").querySelector(".from-file");
  if (fromFile) fromFile.hidden = true; // the author's words now, not the file's
  markTile(li);
  autosave.queue(`item:${li.dataset.id}:${name}`, li.dataset.save, { [name]: field.value });
});

// A refresh or a lost connection loses nothing: unsaved changes are put back and sent again.
for (const [key, draft] of Object.entries(autosave.drafts)) {
  const [kind, id, name] = key.split(":");
  const field = kind === "essay"
    ? root.querySelector(`[name="${id}"]`)
    : document.querySelector(`#detail-${id} .${name}`);
  const value = draft.data[kind === "essay" ? id : name];
  if (field && typeof value === "string") field.value = value;
  if (field && typeof value === "boolean") field.checked = value;
  autosave.flush(key);
}
autosave.showState();

const uploader = new Uploader(root.dataset.uploads, root.querySelector(".upload-list"), () => status.poll());
const status = new StatusWatch(root.dataset.status, list, (item) => uploader.noteStatus(item));

const ordering = setUpOrdering(root, list, autosave, announce);
const panel = new Inspector(root, list, { autosave, announce, ordering, status });
setUpLayout(inspector, autosave);
setUpSheet(root, list, { ordering, inspector: panel, uploader, announce });
root.querySelector(".add-text").addEventListener("click", () => panel.insertText(null));
rowsOf(list).forEach((li) => {
  describe(li);
  markTile(li);
});
status.poll();
list.addEventListener("removed", () => status.poll());

const input = document.getElementById("files");
input.addEventListener("change", () => { uploader.add([...input.files]); input.value = ""; });
const drop = root.querySelector(".drop");
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  uploader.add([...event.dataTransfer.files]);
});

// Publishing: while photos lack alt text, the check names them, each a link to its row, and
// publishes only if the author says so. The server asks the same of a page without scripts.
const check = document.getElementById("publish-check");
const anyway = check.querySelector("form.publish-anyway");

function unlabelled() {
  const photos = rowsOf(list).filter(isPhoto);
  return photos.map((li, index) => ({ li, number: index + 1 }))
    .filter(({ li }) => !document.querySelector(`#detail-${li.dataset.id} .alt`).value.trim());
}

function showCheck() {
  const missing = unlabelled();
  check.querySelector(".missing-count").textContent = missing.length;
  check.querySelector(".missing-alt").replaceChildren(...missing.map(({ li, number }) => {
    const link = Object.assign(document.createElement("a"), {
      href: `#item-${li.dataset.id}`, textContent: `Photo ${number}: ${label(li)}`,
    });
    link.dataset.id = li.dataset.id;
    const entry = document.createElement("li");
    entry.append(link);
    return entry;
  }));
  if (check.open) check.close(); // sent open by the server: shown again as a modal
  check.showModal();
}

check.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-id]");
  if (!link) return;
  event.preventDefault();
  check.close();
  const li = list.querySelector(`li[data-id="${link.dataset.id}"]`);
  li.scrollIntoView({ block: "nearest" });
  panel.open(li, ".alt");
});

for (const form of root.querySelectorAll("form.publish")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.elements.zone) form.elements.zone.value = zone;
    await autosave.settle(); // the server judges by the alt text it has
    if (!unlabelled().length) {
      form.submit();
      return;
    }
    for (const name of ["when", "zone"]) anyway.elements[name].value = form.elements[name]?.value || "";
    showCheck();
  });
}
if (check.open) showCheck();
