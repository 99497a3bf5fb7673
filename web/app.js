// A minimal control page until the real panel: shows the state and every event, and
// sends raw protocol requests (docs/protocol.md). No inline script: the server's
// Content-Security-Policy forbids it.
"use strict";

const $ = (id) => document.getElementById(id);
let socket = null;
let nextId = 1;
let state = null;
// The multiview: one <img> per feed, shown from a blob URL; the previous URL of each
// is revoked when the next picture arrives, or the page would keep every JPEG.
const thumbnails = new Map(); // feed -> {img, url}

function show(section) {
  $("login").hidden = section !== "login";
  $("panel").hidden = section !== "panel";
}

function logEvent(text) {
  const events = $("events");
  events.textContent = `${new Date().toLocaleTimeString()} ${text}\n` + events.textContent.slice(0, 20000);
}

function send(request) {
  request.id = nextId++;
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(request));
  }
}

function setMultiview(on) {
  send({ cmd: on ? "multiview.subscribe" : "multiview.unsubscribe" });
  if (!on) {
    for (const { url } of thumbnails.values()) URL.revokeObjectURL(url);
    thumbnails.clear();
    $("multiview-grid").replaceChildren();
  }
}

// A binary message: 2-byte big-endian header length N, N bytes of JSON header
// {"feed": ..., "type": "image/jpeg"}, then the picture (docs/protocol.md).
function showThumbnail(buffer) {
  // Pictures already on their way when the box was unticked.
  if (!$("multiview-on").checked || buffer.byteLength < 2) return;
  const n = new DataView(buffer).getUint16(0);
  if (buffer.byteLength < 2 + n) return;
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 2, n)));
  } catch (error) {
    return;
  }
  if (typeof header.feed !== "string") return;
  const url = URL.createObjectURL(new Blob([new Uint8Array(buffer, 2 + n)], { type: header.type }));
  let entry = thumbnails.get(header.feed);
  if (!entry) {
    const figure = document.createElement("figure");
    const img = document.createElement("img");
    img.alt = header.feed;
    const caption = document.createElement("figcaption");
    caption.textContent = header.feed.replace(/^source:/, "");
    figure.append(img, caption);
    // Programme and preview first (style.css orders them), then the sources.
    if (header.feed === "program" || header.feed === "preview") figure.className = header.feed;
    $("multiview-grid").append(figure);
    entry = { img, url: null };
    thumbnails.set(header.feed, entry);
  }
  if (entry.url) URL.revokeObjectURL(entry.url);
  entry.url = url;
  entry.img.src = url;
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(`${scheme}//${location.host}/ws`);
  socket.binaryType = "arraybuffer";
  let opened = false;
  socket.onopen = () => {
    opened = true;
    $("status").textContent = "connected";
    show("panel");
    // A subscription is per connection: ask again after a reconnect.
    if ($("multiview-on").checked) setMultiview(true);
  };
  socket.onmessage = (message) => {
    if (message.data instanceof ArrayBuffer) {
      showThumbnail(message.data);
      return;
    }
    const data = JSON.parse(message.data);
    if (data.event === "state") {
      state = data;
      $("state").textContent = JSON.stringify(state, null, 2);
    } else if (data.event === "meters") {
      return; // too many to list
    }
    logEvent(message.data);
  };
  socket.onclose = (close) => {
    if (!opened) {
      // The upgrade was refused: no session yet (or it lapsed).
      $("status").textContent = "not logged in";
      show("login");
      return;
    }
    $("status").textContent = `disconnected (${close.code}); reconnecting…`;
    setTimeout(connect, 1000);
  };
}

$("command").addEventListener("submit", (e) => {
  e.preventDefault();
  let request;
  try {
    request = JSON.parse($("command-text").value);
  } catch (error) {
    logEvent(`not JSON: ${error.message}`);
    return;
  }
  send(request);
});

$("multiview-on").addEventListener("change", (e) => setMultiview(e.target.checked));

connect();
