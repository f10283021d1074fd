// Turns the static page's comment form into a live one: fetches the CSRF token and signed
// timestamp the cached page cannot carry, posts straight to the site, and handles "Reply".
// Without JavaScript the form goes through a confirmation page that adds the same tokens.
const form = document.querySelector(".comment-form[data-tokens]");
if (form) {
  fetch(form.dataset.tokens, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then(({ csrf, token, editable }) => {
      for (const id of editable || []) {
        const article = document.querySelector(`#comment-${id} > article`);
        if (!article) continue;
        const link = Object.assign(document.createElement("a"), {
          href: `${form.dataset.edit}${id}`, className: "edit", textContent: "Edit",
        });
        article.querySelector(".reply").after(" · ", link);
      }
      form.elements.token.value = token;
      const field = document.createElement("input");
      Object.assign(field, { type: "hidden", name: "csrfmiddlewaretoken", value: csrf });
      form.append(field);
      form.action = form.dataset.post;
    })
    .catch(() => { /* the confirmation page still works */ });

  const replying = form.querySelector(".replying");
  for (const link of document.querySelectorAll("[data-reply]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      form.elements.parent.value = link.dataset.reply;
      replying.querySelector("span").textContent = `Replying to ${link.dataset.replyName}`;
      replying.hidden = false;
      link.closest("article").after(form);
      form.elements.body.focus();
    });
  }
  for (const link of document.querySelectorAll("[data-photo]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      form.elements.parent.value = "";
      form.elements.photo.value = link.dataset.photo;
      replying.querySelector("span").textContent = "Commenting on this photo";
      replying.hidden = false;
      link.closest("figure").after(form);
      form.elements.body.focus();
    });
  }
  form.querySelector(".cancel-reply").addEventListener("click", () => {
    form.elements.parent.value = "";
    form.elements.photo.value = "";
    replying.hidden = true;
    document.getElementById("respond").append(form);
  });
}
