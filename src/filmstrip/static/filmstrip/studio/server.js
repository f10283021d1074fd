// Requests to the studio's server. Every address comes from the page (its data-* attributes)
// or from the server's own answers, never from these scripts.
const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

// A signed-out session answers with a redirect to the sign-in page: that is a failure to save,
// never a success, so redirects are not followed and anything but JSON counts as an error.
export async function send(url, data, method = "POST") {
  const response = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
    body: JSON.stringify(data),
    credentials: "same-origin",
    redirect: "manual",
  });
  const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
  const body = json ? await response.json() : {};
  if (!response.ok || !json) {
    const signedOut = response.type === "opaqueredirect" || !json;
    const message = signedOut ? "signed out: sign in again in another tab" : body.error;
    throw Object.assign(new Error(message || response.status), { response, retry: signedOut });
  }
  return body;
}

// One chunk of a file; XMLHttpRequest rather than fetch, for its upload progress events.
export function putChunk(url, blob, start, total, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("X-CSRFToken", csrf());
    xhr.setRequestHeader("Content-Range", `bytes ${start}-${start + blob.size - 1}/${total}`);
    xhr.upload.onprogress = (event) => onProgress(start + event.loaded);
    xhr.onload = () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText || "{}");
      } catch {
        body = { error: "an unexpected answer (signed out?)" };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("network"));
    xhr.send(blob);
  });
}
