// Headless Chromium over the DevTools protocol (see chromium.h).
#include "web/chromium.h"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace hallcast::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// ws://127.0.0.1:PORT/PATH → PORT and /PATH. DevTools only ever names loopback here.
std::pair<int, std::string> split_websocket_url(const std::string& url) {
  const std::string prefix = "ws://127.0.0.1:";
  if (url.rfind(prefix, 0) != 0) {
    throw std::runtime_error("unexpected DevTools URL: " + url);
  }
  const auto slash = url.find('/', prefix.size());
  if (slash == std::string::npos) {
    throw std::runtime_error("unexpected DevTools URL: " + url);
  }
  return {std::stoi(url.substr(prefix.size(), slash - prefix.size())), url.substr(slash)};
}

std::string base64_decode(const std::string& text) {
  std::string out;
  unsigned value = 0;
  int bits = 0;
  for (const char c : text) {
    int digit;
    if (c >= 'A' && c <= 'Z') {
      digit = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      digit = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      digit = c - '0' + 52;
    } else if (c == '+') {
      digit = 62;
    } else if (c == '/') {
      digit = 63;
    } else {
      continue;  // padding
    }
    value = (value << 6) | static_cast<unsigned>(digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xFF);
    }
  }
  return out;
}

// Chromium's switches for a quiet, self-contained test browser. Besides the ones asked
// for, everything that would reach out to Google's services is off, and name
// resolution fails for every host but 127.0.0.1.
std::vector<std::string> chromium_arguments(const std::string& binary,
                                            const std::filesystem::path& profile) {
  return {binary,
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--remote-debugging-port=0",
          "--user-data-dir=" + profile.string(),
          "--window-size=1366,768",
          "--no-first-run",
          "--no-default-browser-check",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-default-apps",
          "--disable-extensions",
          "--disable-sync",
          "--disable-domain-reliability",
          "--disable-client-side-phishing-detection",
          "--no-pings",
          "--metrics-recording-only",
          "--password-store=basic",
          "--use-mock-keychain",
          "--mute-audio",
          "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
          "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
          "about:blank"};
}

}  // namespace

// ---------------------------------------------------------------------------------------

CdpSession::CdpSession(const std::string& websocket_url) {
  const auto [port, path] = split_websocket_url(websocket_url);
  WsOptions options;
  options.path = path;
  socket_ = std::make_unique<WsClient>(port, options);
  if (!socket_->upgraded()) {
    throw std::runtime_error("DevTools refused the WebSocket " + websocket_url + ": HTTP " +
                             std::to_string(socket_->status()) + " " + socket_->handshake().body);
  }
}

json CdpSession::call(const std::string& method, const json& params,
                      std::chrono::milliseconds timeout) {
  const std::int64_t id = next_id_++;
  socket_->send_text(json({{"id", id}, {"method", method}, {"params", params}}).dump());
  json reply;
  try {
    reply = socket_->wait_for([id](const json& m) { return m.value("id", std::int64_t{-1}) == id; },
                              timeout);
  } catch (const std::exception& e) {
    throw std::runtime_error(method + ": no answer (" + e.what() + ")");
  }
  if (reply.contains("error")) {
    throw std::runtime_error(method + ": " + reply["error"].value("message", reply.dump()));
  }
  return reply.value("result", json::object());
}

// ---------------------------------------------------------------------------------------

Key Key::digit(int n) {
  const std::string d = std::to_string(n);
  return {d, "Digit" + d, '0' + n, d};
}

Key Key::letter(char c) {
  const char upper = static_cast<char>(c - 'a' + 'A');
  return {std::string(1, c), std::string("Key") + upper, upper, std::string(1, c)};
}

Key Key::space() {
  return {" ", "Space", 32, " "};
}

Key Key::enter() {
  return {"Enter", "Enter", 13, "\r"};
}

// ---------------------------------------------------------------------------------------

Page::Page(std::unique_ptr<CdpSession> session, CdpSession* browser, std::string target_id,
           std::string context_id)
    : session_(std::move(session)),
      browser_(browser),
      target_id_(std::move(target_id)),
      context_id_(std::move(context_id)) {}

Page::~Page() {
  session_.reset();
  try {
    browser_->call("Target.closeTarget", {{"targetId", target_id_}}, std::chrono::seconds(5));
    if (!context_id_.empty()) {
      browser_->call("Target.disposeBrowserContext", {{"browserContextId", context_id_}},
                     std::chrono::seconds(5));
    }
  } catch (const std::exception&) {
    // The browser is gone already; nothing left to close.
  }
}

json Page::evaluate(const std::string& expression, std::chrono::milliseconds timeout) {
  const json result = session_->call("Runtime.evaluate",
                                     {{"expression", expression},
                                      {"awaitPromise", true},
                                      {"returnByValue", true},
                                      {"userGesture", true}},
                                     timeout);
  if (result.contains("exceptionDetails")) {
    const json& details = result["exceptionDetails"];
    std::string text = details.value("text", "exception");
    if (details.contains("exception")) {
      text += ": " + details["exception"].value("description", "");
    }
    throw std::runtime_error("in the page: " + text + "\n  evaluating: " + expression);
  }
  return result["result"].value("value", json());
}

json Page::wait_until(const std::string& expression, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      return json();
    }
    // Polled inside the page: one round trip, and no step of 25 ms is missed.
    const std::string poll =
        "new Promise((resolve) => { const end = Date.now() + " + std::to_string(left.count()) +
        "; const poll = () => { let value = null; try { value = (" + expression +
        "); } catch (e) {} if (value || Date.now() >= end) resolve(value || null); "
        "else setTimeout(poll, 25); }; poll(); })";
    try {
      json value = evaluate(poll, left + std::chrono::seconds(5));
      if (!value.is_null() || Clock::now() >= deadline) {
        return value;
      }
    } catch (const std::exception&) {
      // A navigation destroyed the context mid-poll: poll the new document.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

void Page::navigate(const std::string& url) {
  const json result = session_->call("Page.navigate", {{"url", url}});
  if (result.contains("errorText") && !result["errorText"].get<std::string>().empty()) {
    throw std::runtime_error("cannot open " + url + ": " + result["errorText"].get<std::string>());
  }
}

void Page::click(const std::string& selector) {
  const json centre =
      evaluate("(() => { const e = document.querySelector(" + json(selector).dump() +
               "); if (!e) return null; e.scrollIntoView({block: 'nearest'}); "
               "const r = e.getBoundingClientRect(); "
               "return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
  if (centre.is_null()) {
    throw std::runtime_error("nothing to click: no element matches " + selector);
  }
  const double x = centre["x"];
  const double y = centre["y"];
  session_->call("Input.dispatchMouseEvent", {{"type", "mouseMoved"}, {"x", x}, {"y", y}});
  for (const char* type : {"mousePressed", "mouseReleased"}) {
    session_->call("Input.dispatchMouseEvent", {{"type", type},
                                                {"x", x},
                                                {"y", y},
                                                {"button", "left"},
                                                {"buttons", 1},
                                                {"clickCount", 1}});
  }
}

void Page::drag(double from_x, double from_y, double to_x, double to_y) {
  session_->call("Input.dispatchMouseEvent",
                 {{"type", "mouseMoved"}, {"x", from_x}, {"y", from_y}});
  session_->call("Input.dispatchMouseEvent", {{"type", "mousePressed"},
                                              {"x", from_x},
                                              {"y", from_y},
                                              {"button", "left"},
                                              {"buttons", 1},
                                              {"clickCount", 1}});
  constexpr int steps = 5;
  for (int i = 1; i <= steps; ++i) {
    const double x = from_x + (to_x - from_x) * i / steps;
    const double y = from_y + (to_y - from_y) * i / steps;
    session_->call(
        "Input.dispatchMouseEvent",
        {{"type", "mouseMoved"}, {"x", x}, {"y", y}, {"button", "left"}, {"buttons", 1}});
  }
  session_->call("Input.dispatchMouseEvent", {{"type", "mouseReleased"},
                                              {"x", to_x},
                                              {"y", to_y},
                                              {"button", "left"},
                                              {"buttons", 1},
                                              {"clickCount", 1}});
}

void Page::press(const Key& key) {
  json down = {{"type", key.text.empty() ? "rawKeyDown" : "keyDown"},
               {"key", key.key},
               {"code", key.code},
               {"windowsVirtualKeyCode", key.key_code}};
  if (!key.text.empty()) {
    down["text"] = key.text;
  }
  session_->call("Input.dispatchKeyEvent", down);
  session_->call("Input.dispatchKeyEvent", {{"type", "keyUp"},
                                            {"key", key.key},
                                            {"code", key.code},
                                            {"windowsVirtualKeyCode", key.key_code}});
}

void Page::type(const std::string& text) {
  session_->call("Input.insertText", {{"text", text}});
}

void Page::set_viewport(int width, int height, bool touch) {
  session_->call(
      "Emulation.setDeviceMetricsOverride",
      {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", touch}});
  session_->call("Emulation.setTouchEmulationEnabled",
                 {{"enabled", touch}, {"maxTouchPoints", touch ? 5 : 1}});
}

void Page::set_offline(bool offline) {
  session_->call("Network.enable");
  session_->call(
      "Network.emulateNetworkConditions",
      {{"offline", offline}, {"latency", 0}, {"downloadThroughput", -1}, {"uploadThroughput", -1}});
}

std::filesystem::path Page::screenshot(const std::filesystem::path& file) {
  const json result =
      session_->call("Page.captureScreenshot", {{"format", "png"}}, std::chrono::seconds(20));
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << base64_decode(result.value("data", ""));
  if (!out) {
    throw std::runtime_error("cannot write " + file.string());
  }
  return file;
}

// ---------------------------------------------------------------------------------------

std::string Chromium::find_binary() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(std::string(path != nullptr ? path : "") + ":/usr/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / "chromium";
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
  }
  return {};
}

Chromium::Chromium() {
  const std::string binary = find_binary();
  if (binary.empty()) {
    throw std::runtime_error(
        "chromium is not installed: the panel tests need Debian's chromium package "
        "(scripts/setup.sh installs it)");
  }
  process_ = std::make_unique<ChildProcess>(chromium_arguments(binary, profile_.path()));

  // Chromium writes the port it bound, then the browser's WebSocket path.
  const auto port_file = profile_.path() / "DevToolsActivePort";
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (port_ == 0) {
    std::ifstream in(port_file);
    std::string line;
    if (in && std::getline(in, line) && !line.empty()) {
      port_ = std::stoi(line);
      break;
    }
    if (!process_->running() || Clock::now() >= deadline) {
      throw std::runtime_error("chromium did not open its DevTools port:\n" + output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const HttpResponse version = http_get(port_, "/json/version");
  if (version.status != 200) {
    throw std::runtime_error("GET /json/version: HTTP " + std::to_string(version.status));
  }
  browser_ = std::make_unique<CdpSession>(
      json::parse(version.body).at("webSocketDebuggerUrl").get<std::string>());
}

Chromium::~Chromium() {
  try {
    if (browser_) {
      browser_->call("Browser.close", json::object(), std::chrono::seconds(5));
    }
  } catch (const std::exception&) {
    // It may close the connection before answering.
  }
  browser_.reset();
  if (process_ && !process_->wait_for_exit(std::chrono::seconds(5))) {
    process_->send_signal(SIGKILL);
    process_->wait_for_exit(std::chrono::seconds(5));
  }
}

std::unique_ptr<Page> Chromium::new_page() {
  const std::string context =
      browser_->call("Target.createBrowserContext", {{"disposeOnDetach", true}})
          .at("browserContextId");
  const std::string target =
      browser_->call("Target.createTarget", {{"url", "about:blank"}, {"browserContextId", context}})
          .at("targetId");
  // GET /json lists every page target with the WebSocket to drive it by.
  const HttpResponse list = http_get(port_, "/json");
  if (list.status != 200) {
    throw std::runtime_error("GET /json: HTTP " + std::to_string(list.status));
  }
  for (const json& entry : json::parse(list.body)) {
    if (entry.value("type", "") == "page" && entry.value("id", "") == target) {
      return std::make_unique<Page>(
          std::make_unique<CdpSession>(entry.at("webSocketDebuggerUrl").get<std::string>()),
          browser_.get(), target, context);
    }
  }
  throw std::runtime_error("GET /json does not list the new page " + target + ":\n" + list.body);
}

}  // namespace hallcast::testing
