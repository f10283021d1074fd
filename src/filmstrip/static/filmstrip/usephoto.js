// "Use this photo" on the essay page opens the photo page's credit section in a dialog, with
// its copy buttons. Without JavaScript (or if the page cannot be fetched) the link goes there.
import { wireCopyButtons } from "./copy.js";

const dialog = document.createElement("dialog");
dialog.className = "use-dialog";
dialog.setAttribute("aria-labelledby", "use-title");
document.body.append(dialog);
dialog.addEventListener("click", (event) => {
  if (event.target === dialog) dialog.close(); // a click on the backdrop
});

async function open(link) {
  const response = await fetch(link.href);
  if (!response.ok) throw new Error(response.status);
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const section = page.getElementById("use");
  if (!section) throw new Error("no credit section");
  const close = Object.assign(document.createElement("button"), {
    type: "button", className: "close", textContent: "Close",
  });
  close.addEventListener("click", () => dialog.close());
  dialog.replaceChildren(document.adoptNode(section), close);
  wireCopyButtons(dialog);
  dialog.showModal();
}

for (const link of document.querySelectorAll("figure.photo a.use")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    open(link).catch(() => { location.href = link.href; });
  });
}
