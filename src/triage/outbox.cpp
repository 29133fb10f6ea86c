#include "triage/outbox.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace accompany {
namespace {

class FileOutbox final : public OutboxAdapter {
 public:
  explicit FileOutbox(std::string directory) : directory_(std::move(directory)) {}
  std::string_view name() const override { return "file"; }
  Status deliver(const OutboxMessage& message) override {
    std::error_code ec;
    std::filesystem::create_directories(directory_, ec);
    const auto path = std::filesystem::path(directory_) / fmt::format("{}-{}.txt", message.id, message.kind);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << render_message(message, "accompany", message.recipient);
    out.close();
    if (!out) return make_error(ErrorCode::unavailable, fmt::format("cannot write {}", path.string()));
    return {};
  }

 private:
  std::string directory_;
};

class SmtpOutbox final : public OutboxAdapter {
 public:
  SmtpOutbox(std::string url, std::string from, std::string gateway)
      : url_(std::move(url)), from_(std::move(from)), gateway_(std::move(gateway)) {}
  std::string_view name() const override { return "smtp"; }

  Status deliver(const OutboxMessage& message) override {
    struct Upload {
      std::string text;
      size_t at = 0;
    } upload{render_message(message, from_, gateway_)};
    CURL* curl = curl_easy_init();
    if (!curl) return make_error(ErrorCode::internal, "libcurl could not start");
    curl_slist* recipients = curl_slist_append(nullptr, ("<" + gateway_ + ">").c_str());
    const std::string mail_from = "<" + from_ + ">";
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(
        curl, CURLOPT_READFUNCTION, +[](char* buffer, size_t size, size_t count, void* data) -> size_t {
          auto* up = static_cast<Upload*>(data);
          const size_t n = std::min(size * count, up->text.size() - up->at);
          std::memcpy(buffer, up->text.data() + up->at, n);
          up->at += n;
          return n;
        });
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK)
      return make_error(ErrorCode::unavailable, fmt::format("SMTP to {} failed: {}", url_, curl_easy_strerror(code)));
    return {};
  }

 private:
  std::string url_;
  std::string from_;
  std::string gateway_;
};

}  // namespace

std::string render_message(const OutboxMessage& message, std::string_view from, std::string_view to) {
  // CRLF line ends, as mail requires; the body's own line breaks are normalized too.
  std::string body;
  for (char c : message.body) {
    if (c == '\n' && (body.empty() || body.back() != '\r')) body += '\r';
    body += c;
  }
  return fmt::format(
      "From: <{}>\r\nTo: <{}>\r\nSubject: {}\r\nX-Accompany-Recipient: {}\r\nX-Accompany-Message: {} {}\r\n"
      "Content-Language: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
      from, to, message.subject, message.recipient, message.id, message.kind, message.language, body);
}

std::unique_ptr<OutboxAdapter> make_file_outbox(std::string directory) {
  return std::make_unique<FileOutbox>(std::move(directory));
}

std::unique_ptr<OutboxAdapter> make_smtp_outbox(std::string url, std::string from, std::string gateway) {
  return std::make_unique<SmtpOutbox>(std::move(url), std::move(from), std::move(gateway));
}

Result<std::unique_ptr<OutboxAdapter>> make_outbox(const std::string& location, const std::string& from,
                                                   const std::string& gateway) {
  if (location.starts_with("smtp://") || location.starts_with("smtps://")) {
    if (from.empty() || gateway.empty())
      return invalid("outbox", location, "SMTP needs --smtp-from and --smtp-gateway addresses");
    return make_smtp_outbox(location, from, gateway);
  }
  std::string directory = location.starts_with("file:") ? location.substr(5) : location;
  if (directory.empty()) return invalid("outbox", location, "give a directory for the message files");
  return make_file_outbox(std::move(directory));
}

}  // namespace accompany
