// Order: drag (a selected tile takes the other selected ones with it), keys, a position typed
// in, sorting, and moving or deleting several at once; every move is announced.
import Sortable from "../../vendor/sortablejs/sortable.esm.js";
import { detailOf, isPhoto, label, rowsOf } from "./rows.js";
import { send } from "./server.js";

export function setUpOrdering(root, list, autosave, announce) {
  const items = () => rowsOf(list);
  const selected = () => items().filter((li) => li.querySelector(".select").checked);

  function saveOrder(message) {
    const ids = items().map((li) => Number(li.dataset.id));
    autosave.queue("order", root.dataset.order, { ids }, 0);
    list.dispatchEvent(new Event("reordered"));
    if (message) announce(message);
  }
  const where = (li) => `position ${items().indexOf(li) + 1} of ${items().length}`;

  // `chosen` (in their order) go together just before the first tile after `anchor` that is
  // not one of them.
  function gather(chosen, anchor) {
    let next = anchor;
    while (next && chosen.includes(next)) next = next.nextElementSibling;
    for (const li of chosen) list.insertBefore(li, next);
  }

  function moveTo(li, position) {
    const all = items().filter((other) => other !== li);
    const index = Math.max(0, Math.min(all.length, position - 1));
    list.insertBefore(li, all[index] || null);
    saveOrder(`${label(li)} moved to ${where(li)}.`);
  }

  function moveSelected(position) {
    const chosen = selected();
    if (!chosen.length) return;
    const rest = items().filter((li) => !chosen.includes(li));
    gather(chosen, rest[Math.max(0, position - 1)] || null);
    saveOrder(`${chosen.length} items moved to position ${items().indexOf(chosen[0]) + 1}.`);
  }

  let carried = [];
  Sortable.create(list, {
    draggable: "li.item",
    filter: ".select",
    preventOnFilter: false, // the checkbox still ticks
    forceFallback: true, // the same pointer-driven dragging with mouse, pen and touch
    fallbackOnBody: true, // the tile under the pointer is never one of the list's
    fallbackTolerance: 4, // a click stays a click
    delay: 250,
    delayOnTouchOnly: true, // a finger scrolls the sheet unless it rests on a tile first
    animation: matchMedia("(prefers-reduced-motion: reduce)").matches ? 0 : 120,
    onStart: (event) => {
      const chosen = selected();
      carried = chosen.includes(event.item) ? chosen : [];
      for (const li of carried) li.classList.add("carried");
    },
    onEnd: (event) => {
      for (const li of carried) li.classList.remove("carried");
      if (carried.length > 1) {
        gather(carried, event.item);
        saveOrder(`${carried.length} items moved to position ${items().indexOf(carried[0]) + 1}.`);
      } else if (event.oldIndex !== event.newIndex) {
        saveOrder(`${label(event.item)} moved to ${where(event.item)}.`);
      }
      carried = [];
    },
  });

  root.querySelector(".move-selected").addEventListener("click", () => {
    moveSelected(Number(root.querySelector(".move-selected-to").value) || 1);
  });
  root.querySelector(".delete-selected").addEventListener("click", () => remove(selected()));

  async function remove(chosen) {
    const question = `Remove ${chosen.length} item(s) from this essay? ` +
      "A photo no other essay shows is deleted for good, with its files.";
    if (!chosen.length || !confirm(question)) return false;
    await send(root.dataset.delete, { ids: chosen.map((li) => Number(li.dataset.id)) });
    for (const li of chosen) {
      detailOf(li)?.remove();
      li.remove();
    }
    list.dispatchEvent(new Event("reordered"));
    list.dispatchEvent(new Event("removed"));
    announce(`${chosen.length} item(s) removed.`);
    return true;
  }

  for (const button of root.querySelectorAll(".sort")) {
    button.addEventListener("click", () => {
      const key = button.dataset.by;
      const photos = items().filter(isPhoto);
      photos.sort((a, b) => {
        if (key === "captured" && (a.dataset.captured || b.dataset.captured)) {
          if (!a.dataset.captured) return 1;
          if (!b.dataset.captured) return -1;
          return a.dataset.captured.localeCompare(b.dataset.captured);
        }
        return a.dataset.filename.localeCompare(b.dataset.filename, undefined, { numeric: true });
      });
      // Text passages keep their places; the photos fill the other places in the new order.
      const slots = items().map((li) => (isPhoto(li) ? null : li));
      let next = 0;
      for (const li of slots.map((slot) => slot || photos[next++])) list.append(li);
      saveOrder(`Photos sorted by ${key === "captured" ? "capture time" : "file name"}.`);
    });
  }
  return { items, selected, moveTo, saveOrder, remove };
}
