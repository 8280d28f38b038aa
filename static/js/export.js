// Exports that take a while (CSV, JSON): show progress instead of a silent wait.
// Progressive enhancement: without this script a link marked data-export="<status id>" is a
// plain download. The status texts come translated from the template (data-export-*).
(function () {
  "use strict";
  const TYPES = ["text/csv", "application/json"];

  function filenameFrom(response, url) {
    const header = response.headers.get("Content-Disposition") || "";
    const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (encoded) return decodeURIComponent(encoded[1]);
    const plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : new URL(url).pathname.split("/").pop();
  }

  function show(status, text, busy, failed) {
    status.replaceChildren();
    if (busy) {
      const spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm me-1";
      spinner.setAttribute("aria-hidden", "true");
      status.append(spinner);
    }
    status.append(text);
    status.classList.toggle("text-danger", Boolean(failed));
  }

  function save(blob, filename) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    // Revoked a moment later: some browsers still read the URL after the click returns.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async function download(link, status) {
    const texts = link.dataset;
    show(status, texts.exportBusy, true);
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
      // An expired session answers with a redirect to the login page (HTML), not the file.
      if (response.redirected || (response.ok && !TYPES.includes(type))) {
        show(status, texts.exportLogin, false, true);
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      const reader = response.body.getReader();
      const chunks = [];
      let received = 0;
      let shown = Date.now();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        // At most once a second, so a screen reader is not flooded with numbers.
        if (Date.now() - shown >= 1000) {
          shown = Date.now();
          show(status, `${Math.round(received / 1024)} ${texts.exportReceived}`, true);
        }
      }
      save(new Blob(chunks, { type: type }), filenameFrom(response, link.href));
      show(status, texts.exportDone);
    } catch {
      show(status, texts.exportFailed, false, true);
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-export]");
    // A modified click (new tab, save as) is left to the browser.
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const status = document.getElementById(link.dataset.export);
    if (!status || !window.fetch || !window.ReadableStream) return;
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return; // no double requests
    link.setAttribute("aria-disabled", "true");
    download(link, status).finally(() => link.removeAttribute("aria-disabled"));
  });
})();
