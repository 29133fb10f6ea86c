// Server-sent events (the WHATWG EventSource format), the one way a response streams: a handler
// returns a Response whose `events` is set, and the server (server.cpp) writes the head and
// then every event queued on the stream, as it is queued, until the client goes away, the
// stream is closed or the server shuts down. Handlers and publishers never see Beast.
// Thread-safe: any thread may send; the server's connection takes.
#pragma once

#include <functional>
#include <utility>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace accompany {

class EventStream {
 public:
  // A client that falls this far behind is cut off (it reconnects and starts afresh).
  static constexpr size_t kMaxPending = 1 << 20;

  // Queues one event ("event: <name>" and one "data:" line per line of `data`); false once closed.
  bool send(std::string_view name, std::string_view data);
  void close();
  bool closed() const;

  // For the server: takes everything queued, and names what to call when more is queued.
  std::string take();
  void on_ready(std::function<void()> wake);

 private:
  mutable std::mutex mutex_;
  std::string pending_;  // guarded by mutex_
  bool closed_ = false;  // guarded by mutex_
  std::function<void()> wake_;
};

// Named topics ("agent:ana.lopez", "wallboard") and the streams listening on each; streams
// that closed are dropped as they are found.
class EventHub {
 public:
  void subscribe(const std::string& topic, std::shared_ptr<EventStream> stream);
  // Sends to every open stream on the topic; returns how many it reached.
  size_t publish(const std::string& topic, std::string_view name, std::string_view data);
  bool listening(const std::string& topic);

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<std::weak_ptr<EventStream>>, std::less<>> topics_;  // guarded by mutex_
};

}  // namespace accompany
