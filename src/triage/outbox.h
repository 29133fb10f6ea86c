// The outbox: how a recorded message leaves the system. Adapters are chosen by location
// ("file:DIR" or a directory path: one file per message; "smtp://host:port": mail through a
// relay, e.g. the SMS or letter gateway). Adapters are not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "domain/outbox_message.h"

namespace accompany {

class OutboxAdapter {
 public:
  virtual ~OutboxAdapter() = default;
  virtual std::string_view name() const = 0;
  // Hands one message on; an error says why it could not (it stays undelivered in the outbox).
  virtual Status deliver(const OutboxMessage& message) = 0;
};

// One file per message in `directory` ("<id>-<kind>.txt"), headers then the body.
std::unique_ptr<OutboxAdapter> make_file_outbox(std::string directory);

// SMTP through libcurl: every message is mailed from `from` to `gateway` (the relay that
// turns mail into SMS or letters), with the real recipient in an X-Accompany-Recipient header.
std::unique_ptr<OutboxAdapter> make_smtp_outbox(std::string url, std::string from, std::string gateway);

// "smtp://..." -> SMTP (needs from and gateway); anything else, with or without "file:", a directory.
Result<std::unique_ptr<OutboxAdapter>> make_outbox(const std::string& location, const std::string& from,
                                                   const std::string& gateway);

// The message as it is written to a file or mailed: headers, a blank line, the body.
std::string render_message(const OutboxMessage& message, std::string_view from, std::string_view to);

}  // namespace accompany
