// A minimal control page until the real panel: shows the state and every event, and
// sends raw protocol requests (docs/protocol.md). No inline script: the server's
// Content-Security-Policy forbids it.
"use strict";

const $ = (id) => document.getElementById(id);
let socket = null;
let nextId = 1;
let state = null;

function show(section) {
  $("login").hidden = section !== "login";
  $("panel").hidden = section !== "panel";
}

function logEvent(text) {
  const events = $("events");
  events.textContent = `${new Date().toLocaleTimeString()} ${text}\n` + events.textContent.slice(0, 20000);
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(`${scheme}//${location.host}/ws`);
  let opened = false;
  socket.onopen = () => {
    opened = true;
    $("status").textContent = "connected";
    show("panel");
  };
  socket.onmessage = (message) => {
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
  request.id = nextId++;
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(request));
  }
});

connect();
