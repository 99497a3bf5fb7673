// The control WebSocket (docs/protocol.md): requests are matched to their replies by id;
// events go to `onEvent`, multiview pictures (binary messages) to `onPicture`, the
// packets of what this browser listens to (binary too) to `onListen`.
// Reconnecting is the caller's business: `onClose` says whether the socket had opened.


// Meters arrive about ten times a second, so this long without any message means the
// connection is dead even if no close ever came: a frozen server, a cable pulled
// somewhere between here and there.
const SILENCE_MS = 4000;

export class Connection {
  constructor({ onOpen, onEvent, onPicture, onListen, onClose }) {
    this.handlers = { onOpen, onEvent, onPicture, onListen, onClose };
    this.socket = null;
    this.opened = false;
    this.lastHeard = 0;
    this.watchdog = 0;
    this.nextId = 1;
    this.pending = new Map(); // id -> resolve
  }

  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  open() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/ws`);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    this.opened = false;
    this.lastHeard = Date.now();
    socket.onopen = () => {
      this.opened = true;
      this.handlers.onOpen();
    };
    socket.onmessage = (message) => {
      this.lastHeard = Date.now();
      this.receive(message.data);
    };
    socket.onclose = () => this.lost(socket);
    clearInterval(this.watchdog);
    this.watchdog = setInterval(() => {
      if (Date.now() - this.lastHeard > SILENCE_MS) this.lost(socket);
    }, 1000);
  }

  // Closes without telling onClose: logging out.
  close() {
    const socket = this.socket;
    this.socket = null;
    clearInterval(this.watchdog);
    this.settlePending();
    if (socket) socket.close();
  }

  lost(socket) {
    if (this.socket !== socket) return; // already given up, or closed on purpose
    this.close();
    this.handlers.onClose(this.opened);
  }

  // Resolves with the server's reply; {ok: false, error: "offline"} if it cannot be
  // sent or the connection drops before the reply.
  request(request) {
    if (!this.isOpen) return Promise.resolve({ ok: false, error: "offline" });
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ ...request, id }));
    return new Promise((resolve) => this.pending.set(id, resolve));
  }

  settlePending() {
    for (const resolve of this.pending.values()) resolve({ ok: false, error: "offline" });
    this.pending.clear();
  }

  receive(data) {
    if (data instanceof ArrayBuffer) {
      const frame = parseFrame(data);
      if (!frame) return;
      const { header, bytes } = frame;
      if (typeof header.listen === "string" && header.type === "audio/opus") {
        this.handlers.onListen(header, bytes);
      } else if (typeof header.feed === "string") {
        const blob = new Blob([bytes], { type: header.type || "image/jpeg" });
        this.handlers.onPicture(header.feed, blob);
      }
      return;
    }
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if ("ok" in message) {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (resolve) resolve(message);
    } else if (typeof message.event === "string") {
      this.handlers.onEvent(message);
    }
  }
}

// A binary message: 2 bytes N (big-endian), N bytes of JSON header, then the payload —
// a thumbnail ({"feed", "type"}, a JPEG) or a listening packet ({"listen", "type":
// "audio/opus", …}, an Opus packet). null for anything else.
function parseFrame(buffer) {
  if (buffer.byteLength < 2) return null;
  const n = new DataView(buffer).getUint16(0);
  if (buffer.byteLength <= 2 + n) return null;
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 2, n)));
  } catch {
    return null;
  }
  if (!header || typeof header !== "object") return null;
  return { header, bytes: new Uint8Array(buffer, 2 + n) };
}
