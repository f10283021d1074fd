// "Copy" buttons beside the credit snippets. Without JavaScript the text stays selectable.
const status = document.querySelector(".copied");
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      field.select();
      document.execCommand("copy");
    }
    if (status) status.textContent = `${button.textContent.replace("Copy ", "")} credit copied.`;
  });
}
