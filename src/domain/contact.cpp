#include "domain/contact.h"

#include <algorithm>

#include "domain/identity.h"

namespace accompany {

Status Contact::validate(const Contact& contact) {
  ACCOMPANY_CHECK(find_language("language", contact.language));
  ACCOMPANY_CHECK(clean_text("narrative", contact.narrative, 20000, false, true));
  ACCOMPANY_CHECK(clean_text("outcome", contact.outcome, 500, false));
  for (size_t i = 0; i < contact.child_ids.size(); ++i) {
    if (contact.child_ids[i] <= 0) return invalid("child_ids", std::to_string(contact.child_ids[i]), "not a child id");
    if (std::count(contact.child_ids.begin(), contact.child_ids.end(), contact.child_ids[i]) > 1)
      return invalid("child_ids", std::to_string(contact.child_ids[i]), "is linked twice");
  }
  return {};
}

}  // namespace accompany
