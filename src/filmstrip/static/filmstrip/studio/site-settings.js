// The Site settings page: each setting is saved as it changes, through the editor's autosave
// (kept in this browser until the server has it); a refused value is explained beside its field.
import { Autosave } from "./autosave.js";

const root = document.querySelector(".site-settings");
const PREFIX = "setting:";

function showRefusal(name, message) {
  const input = root.querySelector(`.setting-input[name="${name}"]`);
  const note = document.getElementById(`error-${name}`);
  if (!input || !note) return;
  note.textContent = message;
  note.hidden = !message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

class SettingsAutosave extends Autosave {
  // Once this key's change is answered (no longer waiting): refused, the reason is the one
  // `refused` holds; saved, `refused` is empty and the field's old reason goes.
  async flush(key) {
    const sent = this.drafts[key];
    await super.flush(key);
    if (sent && !this.drafts[key]) showRefusal(key.slice(PREFIX.length), this.refused);
  }
}

const autosave = new SettingsAutosave("filmstrip-studio-site-settings", root.querySelector(".save-state"), () => {});
const value = (input) => (input.type === "checkbox" ? input.checked : input.value);

for (const input of root.querySelectorAll(".setting-input")) {
  const switched = input.type === "checkbox";
  input.addEventListener(switched ? "change" : "input", () => {
    const data = { [input.name]: value(input) };
    autosave.queue(`${PREFIX}${input.name}`, root.dataset.save, data, switched ? 0 : 500);
  });
}

// A refresh or a lost connection loses nothing: unsaved changes are put back and sent again.
for (const [key, draft] of Object.entries(autosave.drafts)) {
  const name = key.slice(PREFIX.length);
  const input = root.querySelector(`.setting-input[name="${name}"]`);
  const saved = draft.data[name];
  if (input && typeof saved === "boolean") input.checked = saved;
  else if (input) input.value = saved;
  autosave.flush(key);
}
autosave.showState();
