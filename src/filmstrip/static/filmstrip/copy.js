// "Copy" buttons beside the credit snippets. Without JavaScript the text stays selectable.
export function wireCopyButtons(root) {
  const status = root.querySelector(".copied");
  for (const button of root.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", async () => {
      const field = root.querySelector(`#${button.dataset.copy}`);
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        field.select();
        document.execCommand("copy");
      }
      if (status) status.textContent = `${button.textContent.replace("Copy ", "")} credit copied.`;
    });
  }
}

if (document.querySelector(".photo-page")) wireCopyButtons(document);
