// Processing status: photos show up, in the server's order, as their renditions are ready.
import { newRow, rowsOf, show } from "./rows.js";

export class StatusWatch {
  // `onPhoto(item)` hears of every photo the server reports, after its row is updated.
  constructor(url, list, onPhoto) {
    this.url = url;
    this.list = list;
    this.onPhoto = onPhoto;
    this.timer = null;
    this.inFlight = null;
    this.again = false;
  }

  // One status request at a time: two at once would both add the same new photo.
  poll() {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.refresh().finally(() => {
      this.inFlight = null;
      if (this.again) {
        this.again = false;
        this.poll();
      }
    });
    return this.inFlight;
  }

  async refresh() {
    clearTimeout(this.timer);
    let fresh;
    try {
      const response = await fetch(this.url, { credentials: "same-origin", redirect: "manual" });
      ({ items: fresh } = await response.json());
    } catch {
      this.timer = setTimeout(() => this.poll(), 5000); // offline or signed out for a moment
      return;
    }
    const known = new Map(rowsOf(this.list).map((li) => [li.dataset.id, li]));
    // New photos go where the server put them (capture-time order); the rest stay where the
    // author has them, even if that order is still on its way to the server.
    let added = false;
    fresh.forEach((item, index) => {
      let li = known.get(String(item.id));
      if (!li && item.kind === "photo") {
        li = newRow("photo", item);
        const next = fresh.slice(index + 1).map((later) => known.get(String(later.id))).find(Boolean);
        this.list.insertBefore(li, next || null);
        known.set(String(item.id), li);
        added = true;
      }
      if (li && item.kind === "photo") {
        show(li, item);
        this.onPhoto(item);
      }
    });
    if (added) this.list.dispatchEvent(new Event("reordered"));
    if (fresh.some((item) => item.status === "pending" || item.status === "processing")) {
      this.timer = setTimeout(() => this.poll(), 1500);
    }
  }
}
