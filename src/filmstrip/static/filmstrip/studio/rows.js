// The rows of the editor's list, one per photo or text passage. Each row carries its own
// addresses (data-save, data-retry), given by the server with the item.
export const rowsOf = (list) => [...list.querySelectorAll(":scope > li.item")];

export function label(li) {
  return li.classList.contains("item-text") ? "Text passage" : li.dataset.filename || "Photo";
}

// A row made from one of the page's <template>s for an item the server just sent.
export function newRow(templateId, item) {
  const li = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
  li.dataset.id = item.id;
  li.dataset.save = item.save_url;
  if (item.kind === "photo") li.id = `item-${item.id}`; // the publish check links to it
  return li;
}

// Every row has the same controls; each names its photo for screen readers.
export function describe(li) {
  const name = li.querySelector(".filename");
  if (!name) return;
  name.id = `file-${li.dataset.id}`;
  for (const control of li.querySelectorAll("button, input, textarea")) {
    control.setAttribute("aria-describedby", name.id);
  }
}

// A photo's row brought up to date with what the server says of it; what the author has
// typed is kept.
export function show(li, item) {
  li.dataset.status = item.status;
  li.dataset.photo = item.photo;
  li.dataset.captured = item.captured;
  li.dataset.filename = item.filename;
  li.dataset.retry = item.retry_url;
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
  for (const [field, fromFile, text] of [[caption, item.caption_from_file, item.caption],
    [alt, item.alt_from_file, item.alt]]) {
    field.closest(".field").querySelector(".from-file").hidden = !(fromFile && field.value === text);
  }
  li.querySelector(".alt-warning").hidden = alt.value.trim() !== "";
}
