#include "security/audit_entry.h"

#include "security/digest.h"

namespace accompany {

std::string AuditEntry::compute_hash() const {
  Digest digest;
  digest.add(prev_hash).add(seq).add(at).add(actor).add(action).add(entity).add(entity_id).add(purpose).add(fields);
  digest.add(before_digest).add(after_digest);
  return digest.hex();
}

}  // namespace accompany
