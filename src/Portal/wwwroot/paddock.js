// Saves text the server prepared (audit exports) as a file, without another round trip.
// A file rather than an inline script, so that the Content-Security-Policy needs no 'unsafe-inline' for scripts.
window.paddockDownload = (name, type, text) => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
};
