// The child's case: who the child is, what is missing, and one timeline of everything
// recorded; addresses with their quality; the access log for supervisors.
import { useState } from "react";
import { AccessLogEntry, api, CaseView, TimelineEntry } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useRequest } from "../components/useRequest";
import { useLanguage } from "../i18n/LanguageContext";
import { MessageKey } from "../i18n/messages";
import { caseGaps } from "./caseGaps";
import { fullName } from "./names";

type Tab = "timeline" | "addresses" | "access";

export function CaseScreen({ childId, canSeeAccessLog }: { childId: number; canSeeAccessLog: boolean }) {
  const { t } = useLanguage();
  const [tab, setTab] = useState<Tab>("timeline");
  const view = useRequest(() => api.caseView(childId), [childId]);
  if (view.loading) return <p role="status">{t("loading")}</p>;
  if (view.error !== undefined || !view.data) return <ErrorMessage error={view.error} />;
  const data = view.data;
  const tabs: [Tab, MessageKey][] = [["timeline", "tabTimeline"], ["addresses", "tabAddresses"]];
  if (canSeeAccessLog) tabs.push(["access", "tabAccessLog"]);
  return (
    <article aria-labelledby="case-title">
      <CaseHeader view={data} />
      {data.denied.map((d) => (
        <p key={d.part} className="alert alert-warn" role="status">{t("partDenied", { part: d.part, message: d.message })}</p>
      ))}
      <MissingList view={data} />
      <div className="tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button key={id} role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`}
                  onClick={() => setTab(id)}>{t(label)}</button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "timeline" && <Timeline entries={data.timeline} />}
        {tab === "addresses" && <Addresses view={data} />}
        {tab === "access" && <AccessLog childId={childId} />}
      </div>
    </article>
  );
}

function CaseHeader({ view }: { view: CaseView }) {
  const { t, formatDate } = useLanguage();
  const child = view.child;
  const born = new Date(`${child.birth_date}T00:00:00Z`);
  const age = Math.floor((Date.now() - born.getTime()) / (365.2425 * 24 * 3600 * 1000));
  return (
    <section className="card">
      <h1 id="case-title">{t("caseTitle", { name: fullName(child.name) })}</h1>
      <dl className="facts">
        <dt>{t("aNumber")}</dt><dd>{child.a_number ?? "—"}</dd>
        <dt>{t("age")}</dt><dd>{t("ageYears", { years: age })} ({formatDate(child.birth_date)}, {child.birth_precision})</dd>
        <dt>{t("country")}</dt><dd>{child.country_of_birth}</dd>
        <dt>{t("languages")}</dt>
        <dd>{child.languages.join(", ")} — {child.interpreter_needed ? t("interpreterNeeded") : t("interpreterNotNeeded")}</dd>
        <dt>{t("sponsor")}</dt>
        <dd>{view.sponsor
          ? `${fullName(view.sponsor.name)} (${view.sponsor.relationship}; ${t("sponsorCategory", { category: view.sponsor.category })})`
          : t("noSponsor")}</dd>
      </dl>
    </section>
  );
}

function MissingList({ view }: { view: CaseView }) {
  const { t } = useLanguage();
  const gaps = caseGaps(view, new Date());
  return (
    <section className="card" aria-labelledby="missing-title">
      <h2 id="missing-title">{t("whatIsMissing")}</h2>
      {gaps.length === 0 ? <p>{t("nothingMissing")}</p> : (
        <ul className="gaps">
          {gaps.map((gap, i) => <li key={i}><span className="badge badge-warn">!</span> {t(gap.key, gap.params)}</li>)}
        </ul>
      )}
    </section>
  );
}

function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const { t, formatDateTime } = useLanguage();
  if (entries.length === 0) return <p>{t("timelineEmpty")}</p>;
  return (
    <table>
      <caption className="skip-link">{t("tabTimeline")}</caption>
      <thead><tr><th scope="col">{t("when")}</th><th scope="col">{t("what")}</th><th scope="col">{t("details")}</th></tr></thead>
      <tbody>
        {entries.map((entry, i) => (
          <tr key={i}>
            <td>{formatDateTime(entry.at)}</td>
            <td>{t(`kind_${entry.kind}` as MessageKey)}</td>
            <td>{describeEntry(entry)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// One line per entry, in the words of the record; the timestamp is already in its own column.
function describeEntry(entry: TimelineEntry): string {
  const f = entry.summary;
  const words = (value: unknown) => (value === null || value === undefined ? "" : String(value).replace(/_/g, " "));
  const parts: string[] = [];
  switch (entry.kind) {
    case "custody_event": parts.push(words(f.kind), words(f.location)); break;
    case "notice": parts.push(f.served_on ? `served ${f.served_on} (${words(f.service_method)})` : "issued, not served"); break;
    case "hearing": parts.push(words(f.type), words(f.court), words(f.outcome), f.counsel_of_record ? `counsel: ${f.counsel_of_record}` : "no counsel"); break;
    case "welfare_check": parts.push(f.done_at ? `${words(f.method)}: ${words(f.outcome)}` : "due"); break;
    case "contact": parts.push(`${words(f.category)} (${words(f.caller_type)}, ${words(f.channel)})`, words(f.narrative), words(f.outcome)); break;
    case "task": parts.push(words(f.reason), words(f.status), words(f.queue)); break;
  }
  return parts.filter(Boolean).join(" — ");
}

function Addresses({ view }: { view: CaseView }) {
  const { t, formatDate } = useLanguage();
  if (view.addresses.length === 0) return <p>{t("addressesEmpty")}</p>;
  const badge = (status: string) =>
    status === "verified" ? "badge-ok" : status === "unverified" ? "badge-warn" : "badge-danger";
  return (
    <table>
      <thead><tr><th scope="col">{t("details")}</th><th scope="col">{t("status")}</th><th scope="col">{t("source")}</th><th scope="col">{t("confirmed")}</th></tr></thead>
      <tbody>
        {view.addresses.map((a) => (
          <tr key={a.id}>
            <td>{[a.line, a.unit].filter(Boolean).join(", ")}, {a.city}, {a.state} {a.zip}</td>
            <td><span className={`badge ${badge(a.status)}`}>{a.status}</span></td>
            <td>{a.source}</td>
            <td>{[a.first_confirmed, a.last_confirmed].filter(Boolean).map((d) => formatDate(d as string)).join(" – ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AccessLog({ childId }: { childId: number }) {
  const { t, formatDateTime } = useLanguage();
  const log = useRequest(() => api.accessLog(childId), [childId]);
  if (log.loading) return <p role="status">{t("loading")}</p>;
  if (log.error !== undefined || !log.data) return <ErrorMessage error={log.error} />;
  if (log.data.items.length === 0) return <p>{t("accessLogEmpty")}</p>;
  return (
    <table>
      <thead><tr><th scope="col">{t("when")}</th><th scope="col">{t("who")}</th><th scope="col">{t("what")}</th><th scope="col">{t("purpose")}</th><th scope="col">{t("fields")}</th></tr></thead>
      <tbody>
        {log.data.items.map((entry: AccessLogEntry) => (
          <tr key={entry.seq}>
            <td>{formatDateTime(entry.at)}</td><td>{entry.actor}</td><td>{entry.action}</td><td>{entry.purpose}</td><td>{entry.fields}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
