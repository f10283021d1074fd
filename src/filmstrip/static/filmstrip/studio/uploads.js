// Uploads: parallel, one progress bar each, resumable chunk by chunk. The server names where
// an upload's chunks go when it is started, and puts the photo before the item named (files
// dropped between two tiles), else at the end.
import { putChunk, send } from "./server.js";

const CHUNK = 1024 * 1024;
const PARALLEL = 3;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function checksum(file) {
  if (!crypto.subtle || file.size > 256 * 1024 * 1024) return "";
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// A file the server would not take: its bar is emptied, not left full as if it had worked.
function refuse(row, why) {
  row.querySelector(".note").textContent = why;
  row.querySelector("progress").value = 0;
  row.classList.add("failed");
}

export class Uploader {
  // `onUploaded()` is called as each photo reaches the server, to look for its row.
  constructor(startUrl, listElement, onUploaded) {
    this.startUrl = startUrl;
    this.listElement = listElement;
    this.onUploaded = onUploaded;
    this.queue = [];
    this.active = 0;
    this.notes = new Map(); // item id -> the note beside its progress bar
    this.starting = Promise.resolve();
  }

  add(files, before = null) {
    for (const file of files) {
      const row = document.createElement("li");
      const name = Object.assign(document.createElement("span"), { className: "name", textContent: file.name });
      const bar = Object.assign(document.createElement("progress"), { max: file.size, value: 0 });
      bar.setAttribute("aria-label", `Uploading ${file.name}`);
      const note = Object.assign(document.createElement("span"), { className: "note", textContent: "waiting" });
      row.append(name, bar, note);
      this.listElement.append(row);
      this.queue.push([file, row, before]);
    }
    this.pump();
  }

  // The note beside a finished upload's bar follows its photo's processing.
  noteStatus(item) {
    const note = this.notes.get(String(item.id));
    if (note && item.status === "ready") note.textContent = "ready";
    if (note && item.status === "failed") note.textContent = `failed: ${item.reason}`;
  }

  pump() {
    while (this.active < PARALLEL && this.queue.length) {
      const [file, row, before] = this.queue.shift();
      this.active += 1;
      this.upload(file, row, before)
        .catch((error) => refuse(row, `failed: ${error.message}`))
        .finally(() => { this.active -= 1; this.pump(); });
    }
  }

  async upload(file, row, before) {
    const bar = row.querySelector("progress");
    const note = row.querySelector(".note");
    // Started in the order given, even when a checksum is quicker than the one before: files
    // dropped together at one place are put there in the order the server was told of them.
    const previous = this.starting;
    let startedHere;
    this.starting = new Promise((resolve) => { startedHere = resolve; });
    let started;
    try {
      const hash = await checksum(file);
      await previous;
      const asked = { name: file.name, size: file.size, checksum: hash };
      started = await send(this.startUrl, before ? { ...asked, before } : asked);
    } finally {
      startedHere();
    }
    if (started.duplicate) {
      note.textContent = "already in this essay, skipped";
      bar.value = bar.max;
      return;
    }
    const { url } = started;
    let offset = 0;
    let failures = 0;
    while (true) {
      try {
        const { status, body } = await putChunk(
          url, file.slice(offset, offset + CHUNK), offset, file.size, (sent) => { bar.value = sent; },
        );
        if (status === 409 || (status >= 500 && status < 600)) {
          // A 503 says why (the photo storage unreachable): the upload is kept, tried again.
          throw Object.assign(new Error("resume"), { offset: body.offset, why: status === 503 && body.error });
        }
        if (status === 403 || status === 404 || status === 0) {
          throw Object.assign(new Error("resume"), { final: status === 404 });
        }
        if (status >= 400) { refuse(row, `refused: ${body.error}`); return; }
        failures = 0;
        if (body.offset !== undefined) { offset = body.offset; bar.value = offset; continue; }
        bar.value = bar.max;
        note.textContent = body.duplicate ? "already in this essay, skipped" : "uploaded, processing…";
        if (body.item) this.notes.set(String(body.item.id), note);
        this.onUploaded();
        return;
      } catch (error) {
        failures += 1;
        if (error.final) { note.textContent = "upload expired: please add the file again"; return; }
        if (failures > 30) { note.textContent = "upload stopped: no connection"; return; }
        note.textContent = error.why ? `${error.why} Trying again…` : "connection lost, resuming…";
        await sleep(Math.min(10000, 500 * failures));
        // Ask the server how far it got, and go on from there.
        try {
          const response = await fetch(url, { credentials: "same-origin" });
          if (response.ok) offset = (await response.json()).offset;
        } catch { /* still offline: try again */ }
      }
    }
  }
}
