// The inspector: the chosen tile's panel beside the sheet (over it on a phone), with the
// photo large, its caption, alt text and licence, and what can be done to it: turn it, make
// it the cover, move it, put a text passage before or after it, remove it.
import { detailOf, label, newRow, rowsOf, show } from "./rows.js";
import { send } from "./server.js";

export class Inspector {
  constructor(root, list, { autosave, announce, ordering, status }) {
    Object.assign(this, { root, list, autosave, announce, ordering, status });
    this.element = root.querySelector(".inspector");
    this.current = null;
    this.element.addEventListener("click", (event) => this.act(event));
    this.element.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.matches(".to")) {
        event.preventDefault();
        this.ordering.moveTo(this.current, Number(event.target.value));
        event.target.value = "";
      } else if (event.key === "Escape") this.close();
    });
    this.element.querySelector(".close-inspector").addEventListener("click", () => this.close());
  }

  open(li, focus = null) {
    if (this.current) {
      this.current.classList.remove("current");
      this.current.querySelector(".pick").removeAttribute("aria-current");
      const old = detailOf(this.current);
      if (old) old.hidden = true;
    }
    this.current = li;
    li.classList.add("current");
    li.querySelector(".pick").setAttribute("aria-current", "true");
    detailOf(li).hidden = false;
    this.element.classList.add("open");
    this.element.querySelector(".inspector-empty").hidden = true;
    if (focus) detailOf(li).querySelector(focus).focus();
  }

  close() {
    if (!this.current) return;
    const li = this.current;
    detailOf(li).hidden = true;
    li.classList.remove("current");
    li.querySelector(".pick").removeAttribute("aria-current");
    this.current = null;
    this.element.classList.remove("open");
    this.element.querySelector(".inspector-empty").hidden = false;
    li.querySelector(".pick").focus();
  }

  // A new text passage just before `before` (null: at the end), chosen and ready to type in.
  async insertText(before) {
    const { item } = await send(this.root.dataset.text, before ? { before: Number(before.dataset.id) } : {});
    const li = newRow("text", item);
    this.list.insertBefore(li, before);
    if (before) this.ordering.saveOrder(); // also for a server that put it at the end
    else this.list.dispatchEvent(new Event("reordered"));
    this.open(li, "textarea");
    this.announce(`Text passage added at position ${rowsOf(this.list).indexOf(li) + 1}.`);
    return li;
  }

  async act(event) {
    const button = event.target.closest("button");
    const li = this.current;
    if (!button || !li || !detailOf(li).contains(button)) return;
    if (button.matches(".make-cover")) {
      this.root.querySelector(".sheet-layout").dataset.cover = li.dataset.photo;
      this.autosave.queue("essay:cover", this.root.dataset.save, { cover: Number(li.dataset.photo) }, 0);
      this.list.dispatchEvent(new Event("cover"));
      this.announce(`${label(li)} is now the cover.`);
    } else if (button.matches(".retry")) {
      const { item } = await send(li.dataset.retry, {});
      show(li, item);
      this.status.poll();
    } else if (button.matches(".rotate")) {
      await this.turn(li, button.dataset.turn);
    } else if (button.matches(".insert")) {
      await this.insertText(button.dataset.where === "before" ? li : li.nextElementSibling);
    } else if (button.matches(".remove")) {
      if (await this.ordering.remove([li])) {
        this.current = null;
        this.element.classList.remove("open");
        this.element.querySelector(".inspector-empty").hidden = false;
      }
    }
  }

  async turn(li, way) {
    const detail = detailOf(li);
    const said = detail.querySelector(".turning");
    const buttons = detail.querySelectorAll(".rotate");
    for (const b of buttons) b.disabled = true;
    said.textContent = "Turning…";
    try {
      const { item } = await send(li.dataset.rotate, { turn: way });
      show(li, item);
      said.textContent = item.status === "ready" ? "Turned." : "Turned; making its new sizes…";
      this.status.poll();
    } catch (error) {
      said.textContent = `Not turned: ${error.message}`;
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }
}
