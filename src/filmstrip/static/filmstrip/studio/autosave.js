// Autosave: every change is kept in this browser (localStorage) until the server confirms it,
// so a refresh, a lost connection or an ended session loses nothing.
import { send } from "./server.js";

export class Autosave {
  constructor(storageKey, stateLine, onSaved) {
    this.storageKey = storageKey;
    this.stateLine = stateLine;
    this.onSaved = onSaved;
    this.drafts = JSON.parse(localStorage.getItem(storageKey) || "{}");
    this.timers = {};
    this.sending = {};
    this.saving = 0;
    this.failing = "";
    this.refused = "";
    addEventListener("online", () => Object.keys(this.drafts).forEach((key) => this.flush(key)));
    addEventListener("beforeunload", (event) => {
      if (Object.keys(this.drafts).length) event.preventDefault();
    });
  }

  showState() {
    const waiting = Object.keys(this.drafts).length;
    const line = this.stateLine;
    if (this.refused) line.textContent = `Not saved: ${this.refused}`;
    else if (this.failing) {
      line.textContent = `Not saved yet (${waiting} change${waiting === 1 ? "" : "s"} kept in `
        + `this browser; ${this.failing}); retrying…`;
    } else line.textContent = this.saving || waiting ? "Saving…" : "All changes saved";
    line.classList.toggle("unsaved", Boolean(this.failing || this.refused));
  }

  persist() {
    localStorage.setItem(this.storageKey, JSON.stringify(this.drafts));
    this.showState();
  }

  // Send `data` to `url` after `delay` ms; a newer change under the same key replaces it.
  queue(key, url, data, delay = 500) {
    this.drafts[key] = { url, data };
    this.persist();
    clearTimeout(this.timers[key]);
    this.timers[key] = setTimeout(() => this.flush(key), delay);
  }

  // Send every change waiting now, and wait for the answers (before leaving the page).
  settle() {
    return Promise.all(Object.keys(this.drafts).map((key) => {
      clearTimeout(this.timers[key]);
      return this.flush(key);
    }));
  }

  // One request per key at a time: two moves sent at once could reach the server in the
  // wrong order, and the older order would win.
  async flush(key) {
    while (this.sending[key]) await this.sending[key];
    const draft = this.drafts[key];
    if (!draft) return;
    this.sending[key] = this.send(key, draft);
    try {
      await this.sending[key];
    } finally {
      delete this.sending[key];
    }
  }

  async send(key, draft) {
    this.saving += 1;
    this.showState();
    try {
      const result = await send(draft.url, draft.data);
      if (this.drafts[key] === draft) delete this.drafts[key];
      this.failing = "";
      this.refused = "";
      this.onSaved(result, key);
    } catch (error) {
      const temporary = error.retry || !error.response || error.response.status >= 500;
      if (temporary) {
        this.failing = error.retry ? error.message : "no connection";
        this.timers[key] = setTimeout(() => this.flush(key), 3000);
      } else if (this.drafts[key] === draft) {
        // Refused (say why, and keep the text on screen); a newer change is still sent.
        delete this.drafts[key];
        this.refused = error.message;
      }
    } finally {
      this.saving -= 1;
      this.persist();
    }
  }
}
