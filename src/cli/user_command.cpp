// accompany user add|list|disable|reset-password|reset-token: accounts, administered from the
// server's shell. Passwords are read from stdin or a prompt, never from the command line
// (argv is visible to every user of the machine through ps).
#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "access/accounts.h"
#include "cli/commands.h"

namespace accompany {
namespace {

struct UserOptions {
  std::string name;
  std::string role;
  std::string organization;
  bool service = false;
};

std::string read_line_quietly(const char* prompt) {
  const bool terminal = ::isatty(STDIN_FILENO);
  termios saved{};
  if (terminal) {
    fmt::print(stderr, "{}", prompt);
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    fmt::print(stderr, "\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// From a prompt (asked twice) or the first line of stdin.
Result<std::string> read_password() {
  const std::string password = read_line_quietly("New password: ");
  if (::isatty(STDIN_FILENO) && read_line_quietly("Again: ") != password)
    return invalid("password", "", "the two passwords differ");
  return password;
}

template <class Work>
void with_accounts(const GlobalOptions& global, int& exit_code, Work work) {
  SystemClock clock;
  auto store = Store::open(resolve_database_location(global.database), clock);
  if (!store) {
    exit_code = report_failure(store.error().describe());
    return;
  }
  Accounts accounts(**store);
  Status done = work(accounts);
  if (!done) exit_code = report_failure(done.error().describe());
}

const AuditContext kAdministration{"system:user", "account administration from the command line"};

}  // namespace

void add_user_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto options = std::make_shared<UserOptions>();
  auto* user = app.add_subcommand("user", "Manage the accounts of people and services");
  user->require_subcommand(1);

  auto* add = user->add_subcommand(
      "add",
      "Add an account. A person's password is read from stdin or a prompt; a service account gets an API "
      "token, printed once");
  add->add_option("name", options->name, "Login name (lower-case letters, digits, . _ -)")->required();
  std::vector<std::string> roles;
  for (const auto& [role, name] : kRoleNames) roles.emplace_back(name);
  add->add_option("--role", options->role, "Role")->required()->check(CLI::IsMember(roles));
  add->add_option("--organization", options->organization,
                  "Organization (required for legal_partner and outside_agency)");
  add->add_flag("--service", options->service, "A service account (feeds, CTI, an outside agency): token, no password");
  add->callback([&global, &exit_code, options] {
    with_accounts(global, exit_code, [&](Accounts& accounts) -> Status {
      ACCOMPANY_TRY(role, parse_enum(kRoleNames, "role", options->role));
      if (options->service) {
        ACCOMPANY_TRY(token, accounts.add_service(kAdministration, options->name, role, options->organization));
        fmt::print("Added service account {} ({}). Its API token, shown only now:\n{}\n", options->name, options->role,
                   token);
        return {};
      }
      ACCOMPANY_TRY(password, read_password());
      ACCOMPANY_TRY(id, accounts.add_person(kAdministration, options->name, role, options->organization, password));
      fmt::print("Added {} ({}), user id {}.\n", options->name, options->role, id);
      return {};
    });
  });

  auto* list = user->add_subcommand("list", "List accounts: name, role, organization, kind, status");
  list->callback([&global, &exit_code] {
    with_accounts(global, exit_code, [&](Accounts& accounts) -> Status {
      ACCOMPANY_TRY(users, accounts.list());
      for (const auto& user : users)
        fmt::print("{}\t{}\t{}\t{}\t{}\n", user.name, enum_name(kRoleNames, user.role),
                   user.organization.empty() ? "-" : user.organization, user.service ? "service" : "person",
                   user.disabled ? "disabled" : "active");
      return {};
    });
  });

  auto* disable = user->add_subcommand("disable", "Disable an account and end its sessions");
  disable->add_option("name", options->name, "Login name")->required();
  disable->callback([&global, &exit_code, options] {
    with_accounts(global, exit_code, [&](Accounts& accounts) -> Status {
      ACCOMPANY_CHECK(accounts.disable(kAdministration, options->name));
      fmt::print("Disabled {}; their sessions have ended.\n", options->name);
      return {};
    });
  });

  auto* reset = user->add_subcommand("reset-password", "Set a person's password (read from stdin or a prompt)");
  reset->add_option("name", options->name, "Login name")->required();
  reset->callback([&global, &exit_code, options] {
    with_accounts(global, exit_code, [&](Accounts& accounts) -> Status {
      ACCOMPANY_TRY(password, read_password());
      ACCOMPANY_CHECK(accounts.reset_password(kAdministration, options->name, password));
      fmt::print("Password of {} changed; their sessions have ended.\n", options->name);
      return {};
    });
  });

  auto* token = user->add_subcommand("reset-token", "Issue a new API token to a service account (the old one stops)");
  token->add_option("name", options->name, "Login name")->required();
  token->callback([&global, &exit_code, options] {
    with_accounts(global, exit_code, [&](Accounts& accounts) -> Status {
      ACCOMPANY_TRY(issued, accounts.reset_token(kAdministration, options->name));
      fmt::print("New API token for {}, shown only now:\n{}\n", options->name, issued);
      return {};
    });
  });
}

}  // namespace accompany
