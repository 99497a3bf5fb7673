// Headless Chromium for the panel tests, driven over the DevTools protocol (CDP) with
// the same RFC 6455 client the control tests use: no npm, no WebDriver.
//
// Chromium is started with --remote-debugging-port=0; the port it picked is read from
// DevToolsActivePort in its profile folder, GET /json/version names the browser's
// WebSocket and GET /json each page's. Each Page lives in a browser context of its own
// (its own cookies), so two pages are two operators' browsers, not two tabs of one. All traffic
// stays on 127.0.0.1: Chromium's background services are switched off and every host name other
// than the loopback address fails to resolve.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace hallcast::testing {

// One DevTools WebSocket: a page's or the browser's.
class CdpSession {
 public:
  // `websocket_url`: ws://127.0.0.1:PORT/devtools/…
  explicit CdpSession(const std::string& websocket_url);

  // Sends a command and returns its "result"; throws std::runtime_error with the
  // protocol's message on an error reply, a timeout or a closed connection.
  nlohmann::json call(const std::string& method,
                      const nlohmann::json& params = nlohmann::json::object(),
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  std::unique_ptr<WsClient> socket_;
  std::int64_t next_id_ = 1;
};

// A key as Input.dispatchKeyEvent wants it.
struct Key {
  std::string key;   // KeyboardEvent.key
  std::string code;  // KeyboardEvent.code: the physical key
  int key_code = 0;  // windowsVirtualKeyCode
  std::string text;  // what it types ("" for none)

  static Key digit(int n);
  static Key letter(char c);  // a–z
  static Key space();
  static Key enter();
};

class Page {
 public:
  Page(std::unique_ptr<CdpSession> session, CdpSession* browser, std::string target_id,
       std::string context_id);
  // Closes the page and its browser context.
  ~Page();
  Page(const Page&) = delete;
  Page& operator=(const Page&) = delete;

  // Runs a JavaScript expression in the page (awaiting a promise) and returns its value;
  // throws with the exception's text if it throws.
  nlohmann::json evaluate(const std::string& expression,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Evaluates `expression` in the page every 25 ms until it is truthy and returns that
  // value; null if it is still falsy after `timeout`. Survives navigations.
  nlohmann::json wait_until(const std::string& expression, std::chrono::milliseconds timeout);

  void navigate(const std::string& url);
  // A real mouse click (move, press, release) at the centre of the first element that
  // matches `selector`, scrolled into view; throws if there is none.
  void click(const std::string& selector);
  // Presses and releases the left button at (x, y) after dragging from `from`.
  void drag(double from_x, double from_y, double to_x, double to_y);
  void press(const Key& key);
  // Types text into the focused element, as an input method would.
  void type(const std::string& text);
  // The viewport: width x height CSS pixels; `touch` also emulates a touch screen
  // (coarse pointer, mobile viewport).
  void set_viewport(int width, int height, bool touch = false);
  // Cuts the page off the network (DevTools' offline emulation) or puts it back.
  void set_offline(bool offline);
  // Saves a PNG of the viewport and returns its path.
  std::filesystem::path screenshot(const std::filesystem::path& file);

  CdpSession& session() { return *session_; }

 private:
  std::unique_ptr<CdpSession> session_;
  CdpSession* browser_;
  std::string target_id_;
  std::string context_id_;
};

class Chromium {
 public:
  // Starts Chromium and connects to it; throws std::runtime_error (with what Chromium
  // printed) if it cannot, or if it is not installed.
  Chromium();
  // Closes the browser (Browser.close), then makes sure the process is gone.
  ~Chromium();
  Chromium(const Chromium&) = delete;
  Chromium& operator=(const Chromium&) = delete;

  // A new page in a fresh browser context: no cookies, no storage. Its WebSocket comes
  // from GET /json.
  std::unique_ptr<Page> new_page();

  int devtools_port() const { return port_; }
  std::string output() const { return process_ ? process_->output() : std::string(); }

  // The program that will be run: "chromium" from PATH; empty if there is none.
  static std::string find_binary();

 private:
  TempDir profile_{"hallcast-chromium"};
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
  std::unique_ptr<CdpSession> browser_;
};

}  // namespace hallcast::testing
