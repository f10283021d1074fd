// Paints each photo's ThumbHash preview behind it until the photo itself has arrived.
// Without JavaScript the photo's dominant colour (an inline style) holds its place instead.
import { thumbHashToDataURL } from "../vendor/thumbhash/thumbhash.js";

for (const element of document.querySelectorAll("[data-thumbhash]")) {
  if (element.complete && element.naturalWidth) continue;
  const hash = Uint8Array.from(atob(element.dataset.thumbhash), (c) => c.charCodeAt(0));
  element.style.backgroundImage = `url(${thumbHashToDataURL(hash)})`;
  element.style.backgroundSize = "100% 100%";
  if (element.tagName === "IMG") {
    element.addEventListener("load", () => { element.style.backgroundImage = ""; }, { once: true });
  }
}
