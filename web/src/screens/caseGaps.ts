// What is missing from a case, stated plainly. Pure, so it is easy to test and to read.
import { CaseView } from "../api";
import { MessageKey } from "../i18n/messages";

export interface Gap {
  key: MessageKey;
  params: Record<string, string | number>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function caseGaps(view: CaseView, now: Date): Gap[] {
  const gaps: Gap[] = [];
  const release = view.timeline.find((e) => e.kind === "custody_event" && e.summary.kind === "released_to_sponsor");
  const served = view.timeline.some((e) => e.kind === "notice" && e.summary.served_on);
  if (release && !served) {
    const days = Math.floor((now.getTime() - new Date(release.at).getTime()) / DAY_MS);
    gaps.push({ key: "gapNoNotice", params: { days } });
  }
  const usable = view.addresses.some((a) => a.status !== "invalid" && a.status !== "undeliverable");
  if (!usable) gaps.push({ key: "gapNoAddress", params: {} });
  for (const hearing of view.timeline) {
    if (hearing.kind !== "hearing" || hearing.summary.outcome !== "scheduled") continue;
    if (new Date(hearing.at).getTime() < now.getTime()) continue;
    if (!hearing.summary.counsel_of_record) gaps.push({ key: "gapNoCounsel", params: { date: hearing.at.slice(0, 10) } });
  }
  const welfareDone = view.timeline.some((e) => e.kind === "welfare_check" && e.summary.done_at);
  if (release && !welfareDone) gaps.push({ key: "gapNoWelfare", params: {} });
  return gaps;
}
