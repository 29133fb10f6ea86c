// Case records as the JSON API shows them and reads them (Boost.JSON). Field names match the
// store's columns, so a sharing policy or an audit entry names the same fields the API shows.
#pragma once

#include <boost/json/value.hpp>

#include "security/accounts.h"
#include "store/entity_tables.h"

namespace accompany {

boost::json::object to_json(const Child& child);
boost::json::object to_json(const Sponsor& sponsor);
boost::json::object to_json(const Address& address);
boost::json::object to_json(const CustodyEvent& event);
boost::json::object to_json(const NoticeToAppear& notice);
boost::json::object to_json(const Hearing& hearing);
boost::json::object to_json(const WelfareCheck& check);
boost::json::object to_json(const Contact& contact);
boost::json::object to_json(const Task& task);
boost::json::object to_json(const User& user);  // never the password or token hash
boost::json::object to_json(const Referral& referral);
boost::json::object to_json(const SharingPolicy& policy);
boost::json::object to_json(const BreakGlassGrant& grant);

// Drafts from a request body; the store validates them again on write.
Result<Child> child_from_json(const boost::json::value& body, Date today);
Result<Address> address_from_json(const boost::json::value& body, Id child_id);
Result<Contact> contact_from_json(const boost::json::value& body, Timestamp now);

// Sets `languages` and `interpreter_needed` from the members present (for create and update).
Status read_language_fields(const boost::json::object& object, Child& child);

// A required or optional string member of a JSON object, with an error naming the field.
Result<std::string> string_member(const boost::json::object& object, std::string_view name, bool required);

}  // namespace accompany
