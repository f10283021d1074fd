// Turns the static page's comment form into a live one: fetches the CSRF token, signed
// timestamp and signed-in identity the cached page cannot carry, posts straight to the site,
// and handles "Reply". Without JavaScript the form goes through a confirmation page that adds
// the same.
const form = document.querySelector(".comment-form[data-tokens]");

function csrfField(csrf) {
  return Object.assign(document.createElement("input"), {
    type: "hidden", name: "csrfmiddlewaretoken", value: csrf,
  });
}

// A signed-in reader: their account says who they are, so the guest fields go away.
function showReader(reader, csrf) {
  const who = form.querySelector(".who");
  if (who) {
    who.hidden = true;
    for (const input of who.querySelectorAll("input")) input.disabled = true;
  }
  form.querySelector(".signin")?.setAttribute("hidden", "");
  const as = form.querySelector(".as");
  as.querySelector("strong").textContent = reader.name;
  as.querySelector(".via").textContent = reader.via ? ` (${reader.via})` : "";
  as.hidden = false;
  document.getElementById("logout-form")?.append(csrfField(csrf));
}

if (form) {
  fetch(form.dataset.tokens, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then(({ csrf, token, editable, reader }) => {
      if (reader) showReader(reader, csrf);
      else if ("requireSignin" in form.dataset) form.classList.add("needs-signin");
      for (const id of editable || []) {
        const article = document.querySelector(`#comment-${id} > article`);
        if (!article) continue;
        const link = Object.assign(document.createElement("a"), {
          href: `${form.dataset.edit}${id}`, className: "edit", textContent: "Edit",
        });
        article.querySelector(".reply").after(" · ", link);
      }
      form.elements.token.value = token;
      form.append(csrfField(csrf));
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
