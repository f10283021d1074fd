// A photo's layout on the essay page, set in its inspector panel: text width, wide or
// full-bleed; grouped with the next photo (2 to 4 side by side) under an optional shared
// caption. The layout and caption are autosaved as typed. Grouping is asked of the server at
// once: it may refuse (a group across a text passage, a fifth photo) or keep a single photo
// (the last photo has no next one), and the box and the line under it say what it decided.
import { send } from "./server.js";
import { markGroup, tileOf } from "./rows.js";

export function setUpLayout(inspector, autosave) {
  inspector.addEventListener("input", (event) => {
    const field = event.target;
    const name = ["layout", "group_caption"].find((n) => field.classList.contains(n));
    if (!name || !field.closest(".detail")) return;
    const li = tileOf(field.closest(".detail"));
    const delay = field.tagName === "SELECT" ? 0 : 500;
    autosave.queue(`item:${li.dataset.id}:${name}`, li.dataset.save, { [name]: field.value }, delay);
  });
  inspector.addEventListener("change", async (event) => {
    const box = event.target;
    if (!box.classList.contains("group_with_next")) return;
    const li = tileOf(box.closest(".detail"));
    const said = box.closest(".layout-fields").querySelector(".group-said");
    const wanted = box.checked;
    said.textContent = "Saving…";
    try {
      const { item } = await send(li.dataset.save, { group_with_next: wanted });
      markGroup(li, item.group_with_next);
      if (wanted && !item.group_with_next) {
        said.textContent = "There is no next photo to group with: it stays a single photo.";
      } else {
        said.textContent = item.group_with_next ? "Grouped with the next photo." : "Not grouped.";
      }
    } catch (error) {
      box.checked = !wanted;
      said.textContent = `Not saved: ${error.message}`;
    }
  });
}
