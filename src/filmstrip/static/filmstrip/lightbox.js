// The essay's photos full-screen (PhotoSwipe), in the page's order (a group's left to right):
// swipe, arrows, pinch-zoom, Escape, caption always shown (a group's shared caption with each
// of its photos), the address bar on the photo's own page. Without JavaScript each photo links
// to its large rendition.
import PhotoSwipeLightbox from "../vendor/photoswipe/photoswipe-lightbox.esm.min.js";

const links = [...document.querySelectorAll("figure.photo a.zoom")];
const reduceMotion = matchMedia("(prefers-reduced-motion: reduce)").matches;
const essayUrl = location.pathname;

if (links.length) {
  // PhotoSwipe's styles are linked from here: in the page's head they held up its first paint
  // (Lighthouse's phone on slow 4G) for a lightbox no one has opened yet.
  const styles = new URL("../vendor/photoswipe/photoswipe.css", import.meta.url);
  document.head.append(Object.assign(document.createElement("link"), {
    rel: "stylesheet",
    href: styles.href,
  }));
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
    // PhotoSwipe would focus the link it was opened from, scrolling the page back there after
    // a swipe; focus goes to the photo last viewed instead (below).
    returnFocus: false,
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
          // A group's shared caption is about each of its photos: shown with every one.
          const group = figure.parentElement.closest(".group");
          const shared = group?.querySelector(":scope > .group-caption");
          if (shared) {
            const block = Object.assign(document.createElement("span"), {
              className: "pswp-shared",
            });
            block.append(...shared.cloneNode(true).childNodes);
            parts.push(block);
          }
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
  // Closing returns to the photo last viewed, not the one the lightbox was opened on: the page
  // scrolls to it before the zoom-out animation measures where it lands, and focus follows.
  let lastViewed;
  lightbox.on("close", () => {
    const link = lightbox.pswp.currSlide.data.element;
    lastViewed = link;
    history.replaceState(history.state, "", `${essayUrl}#${link.closest("figure").id}`);
    const box = link.getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) {
      link.scrollIntoView({ block: "center", behavior: "instant" });
    }
  });
  lightbox.on("destroy", () => {
    lastViewed?.focus({ preventScroll: true });
  });
  lightbox.init();
}
