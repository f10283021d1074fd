// Paints each photo's ThumbHash preview behind it until the photo itself has arrived.
// Without JavaScript the photo's dominant colour (an inline style) holds its place instead.
// Only photos within a screen of the window are painted, as they come near: decoding all of a
// long essay's previews at once blocked the page for 0.4 s on a phone (Lighthouse, 80 photos).
import { thumbHashToDataURL } from "../vendor/thumbhash/thumbhash.js";

function paint(element) {
  if (element.complete && element.naturalWidth) return;
  const hash = Uint8Array.from(atob(element.dataset.thumbhash), (c) => c.charCodeAt(0));
  element.style.backgroundImage = `url(${thumbHashToDataURL(hash)})`;
  element.style.backgroundSize = "100% 100%";
  if (element.tagName === "IMG") {
    element.addEventListener("load", () => { element.style.backgroundImage = ""; }, { once: true });
  }
}

const elements = document.querySelectorAll("[data-thumbhash]");
if ("IntersectionObserver" in window) {
  const near = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        near.unobserve(entry.target);
        paint(entry.target);
      }
    },
    { rootMargin: "100% 0px" },
  );
  for (const element of elements) near.observe(element);
} else {
  for (const element of elements) paint(element);
}
