// The contact sheet's tiles, one per photo or text passage, and each one's panel in the
// inspector (preview, fields, actions). A tile carries its own addresses (data-save,
// data-retry, data-rotate), given by the server with the item; its panel is #detail-ID.
export const rowsOf = (list) => [...list.querySelectorAll(":scope > li.item")];
export const isPhoto = (li) => li.classList.contains("item-photo");
export const detailOf = (li) => document.getElementById(`detail-${li.dataset.id}`);
export const tileOf = (detail) => document.getElementById(`item-${detail.dataset.for}`);

export function label(li) {
  return isPhoto(li) ? li.dataset.filename || "Photo" : "Text passage";
}

const copy = (id) => document.getElementById(id).content.firstElementChild.cloneNode(true);

// A tile and its panel made from the page's <template>s for an item the server just sent;
// the panel goes into the inspector, the tile is for the caller to place.
export function newRow(kind, item) {
  const li = copy(`${kind}-item`);
  const detail = copy(`${kind}-detail`);
  li.id = `item-${item.id}`; // the publish check links to it
  li.dataset.id = item.id;
  li.dataset.save = item.save_url;
  detail.id = `detail-${item.id}`;
  detail.dataset.for = item.id;
  document.querySelector(".inspector").append(detail);
  describe(li);
  return li;
}

// Every panel's controls name their photo for screen readers.
export function describe(li) {
  const detail = detailOf(li);
  const title = detail?.querySelector(".detail-title");
  if (!title) return;
  title.id = `title-${li.dataset.id}`;
  for (const control of detail.querySelectorAll("button, input, textarea")) {
    control.setAttribute("aria-describedby", title.id);
  }
}

// A tile is as wide as its photo is for its height: no crop, portraits stay upright.
function shape(li, item) {
  const known = item.width > 0 && item.height > 0;
  li.style.setProperty("--ratio", known ? `${item.width} / ${item.height}` : "3 / 2");
}

// A passage's words as a reader reads them: Markdown's marks (headings, quotes, lists,
// emphasis, code, a link's address) are not shown on its tile.
export function gist(markdown) {
  return markdown
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`~]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

// The tile's marks follow its panel: no alt text, still processing or failed.
export function markTile(li) {
  const detail = detailOf(li);
  if (!detail) return;
  if (isPhoto(li)) {
    const alt = detail.querySelector(".alt").value.trim();
    li.querySelector(".alt-mark").hidden = alt !== "";
    detail.querySelector(".alt-warning").hidden = alt !== "";
    const mark = li.querySelector(".status-mark");
    mark.hidden = li.dataset.status === "ready";
    mark.textContent = li.dataset.status;
    mark.className = `mark status-mark status-${li.dataset.status}`;
  } else {
    const words = gist(detail.querySelector(".body").value);
    li.querySelector(".gist").textContent = words.length > 90 ? `${words.slice(0, 89)}…` : words;
  }
}

function setImage(img, src) {
  if (src && img.getAttribute("src") !== src) img.src = src;
  if (!src) img.removeAttribute("src");
}

// A photo's tile and panel brought up to date with what the server says of it; what the
// author has typed is kept.
export function show(li, item) {
  const detail = detailOf(li);
  li.dataset.status = item.status;
  li.dataset.photo = item.photo;
  li.dataset.captured = item.captured;
  li.dataset.filename = item.filename;
  li.dataset.retry = item.retry_url;
  li.dataset.rotate = item.rotate_url || "";
  li.querySelector(".select").setAttribute("aria-label", `Select ${item.filename}`);
  li.querySelector(".name").textContent = item.filename;
  shape(li, item);
  setImage(li.querySelector(".thumb"), item.thumb);
  const preview = detail.querySelector(".preview");
  if (item.width > 0) Object.assign(preview, { width: item.width, height: item.height });
  setImage(preview, item.preview || item.thumb);
  detail.querySelector(".filename").textContent = item.filename;
  detail.querySelector(".turn").hidden = !item.rotate_url;
  describe(li);
  const status = detail.querySelector(".status");
  status.textContent = item.status;
  status.className = `status status-${item.status}`;
  let reason = detail.querySelector(".reason");
  if (!reason && item.reason) {
    reason = Object.assign(document.createElement("span"), { className: "reason" });
    status.after(": ", reason);
  }
  if (reason) reason.textContent = item.reason;
  detail.querySelector(".retry").hidden = item.status !== "failed";
  const caption = detail.querySelector(".caption");
  const alt = detail.querySelector(".alt");
  if (!caption.value && item.caption) caption.value = item.caption;
  if (!alt.value && item.alt) alt.value = item.alt;
  for (const [field, fromFile, text] of [[caption, item.caption_from_file, item.caption],
    [alt, item.alt_from_file, item.alt]]) {
    field.closest(".field").querySelector(".from-file").hidden = !(fromFile && field.value === text);
  }
  markGroup(li, item.group_with_next);
  markTile(li);
}

// A photo that leads into a group is marked on its tile (a band running on into the next tile,
// words for screen readers) and its panel's box says so. `grouped`: as the server has it.
export function markGroup(li, grouped) {
  li.classList.toggle("grouped", grouped);
  li.querySelector(".group-mark").hidden = !grouped;
  const box = detailOf(li)?.querySelector(".group_with_next");
  if (!box || box.checked === grouped) return;
  box.checked = grouped;
  box.closest(".layout-fields").querySelector(".group-said").textContent = grouped
    ? "Grouped with the next photo." : "No longer grouped: the photos around it changed.";
}
