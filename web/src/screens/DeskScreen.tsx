// The agent desktop: the screen pop when a call rings (pushed by the server as it happens),
// identifying the child by search, the intake form with the category's own fields, linking
// children and recording the contact, which opens its follow-ups. Keyboard-first: every control
// is reachable by Tab, the pop moves focus to its heading.
import { FormEvent, useEffect, useRef, useState } from "react";
import { api, Child, Desk, Pop, RecordedContact } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useLanguage } from "../i18n/LanguageContext";
import { MessageKey } from "../i18n/messages";
import { fullName } from "./names";

const CATEGORIES: Record<string, string[]> = {
  welfare_concern: ["housing", "school", "health", "neglect", "abuse", "mental_health", "other"],
  exploitation_report: ["labor", "sex", "debt_bondage", "forced_crime", "other"],
  runaway: ["left_sponsor", "missing", "returned", "other"],
  address_update: ["moved", "unit_missing", "mail_returned", "other"],
  hearing_question: ["date", "location", "change_of_venue", "missed_hearing", "other"],
  legal_help_request: ["no_counsel", "counsel_unreachable", "relief_question", "other"],
  other: ["information", "silent", "hang_up", "abusive", "thanks", "other"],
};

// The fields each category asks for, beyond the narrative (kept in the contact's details).
const CATEGORY_FIELDS: Record<string, string[]> = {
  welfare_concern: ["where_child_is"],
  exploitation_report: ["where_child_is", "still_happening"],
  runaway: ["last_seen_place", "last_seen_date"],
  address_update: ["new_address"],
  hearing_question: ["hearing_date"],
  legal_help_request: ["preferred_language"],
  other: [],
};

const CHANNELS = ["phone", "sms", "web_form", "walk_in"];
const CALLER_TYPES = ["child", "sponsor", "legal_provider", "school", "social_worker", "police", "public"];
const STATES = ["available", "on_contact", "wrap_up", "away"];

function label(prefix: string, name: string): MessageKey {
  return `${prefix}_${name}` as MessageKey;
}

function PopPanel({ pop, onLink }: { pop: Pop; onLink: (child: Child) => void }) {
  const { t, formatDateTime } = useLanguage();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [pop.call_id]);
  return (
    <section aria-labelledby="pop-heading" className="card">
      <h2 id="pop-heading" ref={heading} tabIndex={-1}>
        {t("popTitle", { number: pop.caller_number || t("withheldNumber"), queue: pop.queue })}
      </h2>
      <p className="muted">{t("popSummary", { contacts: pop.previous_contacts.length, children: pop.children.length })}</p>
      {pop.children.length > 0 && (
        <ul aria-label={t("popChildren")}>
          {pop.children.map((child) => (
            <li key={child.id}>
              <a href={`#/children/${child.id}`}>{fullName(child.name)}</a> {child.a_number && `(${child.a_number})`}{" "}
              <button type="button" className="secondary" onClick={() => onLink(child)}>
                {t("linkChildNamed", { name: fullName(child.name) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {pop.previous_contacts.length > 0 && (
        <table>
          <caption>{t("popPrevious")}</caption>
          <thead>
            <tr><th scope="col">{t("when")}</th><th scope="col">{t("category")}</th><th scope="col">{t("outcome")}</th></tr>
          </thead>
          <tbody>
            {pop.previous_contacts.map((contact) => (
              <tr key={contact.id}>
                <td>{formatDateTime(contact.occurred_at)}</td>
                <td>{t(label("cat", contact.category))}{contact.sub_category && ` · ${t(label("sub", contact.sub_category))}`}</td>
                <td>{contact.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function IdentifySearch({ onLink }: { onLink: (child: Child) => void }) {
  const { t } = useLanguage();
  const [aNumber, setANumber] = useState("");
  const [surname, setSurname] = useState("");
  const [found, setFound] = useState<Child[]>();
  const [error, setError] = useState<unknown>();

  async function search(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      setFound((await api.findChildren({ a_number: aNumber, paternal_surname: surname, limit: "20" })).items);
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section aria-labelledby="identify-heading" className="card">
      <h2 id="identify-heading">{t("identifyTitle")}</h2>
      <form onSubmit={search} className="row">
        <label htmlFor="identify-a-number">{t("aNumber")}</label>
        <input id="identify-a-number" value={aNumber} onChange={(e) => setANumber(e.target.value)} />
        <label htmlFor="identify-surname">{t("surname")}</label>
        <input id="identify-surname" value={surname} onChange={(e) => setSurname(e.target.value)} />
        <button type="submit">{t("search")}</button>
      </form>
      {error !== undefined && <ErrorMessage error={error} />}
      {found && (
        <ul aria-label={t("identifyResults")}>
          {found.length === 0 && <li>{t("noResults")}</li>}
          {found.map((child) => (
            <li key={child.id}>
              {fullName(child.name)} {child.a_number && `(${child.a_number})`} {child.birth_date}{" "}
              <button type="button" className="secondary" onClick={() => onLink(child)}>
                {t("linkChildNamed", { name: fullName(child.name) })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function IntakeForm({ pop, linked, onUnlink, onRecorded }: {
  pop: Pop | null;
  linked: Child[];
  onUnlink: (child: Child) => void;
  onRecorded: (recorded: RecordedContact) => void;
}) {
  const { t } = useLanguage();
  const [channel, setChannel] = useState("phone");
  const [callerType, setCallerType] = useState("public");
  const [language, setLanguage] = useState(pop?.language || "spa");
  const [category, setCategory] = useState("welfare_concern");
  const [subCategory, setSubCategory] = useState("");
  const [details, setDetails] = useState<Record<string, string>>({});
  const [narrative, setNarrative] = useState("");
  const [outcome, setOutcome] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (pop?.language) setLanguage(pop.language);
  }, [pop?.call_id, pop?.language]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const filled = Object.fromEntries(Object.entries(details).filter(([key, value]) =>
        value.trim() && CATEGORY_FIELDS[category].includes(key)));
      const recorded = await api.recordContact({
        channel, caller_type: callerType, category, sub_category: subCategory, language, narrative, outcome,
        child_ids: linked.map((child) => child.id), caller_number: pop?.caller_number ?? "", call_id: pop?.call_id ?? "",
        details: filled,
      });
      setNarrative("");
      setOutcome("");
      setDetails({});
      onRecorded(recorded);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="intake-heading" className="card">
      <h2 id="intake-heading">{t("intakeTitle")}</h2>
      <div className="row">
        <div>
          <label htmlFor="intake-channel">{t("channel")}</label>
          <select id="intake-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
            {CHANNELS.map((name) => <option key={name} value={name}>{t(label("channel", name))}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="intake-caller">{t("callerType")}</label>
          <select id="intake-caller" value={callerType} onChange={(e) => setCallerType(e.target.value)}>
            {CALLER_TYPES.map((name) => <option key={name} value={name}>{t(label("caller", name))}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="intake-language">{t("callLanguage")}</label>
          <input id="intake-language" value={language} onChange={(e) => setLanguage(e.target.value)} maxLength={3} size={4} required />
        </div>
      </div>
      <div className="row">
        <div>
          <label htmlFor="intake-category">{t("category")}</label>
          <select id="intake-category" value={category} onChange={(e) => { setCategory(e.target.value); setSubCategory(""); }}>
            {Object.keys(CATEGORIES).map((name) => <option key={name} value={name}>{t(label("cat", name))}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="intake-sub-category">{t("subCategory")}</label>
          <select id="intake-sub-category" value={subCategory} onChange={(e) => setSubCategory(e.target.value)}>
            <option value="">{t("unspecified")}</option>
            {CATEGORIES[category].map((name) => <option key={name} value={name}>{t(label("sub", name))}</option>)}
          </select>
        </div>
      </div>
      {CATEGORY_FIELDS[category].map((field) => (
        <div key={field}>
          <label htmlFor={`detail-${field}`}>{t(label("detail", field))}</label>
          <input id={`detail-${field}`} value={details[field] ?? ""} onChange={(e) => setDetails({ ...details, [field]: e.target.value })} />
        </div>
      ))}
      <label htmlFor="intake-narrative">{t("narrative")}</label>
      <textarea id="intake-narrative" value={narrative} onChange={(e) => setNarrative(e.target.value)} rows={3} />
      <label htmlFor="intake-outcome">{t("outcome")}</label>
      <input id="intake-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)} />
      <h3>{t("linkedChildren")}</h3>
      {linked.length === 0 ? <p className="muted">{t("noLinkedChildren")}</p> : (
        <ul aria-label={t("linkedChildren")}>
          {linked.map((child) => (
            <li key={child.id}>
              {fullName(child.name)}{" "}
              <button type="button" className="secondary" onClick={() => onUnlink(child)}>
                {t("unlinkChildNamed", { name: fullName(child.name) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
      <button type="submit" disabled={busy}>{t("recordContact")}</button>
    </form>
  );
}

export function DeskScreen() {
  const { t } = useLanguage();
  const [desk, setDesk] = useState<Desk>();
  const [pop, setPop] = useState<Pop | null>(null);
  const [linked, setLinked] = useState<Child[]>([]);
  const [announcement, setAnnouncement] = useState("");
  const [error, setError] = useState<unknown>();
  const [live, setLive] = useState(false);

  useEffect(() => {
    // EventSource asks for text/event-stream: the desk's state first, then a pop per call.
    const source = new EventSource("/api/agent/desk");
    source.addEventListener("open", () => setLive(true));
    source.addEventListener("error", () => setLive(false));
    source.addEventListener("desk", (event) => {
      const current = JSON.parse((event as MessageEvent).data) as Desk;
      setDesk(current);
      if (current.call) setPop(current.call);
    });
    source.addEventListener("pop", (event) => {
      const next = JSON.parse((event as MessageEvent).data) as Pop;
      setPop(next);
      setLinked([]);
      setAnnouncement(t("popAnnouncement", { number: next.caller_number || t("withheldNumber") }));
    });
    return () => source.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function link(child: Child) {
    setLinked((current) => current.some((c) => c.id === child.id) ? current : [...current, child]);
    setAnnouncement(t("childLinked", { name: fullName(child.name) }));
  }

  async function changeState(state: string) {
    setError(undefined);
    try {
      const status = await api.setAgentState(state, desk?.agent.languages ?? []);
      setDesk((current) => current && { ...current, agent: status });
    } catch (failure) {
      setError(failure);
    }
  }

  function recorded(result: RecordedContact) {
    const queues = result.follow_ups.map((task) => `${task.queue} #${task.id}`).join(", ");
    setAnnouncement(result.follow_ups.length
      ? t("contactRecordedWithFollowUps", { id: result.id, tasks: queues })
      : t("contactRecorded", { id: result.id }));
    setLinked([]);
  }

  return (
    <div>
      <h1>{t("deskTitle")}</h1>
      <p role="status" aria-live="polite">{announcement}</p>
      <div className="row">
        <label htmlFor="agent-state">{t("agentState")}</label>
        <select id="agent-state" value={desk?.agent.state ?? "away"} onChange={(e) => changeState(e.target.value)}>
          {STATES.map((name) => <option key={name} value={name}>{t(label("state", name))}</option>)}
        </select>
        <span className="muted">{live ? t("liveConnected") : t("liveDisconnected")}</span>
        <span className="muted">{t("callsWaitingForYou", { count: desk?.waiting.length ?? 0 })}</span>
      </div>
      {error !== undefined && <ErrorMessage error={error} />}
      {pop ? <PopPanel pop={pop} onLink={link} /> : <p className="muted">{t("noCallYet")}</p>}
      <IdentifySearch onLink={link} />
      <IntakeForm pop={pop} linked={linked} onUnlink={(child) => setLinked(linked.filter((c) => c.id !== child.id))} onRecorded={recorded} />
    </div>
  );
}
