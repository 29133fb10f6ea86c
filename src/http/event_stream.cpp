#include "http/event_stream.h"

namespace accompany {

bool EventStream::send(std::string_view name, std::string_view data) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    std::string event;
    event.reserve(name.size() + data.size() + 16);
    event.append("event: ").append(name).append("\n");
    size_t start = 0;
    for (;;) {
      const auto end = data.find('\n', start);
      event.append("data: ").append(data.substr(start, end - start)).append("\n");
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    event.append("\n");
    if (pending_.size() + event.size() > kMaxPending) {
      closed_ = true;  // too slow a reader: cut it off rather than hold memory without bound
    } else {
      pending_.append(event);
    }
    wake = wake_;
  }
  if (wake) wake();
  return true;
}

void EventStream::close() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    wake = wake_;
  }
  if (wake) wake();
}

bool EventStream::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::string EventStream::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(pending_, {});
}

void EventStream::on_ready(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
}

void EventHub::subscribe(const std::string& topic, std::shared_ptr<EventStream> stream) {
  std::lock_guard lock(mutex_);
  topics_[topic].push_back(stream);
}

size_t EventHub::publish(const std::string& topic, std::string_view name, std::string_view data) {
  std::vector<std::shared_ptr<EventStream>> streams;
  {
    std::lock_guard lock(mutex_);
    auto found = topics_.find(topic);
    if (found == topics_.end()) return 0;
    auto& list = found->second;
    std::erase_if(list, [&](const std::weak_ptr<EventStream>& weak) {
      auto stream = weak.lock();
      if (!stream || stream->closed()) return true;
      streams.push_back(std::move(stream));
      return false;
    });
    if (list.empty()) topics_.erase(found);
  }
  size_t reached = 0;
  for (const auto& stream : streams) reached += stream->send(name, data) ? 1 : 0;
  return reached;
}

bool EventHub::listening(const std::string& topic) {
  std::lock_guard lock(mutex_);
  auto found = topics_.find(topic);
  if (found == topics_.end()) return false;
  for (const auto& weak : found->second)
    if (auto stream = weak.lock(); stream && !stream->closed()) return true;
  return false;
}

}  // namespace accompany
