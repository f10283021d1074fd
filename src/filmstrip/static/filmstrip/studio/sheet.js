// The contact sheet: every item a tile in its photo's true shape, at a size the author picks.
// One tile at a time takes the Tab key (arrows go on from it); tiles are selected with
// Ctrl/⌘-click, Shift-click, Space or their box; files dropped between two tiles go there.
import { detailOf, isPhoto, label, rowsOf } from "./rows.js";

const DENSITY = "filmstrip-studio-density";

export function setUpSheet(root, list, { ordering, inspector, uploader, announce }) {
  const items = () => rowsOf(list);
  const pick = (li) => li.querySelector(".pick");
  let anchor = null; // where a Shift-click range starts

  // Tab reaches the sheet once, at the tile last visited.
  function rove(li, focus = true) {
    for (const other of list.querySelectorAll(".pick[tabindex='0']")) other.tabIndex = -1;
    if (!li) return;
    pick(li).tabIndex = 0;
    if (focus) pick(li).focus();
  }

  function showSelection() {
    const chosen = ordering.selected();
    for (const li of items()) li.classList.toggle("chosen", li.querySelector(".select").checked);
    root.querySelector(".selected-count").textContent = chosen.length
      ? `${chosen.length} selected` : "None selected";
    root.querySelector(".selection").classList.toggle("active", chosen.length > 0);
  }
  function toggle(li, on = !li.querySelector(".select").checked) {
    li.querySelector(".select").checked = on;
    anchor = li;
  }

  // The cover: the essay's own, else its first photo (as Story.cover_item has it).
  const layout = root.querySelector(".sheet-layout");
  function markCover() {
    const photos = items().filter(isPhoto);
    const cover = photos.find((li) => li.dataset.photo === layout.dataset.cover) || photos[0];
    for (const li of photos) {
      li.querySelector(".cover-mark").hidden = li !== cover;
      const state = detailOf(li)?.querySelector(".cover-state");
      if (state) {
        state.querySelector(".is-cover").hidden = li !== cover;
        state.querySelector(".make-cover").hidden = li === cover;
      }
    }
  }
  // Numbers in the panels follow the order (the tiles count in CSS).
  function renumber() {
    items().forEach((li, index) => {
      const number = detailOf(li)?.querySelector(".number");
      if (number) number.textContent = index + 1;
    });
    markCover();
    showSelection();
    if (!list.querySelector(".pick[tabindex='0']")) rove(items()[0], false);
  }
  list.addEventListener("reordered", renumber);
  list.addEventListener("cover", markCover);

  list.addEventListener("click", (event) => {
    const li = event.target.closest("li.item");
    if (!li) return;
    if (event.target.matches(".select")) {
      anchor = li;
      showSelection();
      return;
    }
    if (event.shiftKey && anchor) {
      const all = items();
      const [from, to] = [all.indexOf(anchor), all.indexOf(li)].sort((a, b) => a - b);
      for (const other of all.slice(from, to + 1)) other.querySelector(".select").checked = true;
    } else if (event.ctrlKey || event.metaKey) {
      toggle(li);
    } else {
      rove(li);
      inspector.open(li);
      return;
    }
    rove(li);
    showSelection();
  });
  list.addEventListener("change", showSelection);
  root.querySelector(".clear-selection").addEventListener("click", () => {
    for (const li of ordering.selected()) li.querySelector(".select").checked = false;
    showSelection();
  });

  // Keys on a tile: arrows go, Alt+arrows move it, Enter opens it, Space selects it.
  function below(li, step) {
    const all = items();
    const box = li.getBoundingClientRect();
    const centre = box.left + box.width / 2;
    const others = step > 0 ? all.slice(all.indexOf(li) + 1) : all.slice(0, all.indexOf(li)).reverse();
    const row = others.find((other) => Math.abs(other.getBoundingClientRect().top - box.top) > box.height / 2);
    if (!row) return null;
    const top = row.getBoundingClientRect().top;
    const inRow = others.filter((other) => other.getBoundingClientRect().top === top);
    const distance = (other) => {
      const b = other.getBoundingClientRect();
      return Math.abs(b.left + b.width / 2 - centre);
    };
    return inRow.reduce((best, other) => (distance(other) < distance(best) ? other : best));
  }
  list.addEventListener("keydown", (event) => {
    if (!event.target.matches(".pick")) return;
    const li = event.target.closest("li.item");
    const all = items();
    const index = all.indexOf(li);
    const forward = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (event.altKey && (forward || event.key === "Home" || event.key === "End")) {
      event.preventDefault(); // Alt+Left would otherwise go back a page
      const position = event.key === "Home" ? 1 : event.key === "End" ? all.length : index + 1 + forward;
      if (position >= 1 && position <= all.length && position !== index + 1) ordering.moveTo(li, position);
      pick(li).focus();
      return;
    }
    let next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") next = all[index + forward];
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") next = below(li, forward);
    else if (event.key === "Home") next = all[0];
    else if (event.key === "End") next = all.at(-1);
    else if (event.key === " ") {
      event.preventDefault(); // Space selects; Enter opens (the button's click)
      toggle(li);
      showSelection();
      announce(`${label(li)} ${li.querySelector(".select").checked ? "selected" : "not selected"}.`);
      return;
    } else return;
    event.preventDefault();
    if (!next) return;
    rove(next);
    // Beside the sheet, an open inspector follows the keys; over it (a phone), it waits for Enter.
    if (inspector.current && matchMedia("(min-width: 60rem)").matches) inspector.open(next);
  });

  list.addEventListener("keyup", (event) => {
    if (event.key === " " && event.target.matches(".pick")) event.preventDefault(); // no click
  });

  // Tile size, kept in this browser.
  const chosenDensity = localStorage.getItem(DENSITY) || "m";
  for (const radio of root.querySelectorAll("input[name=density]")) {
    radio.checked = radio.value === chosenDensity;
    radio.addEventListener("change", () => {
      list.dataset.density = radio.value;
      localStorage.setItem(DENSITY, radio.value);
    });
  }
  list.dataset.density = chosenDensity;

  // Files dropped onto the sheet: between the two tiles nearest the pointer.
  const carriesFiles = (event) => [...event.dataTransfer.types].includes("Files");
  function gap(event) {
    const li = event.target.closest?.("li.item");
    if (!li || !list.contains(li)) return null; // past the last tile: at the end
    const box = li.getBoundingClientRect();
    return event.clientX < box.left + box.width / 2 ? li : li.nextElementSibling;
  }
  function clearMark() {
    for (const li of list.querySelectorAll(".drop-before")) li.classList.remove("drop-before");
    list.classList.remove("drop-end");
  }
  list.addEventListener("dragover", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    clearMark();
    const before = gap(event);
    if (before) before.classList.add("drop-before");
    else list.classList.add("drop-end");
  });
  list.addEventListener("dragleave", (event) => {
    if (!list.contains(event.relatedTarget)) clearMark();
  });
  list.addEventListener("drop", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    clearMark();
    const before = gap(event);
    const files = [...event.dataTransfer.files];
    uploader.add(files, before ? Number(before.dataset.id) : null);
    announce(`${files.length} photo(s) uploading ${before ? `before ${label(before)}` : "at the end"}.`);
  });

  renumber();
  return { rove, renumber, showSelection };
}
