#include "triage/rule_set.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "security/digest.h"
#include "triage/embedded.h"

namespace accompany {
namespace {

namespace json = boost::json;

Error refuse(std::string_view source, std::string_view rule, std::string_view why) {
  if (rule.empty()) return make_error(ErrorCode::invalid_argument, fmt::format("rules file {}: {}", source, why));
  return make_error(ErrorCode::invalid_argument, fmt::format("rules file {}, rule '{}': {}", source, rule, why));
}

Result<std::string> text_field(const json::object& object, std::string_view key, std::string_view source,
                               std::string_view rule, bool required = true) {
  const json::value* value = object.if_contains(key);
  if (!value) {
    if (!required) return std::string();
    return refuse(source, rule, fmt::format("'{}' is missing", key));
  }
  if (!value->is_string()) return refuse(source, rule, fmt::format("'{}' must be a string", key));
  std::string text(value->as_string());
  if (required && text.empty()) return refuse(source, rule, fmt::format("'{}' is empty", key));
  return text;
}

// The {placeholders} a text uses.
std::vector<std::string> placeholders_in(std::string_view text) {
  std::vector<std::string> found;
  for (size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    found.emplace_back(text.substr(open + 1, close - open - 1));
  }
  return found;
}

Status check_placeholders(std::string_view text, std::string_view key, const PredicateSpec& spec,
                          std::string_view source, std::string_view rule) {
  for (const auto& name : placeholders_in(text)) {
    if (std::find(spec.placeholders.begin(), spec.placeholders.end(), name) != spec.placeholders.end()) continue;
    std::string allowed;
    for (auto p : spec.placeholders) allowed += (allowed.empty() ? "{" : ", {") + std::string(p) + "}";
    return refuse(source, rule,
                  fmt::format("'{}' uses {{{}}}, which predicate '{}' does not provide (it provides: {})", key, name,
                              spec.name, allowed.empty() ? "none" : allowed));
  }
  return {};
}

Result<Params> parse_params(const json::value* given, const PredicateSpec& spec, std::string_view source,
                            std::string_view rule) {
  Params params;
  const json::object empty;
  if (given && !given->is_object()) return refuse(source, rule, "'params' must be an object");
  const json::object& object = given ? given->as_object() : empty;
  for (const auto& [key, value] : object) {
    const bool known = std::any_of(spec.params.begin(), spec.params.end(),
                                   [&, k = std::string_view(key)](const ParamSpec& p) { return p.name == k; });
    if (known) continue;
    std::string allowed;
    for (const auto& p : spec.params) allowed += (allowed.empty() ? "" : ", ") + std::string(p.name);
    return refuse(source, rule,
                  fmt::format("predicate '{}' has no parameter '{}' (it takes: {})", spec.name, std::string_view(key),
                              allowed.empty() ? "none" : allowed));
  }
  for (const auto& p : spec.params) {
    const json::value* value = object.if_contains(p.name);
    if (p.kind == ParamSpec::Kind::integer) {
      std::int64_t number = p.default_integer;
      if (value) {
        if (!value->is_int64() && !value->is_uint64())
          return refuse(source, rule, fmt::format("parameter '{}' must be a whole number ({})", p.name, p.meaning));
        number = value->is_int64() ? value->as_int64() : static_cast<std::int64_t>(value->as_uint64());
        if (number < p.min || number > p.max)
          return refuse(
              source, rule,
              fmt::format("parameter '{}' is {}, outside {}..{} ({})", p.name, number, p.min, p.max, p.meaning));
      }
      params.integers.emplace(std::string(p.name), number);
      continue;
    }
    std::vector<std::string> list(p.default_names.begin(), p.default_names.end());
    if (value) {
      list.clear();
      if (!value->is_array() || value->as_array().empty())
        return refuse(source, rule, fmt::format("parameter '{}' must be a non-empty list of names", p.name));
      for (const auto& item : value->as_array()) {
        if (!item.is_string())
          return refuse(source, rule, fmt::format("parameter '{}' must be a list of names", p.name));
        std::string name(item.as_string());
        if (std::find(p.allowed.begin(), p.allowed.end(), name) == p.allowed.end()) {
          std::string allowed;
          for (auto a : p.allowed) allowed += (allowed.empty() ? "" : ", ") + std::string(a);
          return refuse(source, rule,
                        fmt::format("parameter '{}' has '{}', which is not one of: {}", p.name, name, allowed));
        }
        list.push_back(std::move(name));
      }
    }
    params.names.emplace(std::string(p.name), std::move(list));
  }
  return params;
}

Result<std::pair<std::string, std::string>> bilingual(const json::object& rule, std::string_view key,
                                                      std::string_view source, std::string_view name) {
  const json::value* value = rule.if_contains(key);
  if (!value || !value->is_object())
    return refuse(source, name, fmt::format("'{}' must be an object with \"en\" and \"es\" texts", key));
  ACCOMPANY_TRY(en, text_field(value->as_object(), "en", source, name));
  ACCOMPANY_TRY(es, text_field(value->as_object(), "es", source, name));
  return std::pair{en, es};
}

Result<Rule> parse_rule(const json::value& value, size_t position, std::string_view source) {
  const std::string where = fmt::format("#{}", position + 1);
  if (!value.is_object()) return refuse(source, where, "each rule is a JSON object");
  const json::object& object = value.as_object();
  ACCOMPANY_TRY(name, text_field(object, "name", source, where));
  static const std::set<std::string_view> kKeys{"name",      "when",   "params",   "queue",  "priority",
                                                "due_hours", "reason", "resolved", "comment"};
  for (const auto& [key, ignored] : object)
    if (!kKeys.contains(std::string_view(key)))
      return refuse(source, name, fmt::format("unknown field '{}'", std::string_view(key)));
  Rule rule;
  rule.name = name;
  ACCOMPANY_TRY(when, text_field(object, "when", source, name));
  const PredicateSpec* spec = find_predicate(when);
  if (!spec) {
    std::string known;
    for (const auto& p : predicates()) known += (known.empty() ? "" : ", ") + std::string(p.name);
    return refuse(source, name,
                  fmt::format("'when' names '{}', which is not a predicate this build implements "
                              "(known: {})",
                              when, known));
  }
  rule.predicate = when;
  ACCOMPANY_TRY(params, parse_params(object.if_contains("params"), *spec, source, name));
  rule.params = std::move(params);
  ACCOMPANY_TRY(queue, text_field(object, "queue", source, name));
  rule.queue = queue;
  ACCOMPANY_TRY(priority_text, text_field(object, "priority", source, name));
  auto priority = parse_enum(kTaskPriorityNames, "priority", priority_text);
  if (!priority) return refuse(source, name, priority.error().describe());
  rule.priority = *priority;
  const json::value* due = object.if_contains("due_hours");
  if (!due || !due->is_int64() || due->as_int64() < 0 || due->as_int64() > 24 * 365)
    return refuse(source, name, "'due_hours' must be a whole number of hours from 0 to 8760");
  rule.due_within = std::chrono::hours(due->as_int64());
  ACCOMPANY_TRY(reason, bilingual(object, "reason", source, name));
  ACCOMPANY_TRY(resolved, bilingual(object, "resolved", source, name));
  std::tie(rule.reason_en, rule.reason_es) = reason;
  std::tie(rule.resolved_en, rule.resolved_es) = resolved;
  ACCOMPANY_CHECK(check_placeholders(rule.reason_en, "reason.en", *spec, source, name));
  ACCOMPANY_CHECK(check_placeholders(rule.reason_es, "reason.es", *spec, source, name));
  if (!placeholders_in(rule.resolved_en).empty() || !placeholders_in(rule.resolved_es).empty())
    return refuse(source, name, "'resolved' texts cannot use placeholders (the facts no longer hold)");
  rule.condition = spec->make(rule.params);
  return rule;
}

}  // namespace

const Rule* RuleSet::find(std::string_view name) const {
  for (const auto& rule : rules)
    if (rule.name == name) return &rule;
  return nullptr;
}

Result<RuleSet> parse_rule_set(std::string_view json_text, std::string_view source) {
  boost::system::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec) return refuse(source, "", fmt::format("not valid JSON: {}", ec.message()));
  if (!root.is_object()) return refuse(source, "", "the file must hold one JSON object");
  const json::object& object = root.as_object();
  RuleSet set;
  set.source = source;
  const json::value* version = object.if_contains("version");
  if (!version || !version->is_int64() || version->as_int64() < 1)
    return refuse(source, "", "'version' must be a whole number from 1 (raise it with every change)");
  set.version = static_cast<int>(version->as_int64());
  ACCOMPANY_TRY(description, text_field(object, "description", source, "", false));
  set.description = description;
  const json::value* rules = object.if_contains("rules");
  if (!rules || !rules->is_array() || rules->as_array().empty())
    return refuse(source, "", "'rules' must be a non-empty list");
  std::set<std::string> names;
  for (size_t i = 0; i < rules->as_array().size(); ++i) {
    ACCOMPANY_TRY(rule, parse_rule(rules->as_array()[i], i, source));
    if (rule.name == "manual") return refuse(source, rule.name, "'manual' is reserved for tasks people open");
    if (!names.insert(rule.name).second) return refuse(source, rule.name, "two rules have this name");
    set.rules.push_back(std::move(rule));
  }
  set.digest = Digest().add(json_text).hex();
  return set;
}

Result<RuleSet> builtin_rule_set() {
  return parse_rule_set(embedded_triage_file("triage/rules/default.json"), "built-in");
}

Result<RuleSet> load_rule_set(const std::string& path) {
  if (path.empty()) return builtin_rule_set();
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::not_found, fmt::format("cannot read the rules file {}", path));
  std::stringstream text;
  text << in.rdbuf();
  return parse_rule_set(text.str(), path);
}

std::string render_reason(std::string_view text, const Facts& facts) {
  std::string out;
  out.reserve(text.size() + 16);
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find('{', at);
    if (open == std::string_view::npos) break;
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    auto found = std::find_if(facts.values.begin(), facts.values.end(), [&](const auto& v) { return v.first == name; });
    if (found != facts.values.end()) out += found->second;
    at = close + 1;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace accompany
