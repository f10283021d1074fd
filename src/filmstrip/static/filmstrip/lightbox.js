// The essay's photos full-screen (PhotoSwipe): swipe, arrows, pinch-zoom, Escape, caption always
// shown, the address bar on the photo's own page. Without JavaScript each photo links to its
// large rendition.
import PhotoSwipeLightbox from "../vendor/photoswipe/photoswipe-lightbox.esm.min.js";

const links = [...document.querySelectorAll("figure.photo a.zoom")];
const reduceMotion = matchMedia("(prefers-reduced-motion: reduce)").matches;
const essayUrl = location.pathname;

if (links.length) {
  const lightbox = new PhotoSwipeLightbox({
    gallery: ".essay",
    children: "figure.photo a.zoom",
    pswpModule: () => import("../vendor/photoswipe/photoswipe.esm.min.js"),
    preload: [1, 1],
    showHideAnimationType: reduceMotion ? "none" : "zoom",
    zoomAnimationDuration: reduceMotion ? 0 : 333,
    bgOpacity: 0.94,
    closeTitle: "Close (Esc)",
    zoomTitle: "Zoom",
    arrowPrevTitle: "Previous photo",
    arrowNextTitle: "Next photo",
  });

  lightbox.on("uiRegister", () => {
    lightbox.pswp.ui.registerElement({
      name: "caption",
      order: 9,
      isButton: false,
      appendTo: "root",
      onInit: (element, pswp) => {
        element.setAttribute("aria-live", "polite");
        pswp.on("change", () => {
          const figure = pswp.currSlide.data.element.closest("figure");
          const parts = [];
          const caption = figure.querySelector("figcaption");
          if (caption) parts.push(...caption.cloneNode(true).childNodes);
          const { facts } = pswp.currSlide.data.element.dataset;
          if (facts) {
            parts.push(Object.assign(document.createElement("span"), {
              className: "pswp-facts", textContent: ` ${facts}.`,
            }));
          }
          const counter = document.createElement("span");
          counter.className = "pswp-counter-text";
          counter.textContent = ` Photo ${pswp.currIndex + 1} of ${pswp.getNumItems()}. `;
          const page = Object.assign(document.createElement("a"), {
            href: `${pswp.currSlide.data.element.dataset.permalink}#use`,
            textContent: "Use this photo",
          });
          element.replaceChildren(...parts, counter, page);
        });
      },
    });
  });

  lightbox.on("afterInit", () => {
    const dialog = lightbox.pswp.element;
    dialog.setAttribute("aria-label", `Photos: ${document.querySelector("h1").textContent}`);
    dialog.setAttribute("aria-modal", "true");
  });

  // The address bar follows the photo being viewed: a link that can be shared as it is.
  lightbox.on("change", () => {
    const link = lightbox.pswp.currSlide.data.element;
    history.replaceState(history.state, "", link.dataset.permalink);
  });
  lightbox.on("close", () => {
    const link = lightbox.pswp.currSlide.data.element;
    history.replaceState(history.state, "", `${essayUrl}#${link.closest("figure").id}`);
  });
  lightbox.init();
}
