// Order: drag, keyboard, a position typed in, sorting, and moving or deleting several at once;
// every move is announced to screen readers.
import Sortable from "../../vendor/sortablejs/sortable.esm.js";
import { label, rowsOf } from "./rows.js";
import { send } from "./server.js";

export function setUpOrdering(root, list, autosave, announce) {
  const items = () => rowsOf(list);
  const selected = () => items().filter((li) => li.querySelector(".select").checked);

  function saveOrder(message) {
    const ids = items().map((li) => Number(li.dataset.id));
    autosave.queue("order", root.dataset.order, { ids }, 0);
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
}
