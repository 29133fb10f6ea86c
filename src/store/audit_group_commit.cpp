#include "store/audit_group_commit.h"

#include <thread>

namespace accompany {

Status AuditGroupCommit::submit(std::vector<AuditEntry> entries) {
  if (entries.empty()) return {};
  Waiting mine;
  mine.entries = std::move(entries);
  std::unique_lock lock(mutex_);
  queue_.push_back(&mine);
  while (!mine.outcome) {
    if (leading_) {
      mine.wake.wait(lock);
      continue;
    }
    // Lead: take everything queued so far (our own batch included) into one transaction.
    leading_ = true;
    // Give the readers that are running right now a moment to join this transaction: on a
    // busy server that turns many one-entry commits into one many-entry commit.
    lock.unlock();
    std::this_thread::yield();
    lock.lock();
    std::vector<Waiting*> batch;
    batch.swap(queue_);
    lock.unlock();
    std::vector<AuditEntry> all;
    for (auto* waiting : batch)
      for (auto& entry : waiting->entries) all.push_back(std::move(entry));
    Status outcome = commit_(all);
    lock.lock();
    if (outcome) {
      ++transactions_;
      entries_ += static_cast<std::int64_t>(all.size());
    }
    leading_ = false;
    // Wake each caller whose entries this transaction held (only those: no thundering herd),
    // then the oldest caller still queued, which leads the next transaction.
    for (auto* waiting : batch) {
      waiting->outcome = outcome;
      if (waiting != &mine) waiting->wake.notify_one();
    }
    if (!queue_.empty()) queue_.front()->wake.notify_one();
  }
  return *mine.outcome;
}

std::int64_t AuditGroupCommit::transactions() const {
  std::lock_guard lock(mutex_);
  return transactions_;
}

std::int64_t AuditGroupCommit::entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

}  // namespace accompany
